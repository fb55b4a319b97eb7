"""The generic part of the IOS twin: IOS-XE lines pydriver does not render, kept as IOS does.

Lines are placed by the mode their command enters (not by indentation), ``no`` removes them
(or is shown when it turns a default off), typos still get IOS's caret, and what the twin
shows is what it would take back.
"""

from __future__ import annotations

import pytest

from pydriver.platforms.cisco_ios.driver import banner_delimiter, normalise
from pydriver.platforms.cisco_ios.engine import IOSEngine, IOSSession
from pydriver.platforms.cisco_ios.engine.grammar import tokenize
from pydriver.platforms.emulation import NoTimers

CARET = "% Invalid input detected at '^' marker."


def make() -> IOSEngine:
    return IOSEngine("r1", scheduler=NoTimers())


def config_session(engine: IOSEngine) -> IOSSession:
    s = engine.open_session("admin")
    s.handle("enable")
    s.handle("lab")
    assert s.handle("configure terminal").startswith("Enter configuration commands")
    return s


def typed(engine: IOSEngine, *lines: str) -> list[str]:
    """Type ``lines`` in configuration mode; the outputs, one per line."""
    s = config_session(engine)
    out = [s.handle(line) for line in lines]
    s.handle("end")
    return out


def body(engine: IOSEngine) -> list[str]:
    return engine.running_text().splitlines()


def block(engine: IOSEngine, head: str) -> list[str]:
    """``head`` and its indented lines, as show running-config prints them."""
    lines = body(engine)
    i = lines.index(head)
    j = i + 1
    while j < len(lines) and lines[j].startswith(" "):
        j += 1
    return lines[i:j]


# ---------------------------------------------------------------- refusing what IOS refuses


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("frobnicate all", 0),
        ("ip fooo 1", 3),
        ("router ospf abc", 12),
        ("interface GigabitEthernet9/9/9", 10),
        ("access-list 5 allow any", 14),
        ("snmp-server bogus-keyword x", 12),
        ("crypto pki trustee X", 11),
    ],
)
def test_garbage_gets_the_caret_under_the_first_bad_word(line: str, column: int) -> None:
    engine = make()
    s = config_session(engine)
    prompt = s.prompt()
    out = s.handle(line)
    assert out == " " * (len(prompt) + column) + "^\n" + CARET + "\n\n"
    assert s.prompt() == prompt  # still in global configuration


@pytest.mark.parametrize("line", ["router ospf", "hostname", "crypto pki trustpoint"])
def test_a_line_cut_short_is_incomplete(line: str) -> None:
    assert typed(make(), line) == ["% Incomplete command.\n\n"]


def test_a_keyword_unknown_in_a_sub_mode_is_refused_there() -> None:
    engine = make()
    s = config_session(engine)
    assert s.handle("router ospf 1") == ""
    assert s.prompt() == "Router(config-router)#"
    out = s.handle(" area 0 frobnicate")
    assert out == "" and s.prompt() == "Router(config-router)#"  # area takes free text
    out = s.handle("redistributed static")
    assert CARET in out and s.prompt() == "Router(config-router)#"
    assert s.handle("hostname R9") == ""  # a global command leaves the sub-mode, as on IOS
    assert s.prompt() == "R9(config)#"


# ---------------------------------------------------------------- placing lines


def test_sub_modes_are_entered_by_command_not_by_indentation() -> None:
    engine = make()
    engine.load_config(
        "hostname flat\n"
        "router ospf 1\n"
        "router-id 10.255.0.1\n"
        "passive-interface default\n"
        "no passive-interface GigabitEthernet0/0/1\n"
        "network 10.0.0.0 0.0.0.255 area 0\n"
        "crypto pki trustpoint TP\n"
        "enrollment selfsigned\n"
        "revocation-check none\n"
        "call-home\n"
        'profile "CiscoTAC-1"\n'
        "active\n"
        "destination transport-method http\n"
        "ip domain name lab.example\n"
    )
    assert block(engine, "router ospf 1") == [
        "router ospf 1",
        " router-id 10.255.0.1",
        " passive-interface default",
        " no passive-interface GigabitEthernet0/0/1",
        " network 10.0.0.0 0.0.0.255 area 0",
    ]
    assert block(engine, "crypto pki trustpoint TP")[1:] == [
        " enrollment selfsigned",
        " revocation-check none",
    ]
    assert block(engine, "call-home") == [
        "call-home",
        ' profile "CiscoTAC-1"',
        "  active",
        "  destination transport-method http",
    ]
    assert "ip domain name lab.example" in body(engine)


