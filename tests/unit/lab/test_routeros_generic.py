"""The whole of RouterOS v7 on the twin: every menu of the catalog, generic items with
add/set/remove/find/print/export, built-in items with their defaults, every continuation
form, and a configuration loaded with its refusals reported by line."""

from __future__ import annotations

import pytest

from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import catalog
from pydriver.platforms.mikrotik_routeros.engine.api import matches
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.engine.load import Refused
from pydriver.platforms.mikrotik_routeros.engine.terminal import LoginOptions


@pytest.fixture
def ros() -> RouterOSEngine:
    return RouterOSEngine("r1", "RB5009UG+S+", scheduler=NoTimers())


def test_every_configuration_menu_of_the_catalog_is_there(ros: RouterOSEngine) -> None:
    paths = catalog.config_paths()
    assert len(paths) > 350
    for path in paths:
        out = ros.run("/" + " ".join(path) + " print")
        assert "bad command name" not in out and "expected end" not in out, (path, out)


def test_a_generic_menu_adds_sets_finds_prints_exports_and_removes(ros: RouterOSEngine) -> None:
    lines = [
        "/interface wireguard add name=wg0 listen-port=13231 mtu=1420",
        '/interface wireguard peers add interface=wg0 public-key="k=" allowed-address=10.9.0.2/32',
        "/ip address add address=10.9.0.1/24 interface=wg0",  # a modelled menu sees wg0
        "/routing ospf instance add name=o1 router-id=10.9.0.1",
        "/routing ospf area add name=backbone instance=o1",
        "/interface wireguard set wg0 mtu=1400",
    ]
    for line in lines:
        assert ros.run(line) == "", line
    assert ros.run(":put [/interface wireguard get [find name=wg0] mtu]") == "1400\n"
    assert "listen-port=13231" in ros.run("/interface wireguard print detail where name=wg0")
    assert ros.run("/routing ospf area print count-only") == "1\n"
    exported = ros.export()
    wg = exported.index("/interface wireguard\nadd listen-port=13231 mtu=1400 name=wg0")
    assert wg < exported.index("/ip address")  # made before the address that uses it
    assert "/interface wireguard peers\nadd allowed-address=10.9.0.2/32 interface=wg0" \
        in exported
    assert "/routing ospf instance\nadd name=o1 router-id=10.9.0.1" in exported
    assert ros.run("/routing ospf area remove [find name=backbone]") == ""
    assert "/routing ospf area" not in ros.export()


def test_names_the_router_does_not_know_are_refused_as_it_refuses_them(
        ros: RouterOSEngine) -> None:
    assert ros.run("/interface wireguard add name=wg0 colour=red") == \
        "expected end of command (line 1 column 35)\n"
    assert ros.run("/interface wireguard peerz print") == \
        "bad command name peerz (line 1 column 22)\n"
    assert ros.run("/ip address add foo=bar") == "expected end of command (line 1 column 17)\n"
    assert ros.run("/ip address add address=1.1.1.300/24 interface=ether5") == \
        "invalid value for argument address\n"  # modelled menus keep their value checks


def test_built_in_items_come_with_the_router(ros: RouterOSEngine) -> None:
    assert "topics=critical" in ros.run("/system logging print detail")
    assert ros.run("/queue type print count-only") == "10\n"
    for line in ("/system logging set 0 topics=info,!dhcp",
                 "/queue type set 0 pfifo-limit=100",
                 "/ppp profile set *FFFFFFFE local-address=10.8.0.1",
                 "/interface wireless security-profiles set [ find default=yes ] "
                 "supplicant-identity=r1"):
        assert ros.run(line) == "", line
    exported = ros.export()
    assert "/system logging\nset 0 topics=info,!dhcp" in exported
    assert "/queue type\nset 0 pfifo-limit=100" in exported
    assert "/ppp profile\nset *FFFFFFFE local-address=10.8.0.1" in exported
    assert "set [ find default=yes ] supplicant-identity=r1" in exported
    assert ros.run("/queue type remove 0") == "failure: default item can not be removed\n"


def test_properties_real_configurations_use_are_accepted(ros: RouterOSEngine) -> None:
    lines = [
        '/system script add name=x owner=ops source=":put 1"',
        "/ip route add blackhole dst-address=10.66.0.0/16",
        "/ip dns static add name=www.jip type=CNAME cname=portal.jip",
        "/ip dns static add regexp=\".*\\\\.example\\$\" forward-to=10.10.10.53 type=FWD",
        "/routing bgp connection add name=up afi=ip local.role=ebgp remote.as=65000 "
        "remote.address=10.0.0.1 .as=65001",
        "/ip firewall filter add chain=input action=add-src-to-address-list "
        "address-list=scan address-list-timeout=none-dynamic",
        "/ip dns static add address=fd00::1 name=v6.jip type=AAAA",
    ]
    for line in lines:
        assert ros.run(line) == "", line
    exported = ros.export()
    assert "add blackhole dst-address=10.66.0.0/16" in exported
    assert "cname=portal.jip name=www.jip type=CNAME" in exported
    assert "afi=ip" in exported and "remote.port" not in exported


def test_a_bare_unset_and_a_bare_flag_are_kept(ros: RouterOSEngine) -> None:
    assert ros.run("/routing ospf instance add name=o1 router-id=1.1.1.1") == ""
    assert ros.run("/routing ospf area add name=a1 instance=o1 no-summaries") == ""
    assert ros.run("/routing ospf instance set o1 !router-id") == ""
    exported = ros.export()
    assert "add name=o1\n" in exported
    assert "add instance=o1 name=a1 no-summaries\n" in exported


