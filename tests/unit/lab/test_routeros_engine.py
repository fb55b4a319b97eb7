"""The emulated RouterOS console with no socket: menus, prompts, errors, items, export."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.engine.session import RouterOSSession


class _Handle:
    def cancel(self) -> None:
        return None


class _Scheduler:
    def call_later(self, delay: float, callback: Callable[[], None]) -> _Handle:
        return _Handle()


def make(model: str = "RB4011iGS+", **kw: object) -> RouterOSEngine:
    return RouterOSEngine("r1", model, scheduler=_Scheduler(), **kw)  # type: ignore[arg-type]


def body(export: str) -> list[str]:
    """An export without its header comments."""
    return [line for line in export.splitlines() if not line.startswith("#")]


@pytest.fixture
def ros() -> RouterOSEngine:
    return make()


@pytest.fixture
def con(ros: RouterOSEngine) -> RouterOSSession:
    return ros.open_session("admin")


# ------------------------------------------------------------------ factory defaults


@pytest.mark.parametrize(
    ("model", "ports"),
    [
        ("RB4011iGS+", [*(f"ether{n}" for n in range(1, 11)), "sfp-sfpplus1"]),
        ("RB5009UG+S+", [*(f"ether{n}" for n in range(1, 9)), "sfp-sfpplus1"]),
        ("CCR2004-16G-2S+", [*(f"ether{n}" for n in range(1, 17)), "sfp-sfpplus1",
                             "sfp-sfpplus2"]),
        ("RB750Gr3", [f"ether{n}" for n in range(1, 6)]),
        ("RB-unknown", [f"ether{n}" for n in range(1, 9)]),
    ],
)
def test_ports_by_model_and_defconf_bridge(model: str, ports: list[str]) -> None:
    ros = make(model)
    assert ros.config.table(("interface", "ethernet")).names() == ports
    exported = body(ros.export())
    bridged = [line for line in exported if line.startswith("add bridge=bridge")]
    assert bridged == [f"add bridge=bridge comment=defconf interface={p}" for p in ports[1:]]
    assert "add comment=defconf interface=ether1 list=WAN" in exported
    assert "add comment=defconf interface=ether1" in exported  # the dhcp-client


def test_factory_defaults(ros: RouterOSEngine) -> None:
    exported = body(ros.export())
    mac = ros.run(":put [/interface bridge get bridge admin-mac]").strip()
    assert mac.startswith("48:A9:8A:")
    assert exported[:2] == ["/interface bridge",
                            f"add admin-mac={mac} auto-mac=no comment=defconf name=bridge"]
    assert "add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0" \
        in exported
    assert "set allow-remote-requests=yes" in exported
    assert 'add action=drop chain=input comment="defconf: drop all not coming from LAN"' \
        " in-interface-list=!LAN" in exported
    assert "/user" not in exported  # users are never exported
    services = ros.run("/ip service print")
    for name, port in (("telnet", 23), ("ftp", 21), ("www", 80), ("ssh", 22), ("api", 8728),
                       ("winbox", 8291), ("api-ssl", 8729)):
        assert f"{name}" in services and f"{port}" in services
    assert "4 X  www-ssl  443" in services
    assert "public" in ros.run("/snmp community print")
    assert "full" in ros.run("/user print")
    assert ros.run("/ip ssh get strong-crypto") == "no\n"
    assert ros.run("/tool bandwidth-server get enabled") == "yes\n"
    assert ros.run("/ip neighbor discovery-settings get discover-interface-list") == "LAN\n"


def test_no_defaults_is_blank_but_keeps_builtins() -> None:
    ros = make(defaults=False)
    assert body(ros.export()) == []
    assert "ether1" in ros.run("/interface print")
    assert "telnet" in ros.run("/ip service print")


# ------------------------------------------------------------------ prompt and menus


def test_prompt_follows_menu_and_identity(con: RouterOSSession, ros: RouterOSEngine) -> None:
    assert con.prompt() == "[admin@MikroTik] > "
    assert con.handle("/ip address") == ""
    assert con.prompt() == "[admin@MikroTik] /ip/address> "
    assert "192.168.88.1/24" in con.handle("print")
    con.handle("..")
    assert con.prompt() == "[admin@MikroTik] /ip> "
    con.handle("firewall filter")
    assert con.prompt() == "[admin@MikroTik] /ip/firewall/filter> "
    con.handle("/")
    assert con.prompt() == "[admin@MikroTik] > "
    con.handle("/system identity set name=r-dinkes")
    assert con.prompt() == "[admin@r-dinkes] > "
    assert ros.identity == "r-dinkes"


def test_v7_slash_paths_and_abbreviations(ros: RouterOSEngine) -> None:
    assert "192.168.88.1/24" in ros.run("/ip/address/print")
    assert "192.168.88.1/24" in ros.run("/ip addr pr")
    ros.run("/ip/address/add address=10.1.1.1/24 interface=ether5")
    assert "10.1.1.1/24" in ros.run("/ip address print")


def test_session_closes_on_quit(con: RouterOSSession) -> None:
    con.handle("/ip address")
    assert not con.closed
    con.handle("quit")
    assert con.closed


# ------------------------------------------------------------------ errors, worded as RouterOS


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("/foo", "bad command name foo (line 1 column 2)"),
        ("/ip adress print", "bad command name adress (line 1 column 5)"),
        ("/ip address add foo=bar", "expected end of command (line 1 column 17)"),
        ("/ip address add address=1.1.1.1/24 interface=ether5 nope=1",
         "expected end of command (line 1 column 53)"),
        ('/ip address add comment="open', "syntax error (line 1 column 17)"),
        ("/ip address add address=192.168.88.1/24 interface=bridge",
         "failure: already have such address"),
        ("/ip address set 99 comment=x", "no such item"),
        ("/ip address set nosuch comment=x", "no such item"),
        ("/ip address add address=1.1.1.1/24 interface=ether99",
         "input does not match any value of interface"),
        ("/ip firewall filter add chain=input protocol=tcpx",
         "input does not match any value of protocol"),
        ("/ip ssh set strong-crypto=maybe", "input does not match any value of strong-crypto"),
        ("/ip address add address=1.1.1.300/24 interface=ether5",
         "invalid value for argument address"),
        ("/ip address add interface=ether5", "missing value(s) of argument(s) address"),
        ("/interface list add name=LAN", "failure: list with such name already exists"),
        ("/interface vlan add name=ether2 vlan-id=5 interface=ether1",
         "failure: already have interface with such name"),
        ("/snmp community remove [find default=yes]", "failure: default item can not be removed"),
    ],
)
def test_error_texts(ros: RouterOSEngine, line: str, error: str) -> None:
    assert ros.run(line) == error + "\n"


def test_column_counts_from_the_typed_line(con: RouterOSSession) -> None:
    con.handle("/ip address")
    assert con.handle("add bogus=1") == "expected end of command (line 1 column 5)\n"


def test_rejected_line_changes_nothing(ros: RouterOSEngine) -> None:
    before, generation = ros.export(), ros.generation
    ros.run("/ip address add address=1.1.1.1/24 interface=ether5 bogus=1")
    assert ros.export() == before
    assert ros.generation == generation


# ------------------------------------------------------------------ items


def test_set_by_number_id_name_and_find(ros: RouterOSEngine) -> None:
    ros.run("/interface bridge add name=br1")
    ros.run("/interface bridge set br1 comment=by-name")
    assert ros.run("/interface bridge get br1 comment") == "by-name\n"
    ros.run("/interface bridge set 1 comment=by-number")
    assert ros.run("/interface bridge get br1 comment") == "by-number\n"
    item_id = ros.run(":put [/interface bridge find name=br1]").strip()
    assert item_id.startswith("*")
    ros.run(f"/interface bridge set {item_id} comment=by-id")
    assert ros.run("/interface bridge get br1 comment") == "by-id\n"
    ros.run('/interface bridge set [find where name="br1" and comment~"by-"] comment=found')
    assert ros.run("/interface bridge get br1 comment") == "found\n"
    ros.run("/interface bridge set [find comment=nothing] comment=never")  # no match: no-op
    assert ros.run("/interface bridge get br1 comment") == "found\n"


def test_settings_fixed_and_default_items(ros: RouterOSEngine) -> None:
    ros.run("/ip service set telnet disabled=yes")
    ros.run("/ip service set [find name=winbox] address=10.10.99.0/24")
    ros.run("/snmp community set [ find default=yes ] disabled=yes")
    ros.run("/ip dns set servers=10.10.10.53,10.20.10.53 allow-remote-requests=no")
    exported = body(ros.export())
    assert exported[exported.index("/ip service") + 1:][:2] == [
        "set telnet disabled=yes", "set winbox address=10.10.99.0/24"]
    assert "set [ find default=yes ] disabled=yes" in exported
    assert exported[exported.index("/ip dns") + 1] == "set servers=10.10.10.53,10.20.10.53"


def test_remove_list_and_find(ros: RouterOSEngine) -> None:
    ros.run("/ip firewall filter remove 0,1")
    assert len(ros.run("/ip firewall filter print terse").splitlines()) == 9
    ros.run('/ip firewall filter remove [find where comment~"^defconf: drop"]')
    assert "drop" not in ros.run("/ip firewall filter print terse")


def test_place_before_move_enable_disable(ros: RouterOSEngine) -> None:
    ros.run("/ip firewall filter add chain=input action=drop comment=top place-before=0")
    assert ros.run("/ip firewall filter print terse").splitlines()[0].startswith(" 0   comment=top")
    ros.run("/ip firewall filter move [find comment=top]")  # no destination: to the end
    assert "comment=top" in ros.run("/ip firewall filter print terse").splitlines()[-1]
    ros.run("/ip firewall filter disable [find comment=top]")
    assert "add action=drop chain=input comment=top disabled=yes" in body(ros.export())
    assert "11 X comment=top" in ros.run("/ip firewall filter print terse")
    ros.run("/ip firewall filter enable [find comment=top]")
    assert not any("disabled=yes" in line for line in body(ros.export()))


def test_rename_is_followed_by_references(ros: RouterOSEngine) -> None:
    ros.run("/interface bridge set bridge name=br-lan")
    exported = body(ros.export())
    assert "add address=192.168.88.1/24 comment=defconf interface=br-lan network=192.168.88.0" \
        in exported
    assert "add bridge=br-lan comment=defconf interface=ether2" in exported
    ros.run("/interface ethernet set [find default-name=ether1] name=wan comment=uplink")
    exported = body(ros.export())
    assert "set [ find default-name=ether1 ] comment=uplink name=wan" in exported
    assert "add comment=defconf interface=wan list=WAN" in exported


def test_unset_returns_to_default(ros: RouterOSEngine) -> None:
    ros.run("/ip ssh set strong-crypto=yes")
    assert "set strong-crypto=yes" in body(ros.export())
    ros.run("/ip ssh unset strong-crypto")
    assert "/ip ssh" not in body(ros.export())


# ------------------------------------------------------------------ export format


def test_export_header_and_order(ros: RouterOSEngine) -> None:
    lines = ros.export().splitlines()
    assert lines[0].startswith("# ") and lines[0].endswith(" by RouterOS 7.16.2")
    assert lines[1].startswith("# software id = ")
    assert lines[2:4] == ["#", "# model = RB4011iGS+"]
    assert lines[4].startswith("# serial number = ")
    sections = [line for line in lines if line.startswith("/")]
    assert sections.index("/interface bridge") < sections.index("/interface bridge port")
    assert sections.index("/ip address") < sections.index("/ip firewall filter")


def test_export_sorts_quotes_and_omits_defaults(ros: RouterOSEngine) -> None:
    ros.run('/interface gre add remote-address=192.0.2.1 name=gre1 mtu=1400 keepalive=10s,10 '
            'allow-fast-path=no comment="link to \\"hub\\" $x"')
    ros.run("/system note set note=\"line one\\nline two\" show-at-login=yes")
    exported = body(ros.export())
    assert ('add allow-fast-path=no comment="link to \\"hub\\" \\$x" mtu=1400 name=gre1 '
            "remote-address=192.0.2.1") in exported
    assert 'set note="line one\\nline two"' in exported


def test_export_hides_sensitive_unless_asked(ros: RouterOSEngine) -> None:
    ros.run("/ip ipsec peer add name=p1 address=192.0.2.1/32 exchange-mode=ike2")
    ros.run('/ip ipsec identity add peer=p1 secret="s3cret with space"')
    ros.run("/radius add address=10.10.10.21 secret=radpass service=login timeout=3s")
    hidden = ros.export()
    assert "s3cret" not in hidden and "radpass" not in hidden
    assert "add peer=p1" in body(hidden)
    shown = body(ros.export("show-sensitive"))
    assert 'add peer=p1 secret="s3cret with space"' in shown
    assert "add address=10.10.10.21 secret=radpass service=login timeout=3s" in shown
    assert "s3cret" not in ros.run("/ip ipsec identity print")


def test_export_terse_verbose_and_menu_scope(ros: RouterOSEngine) -> None:
    terse = body(ros.run("/ip address export terse"))
    assert terse == ["/ip address add address=192.168.88.1/24 comment=defconf interface=bridge "
                     "network=192.168.88.0"]
    verbose = body(ros.run("/ip ssh export verbose"))
    assert verbose[1].startswith("set allow-none-crypto=no always-allow-password-login=no")
    scoped = body(ros.run("/ip firewall export"))
    assert scoped[0] == "/ip firewall filter" and "/ip address" not in scoped


def test_export_to_file(ros: RouterOSEngine) -> None:
    ros.run("/export file=backup")
    assert ros.read_file("backup.rsc") is not None
    assert "backup.rsc" in ros.run("/file print")


def test_user_menu(ros: RouterOSEngine) -> None:
    ros.run("/user add name=ops group=read password=pw comment=x")
    assert "ops" in ros.run("/user print")
    assert "pw" not in ros.run("/user print detail")
    assert ros.run("/user add name=ops group=full") == \
        "failure: user with the same name already exists\n"
    assert ros.run("/user add name=x group=nope") == "input does not match any value of group\n"


def test_generation_moves_on_every_change(ros: RouterOSEngine) -> None:
    start = ros.generation
    ros.run("/ip address print")
    assert ros.generation == start
    ros.run("/system identity set name=a")
    assert ros.generation == start + 1


def test_server_hooks(ros: RouterOSEngine) -> None:
    assert ros.is_config_command("/ip address add address=1.1.1.1/24 interface=ether2")
    assert ros.is_config_command("set [find] comment=x")
    assert ros.is_config_command("/ip/address/remove 0")
    assert not ros.is_config_command("/ip address print")
    assert not ros.is_config_command("/export")
    assert ros.reject_message("/ip address print") == "bad command name ip (line 1 column 2)\n"


def test_reboot_keeps_configuration_and_closes_sessions(ros: RouterOSEngine) -> None:
    con = ros.open_session("admin")
    ros.run("/system identity set name=kept")
    assert con.handle("/system reboot") == ""
    assert con.prompt() == "Reboot, yes? [y/N]: "
    assert con.handle("y") == "system will reboot shortly\n"
    assert con.closed
    assert ros.identity == "kept"
    assert not ros.open_session("admin").closed


def test_ping_and_routes_without_fabric(ros: RouterOSEngine) -> None:
    out = ros.run("ping 192.168.88.1 count=3")
    assert "sent=3 received=3 packet-loss=0%" in out
    assert "sent=2 received=0 packet-loss=100%" in ros.run("ping 10.9.9.9 count=2")
    ros.run("/ip route add dst-address=10.0.0.0/8 gateway=192.168.88.254 comment=x")
    routes = ros.run("/ip route print")
    assert "DAc    192.168.88.0/24  bridge" in routes
    assert "0  As  10.0.0.0/8       192.168.88.254" in routes
    assert "Flags: E - established" in ros.run("/routing bgp session print")


def test_banner_shows_note(ros: RouterOSEngine) -> None:
    ros.run('/system note set note="Authorised access only" show-at-login=yes')
    banner = ros.open_session("admin").banner()
    assert "MikroTik RouterOS 7.16.2" in banner and "Authorised access only" in banner


RENDERED_FORMS = """
/system identity set name=r-dinkes
/system clock set time-zone-name=Asia/Makassar
/system note set note="Authorised only" show-at-login=yes
/system ntp client set enabled=yes servers=10.10.10.11,10.20.10.11
/system logging action add name=remote1 target=remote remote=10.10.10.31 remote-port=514 \
    src-address=10.255.0.35