def test_prompts_name_the_mode_as_ios_does() -> None:
    engine = make()
    s = config_session(engine)
    for line, prompt in (
        ("router ospf 1", "config-router"),
        ("router eigrp LAB", "config-router"),
        ("address-family ipv4 unicast autonomous-system 100", "config-router-af"),
        ("af-interface default", "config-router-af-interface"),
        ("exit-af-interface", "config-router-af"),
        ("crypto pki trustpoint TP", "ca-trustpoint"),
        ("crypto isakmp policy 10", "config-isakmp"),
        ("ip dhcp pool LAN", "dhcp-config"),
        ("tacacs server T1", "config-server-tacacs"),
        ("aaa group server tacacs+ TAC", "config-sg-tacacs+"),
        ("ip sla 5", "config-ip-sla"),
        ("icmp-echo 10.0.0.1 source-interface Loopback0", "config-ip-sla-echo"),
        ("track 1 ip sla 5 reachability", "config-track"),
        ("key chain KC", "config-keychain"),
        ("key 1", "config-keychain-key"),
        ("bfd-template single-hop BFD", "config-bfd"),
        ("interface GigabitEthernet0/0/1", "config-if"),
        ("vrrp 1 address-family ipv4", "config-if-vrrp"),
    ):
        assert s.handle(line) == "", line
        assert s.prompt() == f"Router({prompt})#", line


def test_a_repeat_replaces_or_adds_as_ios_keys_the_line() -> None:
    engine = make()
    typed(
        engine,
        "interface GigabitEthernet0/0/1",
        " ip ospf cost 10",
        " ip ospf cost 20",
        " ip helper-address 10.0.0.1",
        " ip helper-address 10.0.0.2",
        " standby 1 ip 10.0.0.254",
        " standby 1 priority 110",
        " standby 1 priority 120",
        " ip address dhcp",
    )
    lines = block(engine, "interface GigabitEthernet0/0/1")
    assert lines == [
        "interface GigabitEthernet0/0/1",
        " ip address dhcp",
        " ip helper-address 10.0.0.1",
        " ip helper-address 10.0.0.2",
        " ip ospf cost 20",
        " standby 1 ip 10.0.0.254",
        " standby 1 priority 120",
        " negotiation auto",
    ]


def test_no_removes_a_line_or_shows_a_default_turned_off() -> None:
    engine = make()
    typed(
        engine,
        "router ospf 1",
        " log-adjacency-changes",
        " network 10.0.0.0 0.0.0.255 area 0",
        " no network 10.0.0.0 0.0.0.255 area 0",
        "interface GigabitEthernet0/0/1",
        " no mop enabled",
        " ip ospf cost 5",
        " no ip ospf cost",
        "ip community-list standard LOCAL permit 65000:1",
        "ip as-path access-list 10 permit ^$",
        "no ip community-list standard LOCAL permit 65000:1",
    )
    assert block(engine, "router ospf 1") == ["router ospf 1"]  # log-adjacency is the default
    assert block(engine, "interface GigabitEthernet0/0/1")[1:] == [
        " no ip address",
        " negotiation auto",
        " no mop enabled",
    ]
    assert "ip as-path access-list 10 permit ^$" in body(engine)
    assert not any(ln.startswith("ip community-list") for ln in body(engine))
    typed(engine, "interface GigabitEthernet0/0/1", " mop enabled", "no router ospf 1")
    assert " no mop enabled" not in body(engine) and " mop enabled" not in body(engine)
    assert "router ospf 1" not in body(engine)


