"""NAPALM's unchanged ``ios`` driver against the IOS twin over SSH: getters and the whole
config workflow (merge, replace, diff, commit, commit with revert, confirm, rollback), each
step checked on the router's own running configuration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from napalm import get_network_driver

from pydriver.lab.emu.fabric import Fabric
from pydriver.lab.emu.server import EmulatorThread
from pydriver.platforms.cisco_ios.engine import IOSEngine
from tests.conftest import wait_for

pytestmark = pytest.mark.lab

SECRET = "en4ble"
START = """\
hostname twin1
ip domain name lab.example
username admin privilege 15 secret 0 adm1n-pw
username viewer privilege 1 secret 0 v1ew-pw
archive
 path bootflash:archive
ip scp server enable
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
interface GigabitEthernet0/0/1
 description uplink to isp
 ip address 10.0.0.2 255.255.255.0
interface GigabitEthernet0/0/2
 description spare
 shutdown
router bgp 65001
 bgp router-id 10.255.0.1
 neighbor 10.0.0.1 remote-as 65000
 neighbor 10.0.0.1 description upstream
ip route 10.9.0.0 255.255.0.0 10.0.0.1
"""


@dataclass
class Twin:
    emu: EmulatorThread
    engine: IOSEngine
    port: int

    def running(self) -> str:
        return self.emu.call(self.engine.running_text)

    def startup(self) -> str:
        return self.emu.call(lambda: self.engine.startup)

    def device(self, **optional: Any) -> Any:
        driver = get_network_driver("ios")
        dev = driver(
            "127.0.0.1",
            "admin",
            "admin",
            optional_args={"port": self.port, "secret": SECRET, **optional},
        )
        dev.open()
        return dev


def _settings(running: str) -> list[str]:
    """The configuration lines, without NAPALM's own ``file prompt quiet`` (set for its file
    copies until it closes) and the ``!`` separators that come and go with it."""
    return [ln for ln in running.splitlines() if ln not in ("!", "file prompt quiet")]


def _twin(emu: EmulatorThread, minute_seconds: float) -> Twin:
    engine = IOSEngine("twin1", scheduler=emu.scheduler, minute_seconds=minute_seconds)
    report = engine.load_config(START)
    assert report.refused == ()
    return Twin(emu, engine, emu.add_device(engine, secret=SECRET))


@pytest.fixture
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


def test_getters_describe_the_twin(emu: EmulatorThread) -> None:
    twin = _twin(emu, 60.0)
    dev = twin.device()
    try:
        facts = dev.get_facts()
        assert facts["hostname"] == "twin1" and facts["fqdn"] == "twin1.lab.example"
        assert facts["vendor"] == "Cisco" and facts["model"] == "ISR4451-X/K9"
        assert facts["serial_number"] == twin.engine.hardware.serial
        assert "17.9.4a" in facts["os_version"]
        assert {"Loopback0", "GigabitEthernet0/0/1", "GigabitEthernet0"} <= set(
            facts["interface_list"]
        )

        interfaces = dev.get_interfaces()
        uplink = interfaces["GigabitEthernet0/0/1"]
        assert uplink["description"] == "uplink to isp" and uplink["is_up"]
        assert uplink["speed"] == 1000.0 and uplink["mtu"] == 1500
        assert not interfaces["GigabitEthernet0/0/2"]["is_enabled"]

        ips = dev.get_interfaces_ip()
        assert ips["GigabitEthernet0/0/1"]["ipv4"] == {"10.0.0.2": {"prefix_length": 24}}
        assert ips["Loopback0"]["ipv4"] == {"10.255.0.1": {"prefix_length": 32}}

        config = dev.get_config()
        assert "hostname twin1" in config["running"] and "hostname twin1" in config["startup"]

        bgp = dev.get_bgp_neighbors()
        assert bgp["global"]["router_id"] == "10.255.0.1"
        peer = bgp["global"]["peers"]["10.0.0.1"]
        assert peer["local_as"] == 65001 and peer["remote_as"] == 65000
        assert peer["description"] == "upstream"
        assert peer["is_up"] is False and peer["is_enabled"] is True  # no fabric: Idle

        arp = dev.get_arp_table()
        assert {(e["interface"], e["ip"], e["age"]) for e in arp} == {
            ("GigabitEthernet0/0/1", "10.0.0.2", -1.0)
        }

        users = dev.get_users()
        assert users["admin"]["level"] == 15 and users["admin"]["password"].startswith("$9$")
        assert users["viewer"]["level"] == 1

        static = dev.get_route_to("10.9.1.1")["10.9.0.0/16"][0]
        assert static["protocol"] == "static" and static["next_hop"] == "10.0.0.1"
        connected = dev.get_route_to("10.0.0.0/24")["10.0.0.0/24"][0]
        assert connected["protocol"] == "connected"
        assert connected["outgoing_interface"] == "GigabitEthernet0/0/1"
        assert dev.get_route_to("192.0.2.0/24") == {"192.0.2.0/24": []}
    finally:
        dev.close()


@pytest.mark.parametrize("inline", [False, True], ids=["scp", "tclsh"])
def test_merge_replace_confirm_and_rollback(emu: EmulatorThread, inline: bool) -> None:
    twin = _twin(emu, 30.0)  # a revert "minute" long enough to confirm in
    dev = twin.device(inline_transfer=inline)
    try:
        dev.load_merge_candidate(config="interface Loopback7\n description merged\nend\n")
        assert dev.compare_config() == "+interface Loopback7\n+ description merged"
        assert "interface Loopback7" not in twin.running()  # only loaded, not committed
        dev.commit_config()
        running = twin.running()
        assert "interface Loopback7\n description merged\n" in running
        assert "interface Loopback7" in twin.startup()  # NAPALM saves a merge

        dev.load_merge_candidate(config="interface Loopback8\nend\n")
        dev.discard_config()
        assert dev.compare_config() == ""

        candidate = running.replace("description merged", "description replaced")
        candidate = candidate.replace("ip route 10.9.0.0 255.255.0.0 10.0.0.1\n", "")
        dev.load_replace_candidate(config=candidate)
        diff = dev.compare_config()
        assert "interface Loopback7\n -description merged\n +description replaced" in diff
        assert "-ip route 10.9.0.0 255.255.0.0 10.0.0.1" in diff
        dev.commit_config(revert_in=60)
        assert dev.has_pending_commit()
        assert "description replaced" in twin.running()
        assert "ip route 10.9.0.0" not in twin.running()
        dev.confirm_commit()
        assert not dev.has_pending_commit()
        assert "description replaced" in twin.startup()

        dev.rollback()  # to the configuration saved before the last commit
        after = twin.running()
        assert "description merged" in after and "description replaced" not in after
        assert "ip route 10.9.0.0 255.255.0.0 10.0.0.1" in after
    finally:
        dev.close()
    assert "file prompt quiet" not in twin.running()  # NAPALM puts it back as it was


def test_an_unconfirmed_commit_reverts_by_itself(emu: EmulatorThread) -> None:
    twin = _twin(emu, 0.5)  # half a second per IOS minute
    dev = twin.device()
    try:
        dev.load_merge_candidate(config="interface Loopback5\n description temporary\nend\n")
        dev.commit_config(revert_in=60)
        assert "interface Loopback5" in twin.running()
        wait_for(lambda: "interface Loopback5" not in twin.running(), timeout=20, interval=0.1)
        assert not dev.has_pending_commit()
    finally:
        dev.close()


def test_a_merge_the_twin_refuses_is_rolled_back(emu: EmulatorThread) -> None:
    twin = _twin(emu, 60.0)
    dev = twin.device()
    try:
        before = twin.running()
        dev.load_merge_candidate(config="interface Loopback9\n frobnicate now\nend\n")
        with pytest.raises(Exception, match="Invalid input detected"):
            dev.commit_config()
        after = twin.running()
        assert "interface Loopback9" not in after
        assert _settings(after) == _settings(before)
    finally:
        dev.close()


PEER = """\
hostname isp1
interface Loopback0
 ip address 10.255.9.9 255.255.255.255