/system logging add action=remote1 topics=info,!debug prefix=jip
/system script add name=noop source=":put ok"
/system scheduler add name=later interval=5m on-event=noop
/interface bridge add name=lo0 comment=loop protocol-mode=none
/interface bridge port add bridge=lo0 interface=ether9 comment=p
/interface vlan add name=vl10 vlan-id=10 interface=ether1 comment=v
/interface list add name=MGMT comment=m
/interface list member add list=MGMT interface=vl10 comment=mm
/interface gre add name=gre1 local-address=192.0.2.14 remote-address=198.51.100.130 \
    allow-fast-path=no keepalive=10s,10 mtu=1400 comment=g disabled=no
/ip address add address=10.1.2.1/24 interface=vl10 comment=a
/ip route add dst-address=10.20.0.0/16 gateway=10.1.2.254 distance=1 comment=r \
    routing-table=main
/ip dns set servers=10.10.10.53 allow-remote-requests=no
/ip service set ssh disabled=no address=10.10.99.0/24 port=22
/ip ssh set strong-crypto=yes host-key-type=ed25519 allow-none-crypto=no
/ip ssh set host-key-type=rsa
/ip neighbor discovery-settings set discover-interface-list=none
/ip proxy set enabled=no
/ip socks set enabled=no
/ip upnp set enabled=no
/ip cloud set ddns-enabled=no update-time=no
/ip firewall address-list add list=mgmt address=10.10.99.0/24 comment=l
/ip firewall filter add chain=input action=accept protocol=tcp src-address=10.0.0.0/8 \
    dst-address=10.1.2.1 src-address-list=mgmt dst-address-list=mgmt in-interface=vl10 \
    in-interface-list=MGMT out-interface=ether2 dst-port=22 \
    connection-state=established,related ipsec-policy=in,ipsec comment=f \
    log=yes log-prefix=x disabled=no