def test_quoted_words_are_one_argument() -> None:
    assert [t.text for t in tokenize(' action 1.0 cli command "show ip route" pattern x')] == [
        "action",
        "1.0",
        "cli",
        "command",
        '"show ip route"',
        "pattern",
        "x",
    ]
    engine = make()
    typed(engine, "event manager applet SAVE", ' action 1.0 cli command "write memory"')
    assert block(engine, "event manager applet SAVE") == [
        "event manager applet SAVE",
        ' action 1.0 cli command "write memory"',
    ]


def test_a_certificate_is_read_as_hex_until_quit() -> None:
    engine = make()
    s = config_session(engine)
    s.handle("crypto pki certificate chain TP")
    assert "quit" in s.handle(" certificate self-signed 01")
    assert s.prompt() == ""  # IOS reads the hex with no prompt
    assert s.handle("  3082032E 30820216 a0030201") == ""
    assert CARET in s.handle("  not hex at all")
    assert s.handle("  \tquit") == ""
    assert s.prompt() == "Router(config-cert-chain)#"
    s.handle("end")
    assert block(engine, "crypto pki certificate chain TP") == [
        "crypto pki certificate chain TP",
        " certificate self-signed 01",
        "  3082032E 30820216 A0030201",
        "  \tquit",
    ]


@pytest.mark.parametrize(
    ("typed_lines", "shown"),
    [
        (["banner motd #Authorised only#"], ["banner motd ^CAuthorised only^C"]),
        (["banner login $", "line one", "two$"], ["banner login ^C", "line one", "two^C"]),
        (["banner exec ^C", "text ^C"], ["banner exec ^C", "text ^C"]),
    ],
)
def test_banners_take_any_delimiter_and_are_shown_with_ctrl_c(
    typed_lines: list[str], shown: list[str]
) -> None:
    engine = make()
    typed(engine, *typed_lines)
    lines = body(engine)
    i = lines.index(shown[0])
    assert lines[i : i + len(shown)] == shown


def test_the_driver_reads_banners_the_way_ios_prints_them() -> None:
    assert banner_delimiter("banner motd ^Chello^C") == ("^C", True)
    assert banner_delimiter("banner login #") == ("#", False)
    text = "banner motd ^Cone line^C\ninterface Loopback0\n ip address 1.1.1.1 255.255.255.255\n"
    assert normalise(text).splitlines()[:3] == [
        "banner motd ^Cone line^C",
        "interface Loopback0",
        " ip address 1.1.1.1 255.255.255.255",
    ]


# ---------------------------------------------------------------- rendering as IOS-XE


def test_transform_sets_show_their_mode() -> None:
    engine = make()
    typed(engine, "crypto ipsec transform-set T esp-aes esp-sha-hmac")
    assert block(engine, "crypto ipsec transform-set T esp-aes esp-sha-hmac")[1:] == [
        " mode tunnel"
    ]
    typed(engine, "crypto ipsec transform-set T esp-aes esp-sha-hmac", " mode transport")
    assert block(engine, "crypto ipsec transform-set T esp-aes esp-sha-hmac")[1:] == [
        " mode transport"
    ]


def test_snmp_hosts_are_one_line_per_community() -> None:
    engine = make()
    typed(
        engine,
        "snmp-server host 10.1.1.1 version 2c public",
        "snmp-server host 10.1.1.1 version 2c private",
        "snmp-server host 10.1.1.1 version 2c public snmp config",
        "snmp-server host 10.1.1.1 informs version 3 priv monitor",
    )
    assert [ln for ln in body(engine) if ln.startswith("snmp-server host")] == [
        "snmp-server host 10.1.1.1 version 2c public snmp config",
        "snmp-server host 10.1.1.1 version 2c private",
        "snmp-server host 10.1.1.1 informs version 3 priv monitor",
    ]
    typed(engine, "no snmp-server host 10.1.1.1 version 2c private")
    assert "snmp-server host 10.1.1.1 version 2c private" not in body(engine)


