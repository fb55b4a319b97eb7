"""The emulated IOS-XE engine driven through its sessions, with no socket."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netutils.password import compare_cisco_type9, decrypt_type7

from pydriver.platforms.cisco_ios.engine import LAB_ENABLE_SECRET, IOSEngine, IOSSession
from pydriver.platforms.emulation import Route


@dataclass
class _Timer:
    when: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeScheduler:
    """Virtual time: callbacks run only when a test advances the clock past them."""

    now: float = 1_700_000_000.0
    timers: list[_Timer] = field(default_factory=list)

    def call_later(self, delay: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def clock(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        target = self.now + seconds
        while True:
            due = [t for t in self.timers if not t.cancelled and t.when <= target]
            if not due:
                break
            timer = min(due, key=lambda t: t.when)
            self.timers.remove(timer)
            self.now = timer.when
            timer.callback()
        self.now = target


@dataclass
class StaticFabric:
    """A fabric whose answers a test sets directly."""

    tunnels: set[str] = field(default_factory=set)
    peers: set[str] = field(default_factory=set)
    sessions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    table: tuple[Route, ...] = ()
    reachable: set[str] = field(default_factory=set)

    def ipsec_up(self, device: str, peer: str) -> bool:
        return peer in self.peers

    def tunnel_up(self, device: str, tunnel: str) -> bool:
        return tunnel in self.tunnels

    def bgp_established(self, device: str, neighbor: str) -> bool:
        return neighbor in self.sessions

    def bgp_received(self, device: str, neighbor: str) -> tuple[str, ...]:
        return self.sessions.get(neighbor, ())

    def routes(self, device: str) -> tuple[Route, ...]:
        return self.table

    def ping(self, device: str, destination: str, source: str | None = None) -> bool:
        return destination in self.reachable


def make(model: str = "ISR4451-X/K9", fabric: StaticFabric | None = None) -> IOSEngine:
    sched = FakeScheduler()
    return IOSEngine("r1", model, scheduler=sched, fabric=fabric, clock=sched.clock)


def enabled(engine: IOSEngine, secret: str = LAB_ENABLE_SECRET) -> IOSSession:
    s = engine.open_session("lab")
    s.handle("enable")
    s.handle(secret)
    assert s.prompt().endswith("#")
    return s


def configure(engine: IOSEngine, *lines: str) -> str:
    """Run ``lines`` in configuration mode; return all the output."""
    s = enabled(engine)
    out = s.handle("configure terminal")
    for line in lines:
        out += s.handle(line)
    out += s.handle("end")
    return out


def run(engine: IOSEngine, secret: str = LAB_ENABLE_SECRET) -> str:
    return enabled(engine, secret).handle("show running-config")


def body(engine: IOSEngine, secret: str = LAB_ENABLE_SECRET) -> list[str]:
    """The running-config lines from ``version`` on (no header)."""
    lines = run(engine, secret).splitlines()
    return lines[lines.index("version 17.9") :]


# ---------------------------------------------------------------- out of the box


@pytest.mark.parametrize(
    ("model", "ports"),
    [
        (
            "ISR4331/K9",
            [
                "GigabitEthernet0/0/0",
                "GigabitEthernet0/0/1",
                "GigabitEthernet0/0/2",
                "GigabitEthernet0",
            ],
        ),
        ("C8200-1N-4T", [f"GigabitEthernet0/0/{i}" for i in range(4)]),
        (
            "C8300-1N1S-4T2X",
            [
                *(f"GigabitEthernet0/0/{i}" for i in range(4)),
                "TenGigabitEthernet0/1/0",
                "TenGigabitEthernet0/1/1",
                "GigabitEthernet0",
            ],
        ),
        ("ISR9999/X", [*(f"GigabitEthernet0/0/{i}" for i in range(4)), "GigabitEthernet0"]),
    ],
)
def test_factory_config_has_the_models_ports(model: str, ports: list[str]) -> None:
    lines = body(make(model))
    assert [ln.split()[1] for ln in lines if ln.startswith("interface ")] == ports
    assert "hostname Router" in lines and "no aaa new-model" in lines
    assert lines[-1] == "end"
    i = lines.index(f"interface {ports[0]}")
    assert lines[i + 1 : i + 3] == [" no ip address", " negotiation auto"]


def test_show_version_names_the_model() -> None:
    out = enabled(make("C8300-1N1S-4T2X")).handle("show version")
    assert out.splitlines()[0] == "Cisco IOS XE Software, Version 17.09.04a"
    assert re.search(r"^cisco C8300-1N1S-4T2X \(.*\) processor with", out, re.M)
    assert "2 Ten Gigabit Ethernet interfaces" in out


# ---------------------------------------------------------------- modes and prompts


def test_enable_asks_for_the_secret_without_echo() -> None:
    s = make().open_session("lab")
    assert s.prompt() == "Router>"
    assert s.handle("show privilege") == "Current privilege level is 1\n"
    assert s.handle("enable") == ""
    assert s.prompt() == "Password: " and s.echo is False
    assert "% Access denied" in s.handle("wrong")
    assert s.prompt() == "Router>" and s.echo is True
    s.handle("en")
    s.handle(LAB_ENABLE_SECRET)
    assert s.prompt() == "Router#"
    assert s.handle("show privilege") == "Current privilege level is 15\n"


def test_configured_enable_secret_replaces_the_lab_secret() -> None:
    engine = make()
    configure(engine, "enable secret N3w-Secret")
    s = engine.open_session("lab")
    s.handle("enable")
    assert "% Access denied" in s.handle(LAB_ENABLE_SECRET)
    s.handle("enable")
    s.handle("N3w-Secret")
    assert s.prompt() == "Router#"


@pytest.mark.parametrize(
    ("line", "mode"),
    [
        ("interface GigabitEthernet0/0/1", "config-if"),
        ("interface Gi0/0/2.100", "config-subif"),
        ("router bgp 65052", "config-router"),
        ("line vty 0 4", "config-line"),
        ("ip access-list extended X", "config-ext-nacl"),
        ("ip access-list standard X", "config-std-nacl"),
        ("crypto ikev2 proposal P", "config-ikev2-proposal"),
        ("crypto ikev2 policy P", "config-ikev2-policy"),
        ("crypto ikev2 keyring K", "config-ikev2-keyring"),
        ("crypto ikev2 profile P", "config-ikev2-profile"),
        ("crypto ipsec transform-set T esp-gcm 256", "cfg-crypto-trans"),
        ("crypto ipsec profile P", "ipsec-profile"),
        ("radius server R", "config-radius-server"),
        ("aaa group server radius G", "config-sg-radius"),
        ("class-map match-any C", "config-cmap"),
        ("policy-map P", "config-pmap"),
        ("route-map RM permit 10", "config-route-map"),
        ("archive", "config-archive"),
    ],
)
def test_sub_mode_prompts_use_the_ios_names(line: str, mode: str) -> None:
    s = enabled(make())
    assert s.handle("configure terminal") == (
        "Enter configuration commands, one per line.  End with CNTL/Z.\n"
    )
    assert s.prompt() == "Router(config)#"
    assert s.handle(line) == ""
    assert s.prompt() == f"Router({mode})#"
    s.handle("exit")
    assert s.prompt() == "Router(config)#"
    s.handle(line)
    s.handle("end")
    assert s.prompt() == "Router#"


def test_nested_modes_exit_one_level_at_a_time() -> None:
    s = enabled(make())
    s.handle("configure terminal")
    for line, mode in [
        ("router bgp 65052", "config-router"),
        ("address-family ipv4", "config-router-af"),
    ]:
        s.handle(line)
        assert s.prompt() == f"Router({mode})#"
    s.handle("exit-address-family")
    assert s.prompt() == "Router(config-router)#"
    s.handle("crypto ikev2 keyring K")
    s.handle("peer P1")
    assert s.prompt() == "Router(config-ikev2-keyring-peer)#"
    s.handle("exit")
    assert s.prompt() == "Router(config-ikev2-keyring)#"
    s.handle("policy-map P")
    s.handle("class class-default")
    assert s.prompt() == "Router(config-pmap-c)#"
    s.handle("\x1a")
    assert s.prompt() == "Router#"


def test_global_command_in_a_sub_mode_falls_through_and_leaves_it() -> None:
    engine = make()
    s = enabled(engine)
    s.handle("configure terminal")
    s.handle("interface Loopback0")
    assert s.handle("hostname hub-01") == ""
    assert s.prompt() == "hub-01(config)#"
    s.handle("ip address 10.255.0.1 255.255.255.255")  # not an interface any more: rejected
    assert "ip address 10.255.0.1" not in run(engine)


def test_do_runs_exec_commands_from_config_mode() -> None:
    s = enabled(make())
    s.handle("configure terminal")
    s.handle("interface Loopback0")
    assert s.handle("do show privilege") == "Current privilege level is 15\n"
    assert s.prompt() == "Router(config-if)#"


# ---------------------------------------------------------------- errors


def test_invalid_input_draws_the_caret_under_the_bad_word() -> None:
    s = enabled(make())
    s.handle("configure terminal")
    prompt = s.prompt()
    out = s.handle("hostnme x")
    assert out == " " * len(prompt) + "^\n% Invalid input detected at '^' marker.\n\n"
    s.handle("interface Loopback0")
    prompt = s.prompt()
    out = s.handle("ip address 10.0.0.1 255.255.0.255")
    caret = out.splitlines()[0]
    assert caret.index("^") == len(prompt) + len("ip address 10.0.0.1 ")


def test_incomplete_and_ambiguous_commands() -> None:
    s = enabled(make())
    s.handle("configure terminal")
    assert s.handle("interface") == "% Incomplete command.\n\n"
    assert s.handle("no ip") == "% Incomplete command.\n\n"
    assert s.handle("s") == '% Ambiguous command:  "s"\n'
    assert s.prompt() == "Router(config)#"


def test_exec_errors() -> None:
    s = enabled(make())
    assert s.handle("frobnicate").startswith("% Unknown command")
    out = s.handle("show ip frob")
    assert out.splitlines()[0].index("^") == len("Router#show ip ")
    user = make().open_session("u")
    assert "% Invalid input" in user.handle("configure terminal")


def test_semantic_errors_are_worded_as_ios() -> None:
    engine = make()
    out = configure(
        engine,
        "interface Gi0/0/1",
        "ip address 10.0.0.1 255.255.255.0",
        "interface Gi0/0/2",
        "ip address 10.0.0.2 255.255.255.0",
        "ip address 10.1.0.0 255.255.255.0",
        "interface Gi0/0/3.7",
        "ip address 10.2.0.1 255.255.255.0",
        "router bgp 65052",
        "neighbor 10.0.0.9 description no remote-as yet",
        "router bgp 65053",
        "ip route 10.9.0.1 255.255.255.0 10.0.0.254",
    )
    assert "% 10.0.0.0 overlaps with GigabitEthernet0/0/1" in out
    assert "Bad mask /24 for address 10.1.0.0" in out
    assert "only allowed if that\nsubinterface is already configured" in out
    assert "% Specify remote-as or peer-group commands first" in out
    assert "% BGP is already running; AS is 65052" in out
    assert "%Inconsistent address and mask" in out


def test_interface_the_chassis_lacks_is_rejected() -> None:
    out = configure(make("ISR4331/K9"), "interface GigabitEthernet0/0/3")
    assert "% Invalid input detected" in out
    out = configure(make(), "interface Loopback0", "tunnel source Gi0/0/1")
    assert "% Invalid input detected" in out  # tunnel commands exist only on tunnels


# ---------------------------------------------------------------- normalisation


def test_lines_are_normalised_and_replace_their_predecessor() -> None:
    engine = make()
    configure(
        engine,
        "hostname a",
        "hostname b",
        "int gi0/0/1",
        " description first",
        " descr second",
        " ip address 192.0.2.1 255.255.255.0",
        " ip address 192.0.2.9 255.255.255.0",
        " shutdown",
        "ntp server 10.10.10.11",
        "ntp server 10.20.10.11 prefer",
        "ip name-server 10.10.10.53",
        "ip name-server 10.20.10.53",
        "ip domain-name jip.example",
    )
    lines = body(engine)
    assert "hostname b" in lines and "hostname a" not in lines
    i = lines.index("interface GigabitEthernet0/0/1")
    assert lines[i + 1 : i + 5] == [
        " description second",
        " ip address 192.0.2.9 255.255.255.0",
        " shutdown",
        " negotiation auto",
    ]
    assert "ntp server 10.10.10.11" in lines and "ntp server 10.20.10.11 prefer" in lines
    assert "ip name-server 10.10.10.53 10.20.10.53" in lines
    assert "ip domain name jip.example" in lines


def test_interface_lines_follow_ios_order_not_typing_order() -> None:
    engine = make()
    configure(
        engine,
        "interface Tunnel12",
        " tunnel protection ipsec profile P",
        " service-policy output SITE",
        " tunnel destination 100.64.10.13",
        " ip tcp adjust-mss 1360",
        " tunnel source GigabitEthernet0/0/1",
        " ip mtu 1400",
        " ip address 10.254.0.49 255.255.255.252",
        " description primary",
        " tunnel mode gre ip",
    )
    lines = body(engine)
    i = lines.index("interface Tunnel12")
    assert lines[i + 1 : i + 9] == [
        " description primary",
        " ip address 10.254.0.49 255.255.255.252",
        " ip mtu 1400",
        " ip tcp adjust-mss 1360",
        " tunnel source GigabitEthernet0/0/1",
        " tunnel destination 100.64.10.13",
        " tunnel protection ipsec profile P",
        " service-policy output SITE",
    ]
    assert lines[i + 9] == "!"


def test_secrets_are_shown_hashed_or_encrypted() -> None:
    engine = make()
    configure(
        engine,
        "radius server R1",
        " key Plain-Key",
        "username admin privilege 15 secret Adm1n!",
        "enable secret En4ble",
        "service password-encryption",
        "radius server R2",
        " key Second-Key",
        "snmp-server user mon MON v3 auth sha A priv aes 128 P",
    )
    lines = body(engine, "En4ble")
    keys = [ln.split()[-1] for ln in lines if ln.startswith(" key 7 ")]
    assert sorted(decrypt_type7(k) for k in keys) == ["Plain-Key", "Second-Key"]
    user = next(ln for ln in lines if ln.startswith("username admin"))
    assert user.startswith("username admin privilege 15 secret 9 $9$")
    assert compare_cisco_type9("Adm1n!", user.split()[-1])
    assert next(ln for ln in lines if ln.startswith("enable secret")).startswith(
        "enable secret 9 $9$"
    )
    assert not any("snmp-server user" in ln for ln in lines)
    assert list(engine.running.hidden) == [("snmp-server", "user", "mon")]
    enabled(engine, "En4ble").handle("write memory")
    engine.reboot()
    assert list(engine.running.hidden) == [("snmp-server", "user", "mon")]  # private config


def test_access_lists_get_sequence_numbers_and_ios_spacing() -> None:
    engine = make()
    configure(
        engine,
        "ip access-list standard MGMT",
        " permit 10.250.10.7 0.0.0.255",
        " permit host 10.1.1.1",
        " deny any log",
        " 15 permit 10.9.0.0 0.0.255.255",
        "ip access-list extended VICON",
        " remark video conference",
        " permit ip 10.64.4.0 0.0.0.255 any",
        " permit udp any host 10.10.10.53 eq 53",
        " permit tcp 10.0.0.1 0.0.0.0 any eq 22",
        " permit 50 any any",
    )
    lines = body(engine)
    i = lines.index("ip access-list standard MGMT")
    assert lines[i + 1 : i + 5] == [
        " 10 permit 10.250.10.0 0.0.0.255",
        " 15 permit 10.9.0.0 0.0.255.255",
        " 20 permit 10.1.1.1",
        " 30 deny   any log",
    ]
    i = lines.index("ip access-list extended VICON")
    assert lines[i + 1 : i + 6] == [
        " remark video conference",
        " 10 permit ip 10.64.4.0 0.0.0.255 any",
        " 20 permit udp any host 10.10.10.53 eq domain",
        " 30 permit tcp host 10.0.0.1 any eq 22",
        " 40 permit esp any any",
    ]


def test_prefix_lists_route_maps_and_class_maps_get_ios_defaults() -> None:
    engine = make()
    configure(
        engine,
        "ip prefix-list IN permit 10.64.4.0/24",
        "ip prefix-list IN permit 10.64.5.7/24 le 32",
        "ip prefix-list IN seq 3 deny 0.0.0.0/0",
        "route-map BACKUP",
        " set local-preference 50",
        "class-map VOICE",
        " match dscp ef",
        "crypto ipsec transform-set T esp-aes 256 esp-sha256-hmac",
        " mode tunnel",
    )
    lines = body(engine)
    assert [ln for ln in lines if ln.startswith("ip prefix-list")] == [
        "ip prefix-list IN seq 3 deny 0.0.0.0/0",
        "ip prefix-list IN seq 5 permit 10.64.4.0/24",
        "ip prefix-list IN seq 10 permit 10.64.5.0/24 le 32",
    ]
    assert "route-map BACKUP permit 10" in lines
    assert "class-map match-all VOICE" in lines
    i = lines.index("crypto ipsec transform-set T esp-aes 256 esp-sha256-hmac")
    assert lines[i + 1 : i + 3] == [" mode tunnel", "!"]  # IOS-XE shows the default mode


def test_no_forms_remove_or_are_shown_as_ios_does() -> None:
    engine = make()
    configure(
        engine,
        "no ip http server",
        "no ip domain lookup",
        "no cdp run",
        "no service pad",
        "lldp run",
        "no lldp run",
        "ntp server 10.10.10.11",
        "no ntp server 10.10.10.11",
        "interface Gi0/0/1",
        " ip address 192.0.2.1 255.255.255.0",
        " no ip redirects",
        " shutdown",
        " no shutdown",
        " no ip address",
        "interface Tunnel5",
        "no interface Tunnel5",
    )
    lines = body(engine)
    for shown in ("no ip http server", "no ip domain lookup", "no cdp run", "no service pad"):
        assert shown in lines
    assert "ip http server" not in lines and "ip http secure-server" in lines
    assert not any("lldp" in ln or "ntp server" in ln or "Tunnel5" in ln for ln in lines)
    i = lines.index("interface GigabitEthernet0/0/1")
    assert lines[i + 1 : i + 4] == [" no ip address", " no ip redirects", " negotiation auto"]
    configure(engine, "ip domain lookup", "ip http server")
    lines = body(engine)
    assert "no ip domain lookup" not in lines and "ip http server" in lines


def test_no_neighbor_removes_it_from_every_section() -> None:
    engine = make()
    configure(
        engine,
        "router bgp 65052",
        " neighbor 10.0.0.2 remote-as 65001",
        " neighbor 10.0.0.2 description hub",
        " neighbor 10.0.0.3 remote-as 65001",
        " address-family ipv4",
        "  neighbor 10.0.0.2 activate",
        "  neighbor 10.0.0.3 activate",
        " exit-address-family",
        " no neighbor 10.0.0.2",
    )
    section = [ln for ln in body(engine) if "10.0.0." in ln]
    assert section == [" neighbor 10.0.0.3 remote-as 65001", "  neighbor 10.0.0.3 activate"]


def test_banner_accepts_caret_c_and_single_character_delimiters() -> None:
    engine = make()
    s = enabled(engine)
    s.handle("configure terminal")
    assert s.handle("banner login ^C") == ("Enter TEXT message.  End with the character '^C'.\n")
    assert s.prompt() == ""
    s.handle("Authorised access only.")
    s.handle("Activity is logged.")
    s.handle("^C")
    assert s.prompt() == "Router(config)#"
    s.handle("banner motd #")
    s.handle("Maintenance tonight#")
    s.handle("banner exec %one line%")
    s.handle("end")
    lines = body(engine)
    i = lines.index("banner exec ^Cone line^C")
    assert lines[i + 1 : i + 5] == [
        "banner login ^C",
        "Authorised access only.",
        "Activity is logged.",
        "^C",
    ]
    assert lines[i + 5] == "banner motd ^C"
    assert engine.open_session("x").banner() == "Maintenance tonight"


# ---------------------------------------------------------------- order


def test_sections_are_printed_in_ios_order() -> None:
    engine = make()
    configure(
        engine,
        "ntp server 10.10.10.11",
        "line vty 0 4",
        " transport input ssh",
        "snmp-server location DC",
        "ip access-list standard MGMT",
        " permit 10.0.0.0 0.255.255.255",
        "ip route 10.20.0.0 255.255.255.0 10.10.0.254",
        "ip route 0.0.0.0 0.0.0.0 203.0.113.9",
        "router bgp 65052",
        " bgp router-id 10.255.0.1",
        "interface Tunnel12",
        "interface Loopback0",
        "crypto ikev2 proposal P",
        " encryption aes-cbc-256",
        "username admin privilege 15 secret x",
        "aaa new-model",
        "service password-encryption",
        "archive",
        " path bootflash:archive",
    )
    lines = body(engine)
    order = [
        "version 17.9",
        "service password-encryption",
        "hostname Router",
        "aaa new-model",
        "username admin",
        "crypto ikev2 proposal P",
        "interface Loopback0",
        "interface Tunnel12",
        "interface GigabitEthernet0/0/0",
        "interface GigabitEthernet0",
        "router bgp 65052",
        "ip route 0.0.0.0 0.0.0.0 203.0.113.9",
        "ip route 10.20.0.0",
        "ip access-list standard MGMT",
        "snmp-server location DC",
        "line vty 0 4",
        "ntp server 10.10.10.11",
        "archive",
        "end",
    ]
    positions = [next(i for i, ln in enumerate(lines) if ln.startswith(o)) for o in order]
    assert positions == sorted(positions)


def test_show_run_filters_and_interface() -> None:
    engine = make()
    configure(engine, "interface Loopback0", " ip address 10.255.0.1 255.255.255.255")
    s = enabled(engine)
    assert s.handle("show running-config | include ^hostname") == "hostname Router\n"
    assert s.handle("sh run | sec Loopback") == (
        "interface Loopback0\n ip address 10.255.0.1 255.255.255.255\n"
    )
    out = s.handle("show running-config interface lo0")
    assert out.endswith("!\ninterface Loopback0\n ip address 10.255.0.1 255.255.255.255\nend\n")
    assert run(engine).startswith("Building configuration...\n\nCurrent configuration : ")


# ---------------------------------------------------------------- save and reload


def test_reload_loses_unsaved_changes() -> None:
    engine = make()
    configure(engine, "hostname saved")
    s = enabled(engine)
    assert s.handle("write memory") == "Building configuration...\n[OK]\n"
    configure(engine, "hostname unsaved")
    assert engine.unsaved()
    engine.reboot()
    assert s.closed
    assert engine.hostname == "saved"
    assert "hostname saved" in enabled(engine).handle("show startup-config")


def test_reload_command_asks_to_save_then_confirm() -> None:
    engine = make()
    configure(engine, "hostname kept")
    s = enabled(engine)
    s.handle("reload")
    assert s.prompt() == "System configuration has been modified. Save? [yes/no]: "
    s.handle("yes")
    assert s.prompt() == "Proceed with reload? [confirm]"
    s.handle("")
    assert s.closed and engine.hostname == "kept" and not engine.unsaved()


def test_copy_running_config_startup_config_asks_the_destination() -> None:
    engine = make()
    configure(engine, "hostname copied")
    s = enabled(engine)
    assert s.handle("copy running-config startup-config") == ""
    assert s.prompt() == "Destination filename [startup-config]? "
    assert s.handle("") == "Building configuration...\n[OK]\n"
    assert not engine.unsaved()
    configure(engine, "file prompt quiet", "hostname quiet")
    assert s.handle("copy run start") == "Building configuration...\n[OK]\n"


def test_bootflash_files() -> None:
    engine = make()
    s = enabled(engine)
    s.handle("copy running-config bootflash:before.cfg")
    assert s.prompt() == "Destination filename [before.cfg]? "
    assert "bytes copied" in s.handle("")
    assert "before.cfg" in s.handle("dir bootflash:")
    assert "hostname Router" in s.handle("more bootflash:before.cfg")
    s.handle("delete /force bootflash:before.cfg")
    assert "before.cfg" not in s.handle("dir")
    assert "No such file" in s.handle("more bootflash:before.cfg")


# ---------------------------------------------------------------- facts and fabric

HUB = (
    "crypto ikev2 proposal JIP-STANDARD",
    " encryption aes-cbc-256 aes-gcm-256",
    " integrity sha256",
    " group 19 20 14",
    "crypto ikev2 policy JIP-STANDARD",
    " proposal JIP-STANDARD",
    "crypto ikev2 keyring JIP-KEYRING",
    " peer Tunnel12",
    "  address 100.64.10.13",
    "  pre-shared-key Psk-Dinkes",
    "crypto ikev2 profile JIP-TUNNEL12",
    " match identity remote address 100.64.10.13 255.255.255.255",
    " identity local address 100.64.10.1",
    " authentication remote pre-share",
    " authentication local pre-share",
    " keyring local JIP-KEYRING",
    "crypto ipsec transform-set JIP-1 esp-gcm 256",
    " mode transport",
    "crypto ipsec transform-set JIP-2 esp-aes 256 esp-sha256-hmac",
    " mode transport",
    "crypto ipsec profile JIP-TUNNEL12",
    " set transform-set JIP-1 JIP-2",
    " set pfs group19",
    " set ikev2-profile JIP-TUNNEL12",
    "interface Loopback0",
    " ip address 10.255.0.1 255.255.255.255",
    "interface GigabitEthernet0/0/1",
    " ip address 100.64.10.1 255.255.255.0",
    "interface Tunnel12",
    " ip address 10.254.0.49 255.255.255.252",
    " tunnel source GigabitEthernet0/0/1",
    " tunnel destination 100.64.10.13",
    " tunnel protection ipsec profile JIP-TUNNEL12",
    "router bgp 65052",
    " bgp router-id 10.255.0.1",
    " neighbor 10.254.0.50 remote-as 4200000003",
    " address-family ipv4",
    "  network 10.255.0.1 mask 255.255.255.255",
    "  neighbor 10.254.0.50 activate",
    "  neighbor 10.254.0.50 default-originate",
    "ip route 0.0.0.0 0.0.0.0 100.64.10.254",
)


def test_facts_follow_tunnel_protection_to_the_keyring() -> None:
    engine = make()
    before = engine.generation
    configure(engine, *HUB)
    assert engine.generation > before
    facts = engine.facts()
    assert ("Loopback0", "10.255.0.1/32") in facts.addresses
    (tunnel,) = facts.tunnels
    assert (tunnel.name, tunnel.local_underlay, tunnel.remote_underlay) == (
        "Tunnel12",
        "100.64.10.1",
        "100.64.10.13",
    )
    assert tunnel.address == "10.254.0.49/30" and tunnel.protected
    (peer,) = facts.ipsec_peers
    assert peer.psk == "Psk-Dinkes"
    assert peer.local_address == "100.64.10.1"
    assert peer.ike_encryption == {"aes-256-cbc", "aes-256-gcm"}
    assert peer.ike_integrity == {"sha256"}
    assert peer.ike_dh_groups == {19, 20, 14}
    assert peer.esp_encryption == {"aes-256-gcm", "aes-256-cbc"}
    assert peer.esp_integrity == {"sha256"}
    assert peer.esp_pfs_groups == {19}
    assert facts.bgp_as == 65052 and facts.bgp_router_id == "10.255.0.1"
    (nb,) = facts.bgp_neighbors
    assert (nb.remote_address, nb.remote_as, nb.default_originate) == (
        "10.254.0.50",
        4200000003,
        True,
    )
    assert facts.bgp_networks == ("10.255.0.1/32",)
    assert facts.static_routes == (("0.0.0.0/0", "100.64.10.254"),)


def test_generation_only_moves_on_real_changes() -> None:
    engine = make()
    configure(engine, "hostname x")
    before = engine.generation
    configure(engine, "hostname x")
    enabled(engine).handle("show running-config")
    assert engine.generation == before


def test_without_a_fabric_nothing_beyond_the_box_is_up() -> None:
    engine = make()
    configure(engine, *HUB)
    s = enabled(engine)
    brief = s.handle("show ip interface brief")
    assert re.search(r"^Tunnel12\s+10\.254\.0\.49\s+YES manual up\s+down$", brief, re.M)
    assert "line protocol is down" in s.handle("show interfaces Tunnel12")
    assert re.search(r"^10\.254\.0\.50 .* never\s+Idle$", s.handle("show ip bgp summary"), re.M)
    assert "READY" not in s.handle("show crypto ikev2 sa")
    assert "Session status: DOWN" in s.handle("show crypto session")
    route = s.handle("show ip route")
    assert re.search(r"^S\*\s+0\.0\.0\.0/0 \[1/0\] via 100\.64\.10\.254$", route, re.M)
    assert "10.254.0.48/30" not in route  # the tunnel is down, so is its subnet
    assert "Success rate is 0 percent (0/5)" in s.handle("ping 10.254.0.50")
    assert "Success rate is 100 percent (5/5)" in s.handle("ping 10.255.0.1")


def test_fabric_drives_operational_state() -> None:
    fabric = StaticFabric(
        tunnels={"Tunnel12"},
        peers={"Tunnel12"},
        sessions={"10.254.0.50": ("10.64.12.0/24", "10.64.13.0/24")},
        table=(
            Route("10.254.0.48/30", "connected", interface="Tunnel12"),
            Route("10.64.12.0/24", "bgp", gateway="10.254.0.50"),
        ),
        reachable={"10.254.0.50"},
    )
    engine = make(fabric=fabric)
    configure(engine, *HUB)
    s = enabled(engine)
    assert re.search(r"^Tunnel12 .* up\s+up$", s.handle("show ip interface brief"), re.M)
    assert re.search(
        r"^10\.254\.0\.50 .* 00:00:00 2$", s.handle("show bgp ipv4 unicast summary"), re.M
    )
    assert "READY" in s.handle("show crypto ikev2 sa")
    assert "Session status: UP-ACTIVE" in s.handle("show crypto session")
    route = s.handle("show ip route")
    assert re.search(r"^B\s+10\.64\.12\.0/24 \[20/0\] via 10\.254\.0\.50", route, re.M)
    assert re.search(r"^L\s+10\.254\.0\.49/32 is directly connected, Tunnel12", route, re.M)
    out = s.handle("ping 10.254.0.50 source Loopback0 repeat 3")
    assert "Packet sent with a source address of 10.255.0.1" in out
    assert "Success rate is 100 percent (3/3)" in out


# ---------------------------------------------------------------- fault knob helpers


def test_config_command_recognition_and_reject_text() -> None:
    engine = make()
    assert engine.is_config_command("hostname x")
    assert engine.is_config_command(" neighbor 10.0.0.1 remote-as 65001")
    assert engine.is_config_command("no ip http server")
    assert not engine.is_config_command("show version")
    assert engine.reject_message(" ip mtu 1400", prompt="R(config-if)#") == (
        " " * 14 + "^\n% Invalid input detected at '^' marker.\n\n"
    )


# ---------------------------------------------------------------- pydriver's own templates


def _rendered_ios() -> list[tuple[str, str]]:
    from pydriver.pipeline import Pipeline

    example = Path(__file__).resolve().parents[3] / "inventory"
    return [
        (name, cfg.main)
        for name, cfg in sorted(Pipeline(example).rendered.items())
        if cfg.platform == "cisco_ios"
    ]


def test_every_rendered_ios_line_is_accepted_and_idempotent() -> None:
    configs = _rendered_ios()
    assert configs, "the example inventory has IOS-XE routers"
    for name, text in configs:
        engine = make()
        s = enabled(engine)
        s.handle("configure terminal")
        errors = []
        for line in text.splitlines():
            out = s.handle(line)
            if "%" in out or "Bad mask" in out:
                errors.append((line, out))
        s.handle("end")
        assert errors == [], name
        assert engine.hostname == name
        first = engine.running_text()
        generation = engine.generation
        s.handle("configure terminal")
        for line in text.splitlines():
            s.handle(line)
        s.handle("end")
        assert engine.running_text() == first, name
        assert engine.generation == generation, name
        # what IOS saved loads back to the same running-config at boot
        s.handle("write memory")
        engine.reboot()
        assert engine.running_text() == first, name


# ---------------------------------------------------------------- robustness

_WORDS = (
    "no", "interface", "Tunnel1", "Gi0/0/1", "ip", "address", "10.0.0.1", "255.255.255.0",
    "router", "bgp", "65052", "neighbor", "remote-as", "activate", "address-family", "ipv4",
    "permit", "deny", "any", "host", "10", "prefix-list", "seq", "10.0.0.0/8", "le", "32",
    "route", "0.0.0.0", "access-list", "standard", "extended", "tcp", "eq", "22", "banner",
    "motd", "#", "^C", "crypto", "ikev2", "keyring", "peer", "pre-shared-key", "key", "7",
    "exit", "end", "do", "show", "running-config", "archive", "path", "bootflash:a",
    "service", "password-encryption", "username", "secret", "line", "vty", "0", "4",
    "class-map", "policy-map", "class", "shape", "average", "exit-address-family",
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=7), max_size=25))
def test_no_input_line_crashes_the_engine(lines: list[list[str]]) -> None:
    engine = make()
    s = enabled(engine)
    s.handle("configure terminal")
    for words in lines:
        out = s.handle(" ".join(words))
        assert isinstance(out, str)
        if s.interp is None and not s.closed:
            s.handle("configure terminal")
    s.handle("\x1a")
    engine.facts()
    enabled(engine).handle("show running-config")