/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1 src-address=10.0.0.0/8
/ip firewall mangle add chain=prerouting action=change-dscp new-dscp=46 passthrough=yes \
    src-address=10.1.2.0/24 comment=q
/ip ipsec profile add name=jip hash-algorithm=sha256 enc-algorithm=aes-256,aes-128 \
    dh-group=ecp256,modp2048 lifetime=1d prf-algorithm=sha256 nat-traversal=yes \
    dpd-interval=30s
/ip ipsec proposal add name=jip auth-algorithms=sha256 enc-algorithms=aes-256-gcm,aes-256-cbc \
    pfs-group=ecp256 lifetime=1h
/ip ipsec peer add name=hub address=198.51.100.130/32 local-address=192.0.2.14 profile=jip \
    exchange-mode=ike2 send-initial-contact=yes passive=no comment=p
/ip ipsec identity add peer=hub auth-method=pre-shared-key secret="s e c" generate-policy=no \
    comment=i
/ip ipsec policy add peer=hub src-address=192.0.2.14/32 dst-address=198.51.100.130/32 \
    protocol=gre tunnel=no proposal=jip action=encrypt level=require comment=pol
/routing table add name=alt fib
/routing filter rule add chain=site-in rule="if (dst in 10.0.0.0/8) { accept }" comment=fr
/routing bgp connection add name=hub as=4200000003 router-id=10.255.0.35 local.role=ebgp \
    local.address=10.254.0.54 remote.address=10.254.0.53 remote.as=65052 \
    output.network=mgmt output.default-originate=never input.filter=site-in \
    output.filter-chain=site-in hold-time=30s keepalive-time=10s comment=b templates=default