def test_acl_entries_pad_deny_as_ios_prints_it() -> None:
    engine = make()
    typed(
        engine,
        "ip access-list extended EDGE",
        " permit tcp any any eq 22",
        " deny ip any any log",
        "access-list 10 deny any",
        "access-list 10 permit 10.0.0.0 0.255.255.255",
    )
    assert block(engine, "ip access-list extended EDGE")[1:] == [
        " 10 permit tcp any any eq 22",
        " 20 deny   ip any any log",
    ]
    assert [ln for ln in body(engine) if ln.startswith("access-list")] == [
        "access-list 10 deny   any",
        "access-list 10 permit 10.0.0.0 0.255.255.255",
    ]
    typed(engine, "no access-list 10")
    assert not any(ln.startswith("access-list") for ln in body(engine))


def test_bgp_peer_groups_vrfs_and_address_families() -> None:
    engine = make()
    typed(
        engine,
        "router bgp 65000",
        " neighbor 10.1.1.1 peer-group PG",
        " neighbor PG peer-group",
        " neighbor PG remote-as 65001",
        " neighbor 10.1.1.1 peer-group PG",
        " neighbor 10.1.1.1 fall-over bfd",
        " address-family ipv4",
        "  neighbor 10.1.1.1 activate",
        "  neighbor PG route-map IN in",
        " exit-address-family",
        " address-family ipv4 vrf CUST",
        "  redistribute connected",
        " exit-address-family",
    )
    assert block(engine, "router bgp 65000") == [
        "router bgp 65000",
        " neighbor PG peer-group",
        " neighbor PG remote-as 65001",
        " neighbor 10.1.1.1 peer-group PG",
        " neighbor 10.1.1.1 fall-over bfd",
        " !",
        " address-family ipv4",
        "  neighbor PG route-map IN in",
        "  neighbor 10.1.1.1 activate",
        " exit-address-family",
        " !",
        " address-family ipv4 vrf CUST",
        "  redistribute connected",
        " exit-address-family",
    ]
    neighbors = engine.facts().bgp_neighbors
    assert [(n.remote_address, n.remote_as) for n in neighbors] == [("10.1.1.1", 65001)]


def test_first_line_of_the_list_typed_before_its_peer_group_is_refused() -> None:
    engine = make()
    out = typed(engine, "router bgp 65000", " neighbor 10.1.1.1 activate")
    assert out[1] == "% Specify remote-as or peer-group commands first\n"


def test_static_routes_to_null_into_vrfs_and_from_dhcp() -> None:
    engine = make()
    typed(
        engine,
        "ip route vrf MGMT 0.0.0.0 0.0.0.0 192.168.0.1",
        "ip route 10.9.0.0 255.255.0.0 Null0",
        "ip route 0.0.0.0 0.0.0.0 dhcp",
    )
    assert [ln for ln in body(engine) if ln.startswith("ip route")] == [
        "ip route 0.0.0.0 0.0.0.0 dhcp",
        "ip route 10.9.0.0 255.255.0.0 Null0",
        "ip route vrf MGMT 0.0.0.0 0.0.0.0 192.168.0.1",
    ]
    assert engine.facts().static_routes == (("10.9.0.0/16", "Null0"),)


def test_overlapping_addresses_are_allowed_in_different_vrfs() -> None:
    engine = make()
    out = typed(
        engine,
        "interface GigabitEthernet0/0/0",
        " ip address 10.0.0.1 255.255.255.0",
        "interface GigabitEthernet0/0/1",
        " vrf forwarding A",
        " ip address 10.0.0.1 255.255.255.0",
        "interface GigabitEthernet0/0/2",
        " ip address 10.0.0.2 255.255.255.0",
    )
    assert out[:5] == ["", "", "", "", ""]
    assert out[6] == "% 10.0.0.0 overlaps with GigabitEthernet0/0/0\n"
    assert [a for _, a in engine.facts().addresses] == ["10.0.0.1/24"]  # the VRF is apart
