"""IOS-XE plans touch only the kinds of lines pydriver owns: a router's own OSPF, VRF, NAT
rule or discard route survives, while a stale pydriver item, a static route added by hand
and drift in the security baseline are still removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import driver as ios
from pydriver.platforms.cisco_ios.ownership import foreign, kind
from pydriver.render.render import RenderedConfig

FOREIGN = """\
vrf definition OPS
 rd 65000:99
router ospf 10
 network 10.99.0.0 0.0.0.255 area 0
access-list 99 permit 10.99.0.0 0.0.0.255
ip nat inside source list 99 interface GigabitEthernet0/0/0 overload
ip route 10.99.99.0 255.255.255.0 Null0
"""


@pytest.fixture(scope="module")
def site() -> RenderedConfig:
    return Pipeline(Path(__file__).resolve().parents[3] / "inventory").rendered["rtr-dinkes"]


def test_kinds() -> None:
    assert kind("router ospf 10") == "router ospf"
    assert kind("router bgp 65000") == "router bgp"
    assert kind("no ip domain lookup") == kind("ip domain name x") == "ip domain"
    assert kind("interface Tunnel7") == kind("interface Loopback0") == "interface"
    assert kind("access-list 99 permit any") == "access-list 99"
    assert kind("ip route 0.0.0.0 0.0.0.0 192.0.2.1 name internet") == "ip route"
    assert kind("ip route 10.0.0.0 255.0.0.0 Null0") == "ip route Null0"


def test_foreign_items_survive_the_plan(site: RenderedConfig) -> None:
    running = site.main.replace("\nend\n", "\n") + FOREIGN
    assert set(foreign(running, site.main)) == {
        "vrf definition OPS", "router ospf 10", "access-list 99 permit 10.99.0.0 0.0.0.255",
        "ip nat inside source list 99 interface GigabitEthernet0/0/0 overload",
        "ip route 10.99.99.0 255.255.255.0 Null0"}
    rem = ios.remediation(running, site)
    assert rem.empty, rem.commands


def test_stale_pydriver_items_and_baseline_drift_are_removed(site: RenderedConfig) -> None:
    stale = ("ip route 192.0.2.77 255.255.255.255 10.0.0.1 name underlay_to_hub-gone\n"
             "ip route 10.99.0.0 255.255.0.0 10.254.1.1\n"
             "ip access-list standard JIP-GONE\n 10 permit 10.9.9.0 0.0.0.255\n"
             "snmp-server community public RO\nlldp run\nusername intruder privilege 15 "
             "secret 9 $9$abc\n")
    running = site.main.replace("\nend\n", "\n") + FOREIGN + stale
    rem = ios.remediation(running, site)
    removed = {c for c in rem.commands if c.startswith("no ")}
    assert removed == {
        "no ip route 192.0.2.77 255.255.255.255 10.0.0.1 name underlay_to_hub-gone",
        "no ip route 10.99.0.0 255.255.0.0 10.254.1.1",
        "no ip access-list standard JIP-GONE",
        "no snmp-server community public RO", "no lldp run",
        "no username intruder privilege 15 secret 9 $9$abc"}, rem.commands
    assert not any("ospf" in c or "OPS" in c or "Null0" in c or "list 99" in c
                   for c in rem.commands)