/queue simple add name=total target=10.1.2.0/24 max-limit=50M/50M limit-at=20M/20M \
    priority=1/1 comment=t
/queue simple add name=child target=10.1.2.0/25 parent=total max-limit=10M/10M \
    place-before=0
/user group add name=ops policy=read,test,!write
/user add name=ops1 group=ops password=pw comment=u
/user aaa set use-radius=yes default-group=read
/radius add address=10.10.10.21 secret=rad service=login src-address=10.255.0.35 timeout=3s \
    comment=r
/snmp set enabled=yes contact="NOC <noc@x>" location="Mataram" trap-version=3 \
    trap-community=jip src-address=10.255.0.35
/snmp community add name=mon security=private authentication-protocol=SHA256 \
    authentication-password=a1 encryption-protocol=AES encryption-password=e1 \
    addresses=10.10.99.0/24 read-access=yes write-access=no comment=c
/snmp community set [find default=yes] disabled=yes
/tool mac-server set allowed-interface-list=none
/tool mac-server mac-winbox set allowed-interface-list=none
/tool mac-server ping set enabled=no
/tool bandwidth-server set enabled=no
/tool romon set enabled=no
/ip dhcp-client add interface=ether2 disabled=yes add-default-route=no comment=d
"""


def test_every_form_pydriver_renders_is_accepted() -> None:
    ros = make(defaults=False)
    ros.write_file("forms.rsc", RENDERED_FORMS)
    assert ros.run("/import file-name=forms.rsc") == \
        "\nScript file loaded and executed successfully\n"
    exported = body(ros.export())
    assert "add action=change-dscp chain=prerouting comment=q new-dscp=46 " \
        "src-address=10.1.2.0/24" in exported
    assert "set host-key-type=rsa strong-crypto=yes" not in exported  # rsa is the default
    assert "set strong-crypto=yes" in exported