interface GigabitEthernet0/0/1
 ip address 10.0.0.1 255.255.255.0
router bgp 65000
 bgp router-id 10.255.9.9
 neighbor 10.0.0.2 remote-as 65001
 address-family ipv4
  network 10.255.9.9 mask 255.255.255.255
  neighbor 10.0.0.2 activate
 exit-address-family
"""


def test_bgp_sessions_and_learnt_routes_seen_through_the_fabric(emu: EmulatorThread) -> None:
    fabric = Fabric()
    isp = IOSEngine("isp1", scheduler=emu.scheduler, fabric=fabric)
    isp.load_config(PEER)
    engine = IOSEngine("twin1", scheduler=emu.scheduler, fabric=fabric)
    engine.load_config(START)
    fabric.attach(isp)
    fabric.attach(engine)
    emu.add_device(isp, secret=SECRET)
    twin = Twin(emu, engine, emu.add_device(engine, secret=SECRET))
    dev = twin.device()
    try:
        peer = dev.get_bgp_neighbors()["global"]["peers"]["10.0.0.1"]
        assert peer["is_up"] is True and peer["remote_id"] == "10.255.9.9"
        assert peer["address_family"]["ipv4 unicast"]["accepted_prefixes"] == 1
        (route,) = dev.get_route_to("10.255.9.9/32")["10.255.9.9/32"]
        assert (route["protocol"], route["next_hop"]) == ("bgp", "10.0.0.1")
        assert route["protocol_attributes"]["remote_as"] == 65000
        assert route["protocol_attributes"]["as_path"] == "65000"
        arp = {e["ip"]: e["interface"] for e in dev.get_arp_table()}
        assert arp == {"10.0.0.1": "GigabitEthernet0/0/1", "10.0.0.2": "GigabitEthernet0/0/1"}
    finally:
        dev.close()