def test_every_continuation_form_is_joined(ros: RouterOSEngine) -> None:
    text = (
        "/ip address\r\n"
        "add address=10.1.0.1/24 comment=\\\r\n"
        "    \"wrapped \\\r\n"
        "    value\" interface=ether2\r\n"
        "/system script add name=s source=\"a\\\\\\\n"
        "    b\"\n"
        "/system script add name=t source={\n"
        ":put 1\n"
        ":put [/system identity get name]\n"
        "}\n"
    )
    report = ros.load_config(text)
    assert report.refused == ()
    assert ros.run(":put [/ip address get [find interface=ether2] comment]") == \
        "wrapped value\n"
    assert ros.run(":put [/system script get s source]") == "a\\b\n"
    assert ros.run("/system script run t") == "1\nMikroTik\n"


def test_the_console_joins_continued_lines_too(ros: RouterOSEngine) -> None:
    con = ros.open_session("admin")
    assert con.handle("/ip address add address=10.5.5.1/24 \\") == ""
    assert con.handle('    interface=ether2 comment="two') == ""
    assert con.handle('lines"') == ""
    assert ros.run(":put [/ip address get [find interface=ether2] comment]") == "two\nlines\n"
    assert con.handle(":do {") == "" and con.handle(":put inside") == ""
    assert con.handle("}") == "inside\n"


def test_load_config_reports_refused_lines_and_goes_on(ros: RouterOSEngine) -> None:
    text = ("# a comment\n"
            "/ip address\n"
            "add address=10.2.0.1/24 interface=ether3\n"
            "add address=10.2.1.1/24 interface=nope\n"
            "/ip bogus\n"
            "add x=1\n"
            "/ip route add dst-address=10.3.0.0/16 gateway=10.2.0.254\n")
    report = ros.load_config(text)
    assert report.lines == 5 and report.accepted == 2
    assert report.refused == (
        Refused(4, "add address=10.2.1.1/24 interface=nope",
                "input does not match any value of interface"),
        Refused(5, "/ip bogus", "bad command name bogus (line 1 column 5)"),
        Refused(6, "add x=1", "bad command name bogus (line 1 column 5)"),
    )
    assert "10.3.0.0/16" in ros.run("/ip route print")


def test_a_twin_from_a_backup_has_the_backup_hardware() -> None:
    text = ("# 2025-01-01 00:00:00 by RouterOS 7.16.2\n# model = CRS354-48G-4S+2Q+\n"
            "/interface ethernet set [ find default-name=ether49 ] comment=mgmt\n"
            "/interface wireless set [ find default-name=wlan1 ] ssid=jip disabled=no\n"
            "/port set 0 name=serial0\n"
            "/interface bridge add name=br\n"
            "/interface bridge port add bridge=br interface=ether30\n")
    twin, report = RouterOSEngine.from_export("sw", text, scheduler=NoTimers())
    assert report.refused == () and twin.model == "CRS354-48G-4S+2Q+"
    exported = twin.export()
    assert "set [ find default-name=ether49 ] comment=mgmt" in exported
    assert "set [ find default-name=wlan1 ] disabled=no ssid=jip" in exported
    assert "/port\nset 0 name=serial0" in exported
    # the twin from the backup's own export is the same router again
    again, second = RouterOSEngine.from_export("sw", exported, scheduler=NoTimers())
    assert second.refused == () and again.export().split("\n", 5)[5] == exported.split("\n", 5)[5]


def test_values_for_scripts_and_ipv6_addresses(ros: RouterOSEngine) -> None:
    assert ros.run("/ip address print as-value") == ""  # the console prints no value
    assert ros.run(":put [/ip address print as-value]") == (
        ".id=*1;address=192.168.88.1/24;interface=bridge;network=192.168.88.0;"
        "comment=defconf;disabled=false;dynamic=false;invalid=false\n")
    assert ros.run(":put [/ip address print count-only]") == "1\n"
    assert ros.run("/ipv6 address add address=2001:db8::1/64 interface=ether2") == ""
    listed = ros.run("/ipv6 address print")
    assert "2001:db8::1/64" in listed and "fe80::" in listed  # configured and link-local


def test_a_router_still_refuses_hardware_it_does_not_have(ros: RouterOSEngine) -> None:
    assert ros.run("/interface ethernet set ether49 comment=x") == "no such item\n"


def test_api_queries_are_a_stack_machine() -> None:
    row = {"name": "ether1", "mtu": "1500", "disabled": "false"}
    assert matches(row, ["?=name=ether1"])
    assert not matches(row, ["?=name=ether2"])
    assert matches(row, ["?=name=ether2", "?=mtu=1500", "?#|"])
    assert matches(row, ["?=name=ether2", "?#!"])
    assert matches(row, ["?>mtu=1400", "?<mtu=1600", "?-comment", "?disabled=no"])


@pytest.mark.parametrize(
    ("login", "colours", "detect", "dumb", "width", "height"),
    [("admin", True, True, False, None, None),
     ("admin+ct511w4098h", False, False, False, 511, 4098),
     ("admin+cet1024w", False, False, True, 1024, None),
     ("ops+t", True, False, False, None, None)],
)
def test_login_options(login: str, colours: bool, detect: bool, dumb: bool,
                       width: int | None, height: int | None) -> None:
    assert LoginOptions.parse(login) == LoginOptions(colours, detect, dumb, width, height)
