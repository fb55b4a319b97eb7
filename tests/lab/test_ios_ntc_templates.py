"""ntc-templates through Netmiko (``use_textfsm=True``) on the IOS twin over SSH.

The twin boots from a real IOS-XE backup (Network to Code's own, in the corpus), so the
parsers that automation shops run against production routers read the twin's output and
must find in it exactly what that backup configures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection

from pydriver.lab.emu.server import EmulatorThread
from pydriver.platforms.cisco_ios.engine import IOSEngine
from pydriver.platforms.cisco_ios.engine.show import VERSION, image_name, mac_address

pytestmark = pytest.mark.lab

SECRET = "en4ble"
BACKUP = Path(__file__).parents[1] / "fixtures" / "realworld" / "ios" / "ntc_bb_router.cfg"
ADDRESSES = {
    "Loopback0": ("10.0.10.3", "32"),
    "GigabitEthernet1": ("10.0.0.15", "24"),
    "GigabitEthernet2": ("10.10.0.6", "30"),
    "GigabitEthernet3": ("10.10.0.14", "30"),
    "GigabitEthernet4": ("10.10.0.17", "30"),
}
SHUT = {f"GigabitEthernet{i}" for i in range(6, 10)}


@pytest.fixture(scope="module")
def twin() -> Iterator[tuple[IOSEngine, BaseConnection, int]]:
    with EmulatorThread() as emu:
        engine = IOSEngine("jcy-bb-01", scheduler=emu.scheduler, enable_secret=SECRET)
        report = engine.load_config(BACKUP.read_text())
        assert report.refused == ()
        port = emu.add_device(engine, secret=SECRET)
        conn = _connect(port)
        yield engine, conn, port
        conn.disconnect()


def _connect(port: int) -> BaseConnection:
    conn = ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=port,
        username="admin",
        password="admin",
        secret=SECRET,
    )
    conn.enable()
    return conn


def parsed(conn: BaseConnection, command: str) -> list[dict[str, Any]]:
    records = conn.send_command(command, use_textfsm=True)
    assert isinstance(records, list), f"{command}: not parsed: {records!r}"
    assert records, f"{command}: no records"
    return records


def test_show_version(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    engine, conn, _ = twin
    (record,) = parsed(conn, "show version")
    assert record["hostname"] == "jcy-bb-01"
    assert VERSION.startswith(record["version"].split(".")[0])
    assert record["hardware"] == [engine.hardware.pid] == ["CSR1000V"]  # from license udi
    assert record["serial"] == ["9SAGBHTUEE9"]
    assert record["running_image"] == image_name(engine)


def test_show_inventory(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    engine, conn, _ = twin
    chassis = parsed(conn, "show inventory")[0]
    assert chassis["name"] == "Chassis"
    assert (chassis["pid"], chassis["sn"]) == (engine.hardware.pid, "9SAGBHTUEE9")


def test_show_ip_interface_brief(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    _, conn, _ = twin
    rows = {r["interface"]: r for r in parsed(conn, "show ip interface brief")}
    assert set(rows) == {"Loopback0", *(f"GigabitEthernet{i}" for i in range(1, 10))}
    for name, (address, _length) in ADDRESSES.items():
        assert rows[name]["ip_address"] == address
        assert (rows[name]["status"], rows[name]["proto"]) == ("up", "up")
    assert rows["GigabitEthernet5"]["ip_address"] == "unassigned"
    for name in SHUT:
        assert rows[name]["status"] == "administratively down"


def test_show_interfaces_and_show_ip_interface(
    twin: tuple[IOSEngine, BaseConnection, int],
) -> None:
    engine, conn, _ = twin
    rows = {r["interface"]: r for r in parsed(conn, "show interfaces")}
    assert rows["GigabitEthernet1"]["description"] == "MANAGEMENT_DO_NOT_CHANGE"
    assert rows["GigabitEthernet4"]["description"] == "backbone-to-vmx3-ge0/0/3"
    for name, (address, length) in ADDRESSES.items():
        assert (rows[name]["ip_address"], rows[name]["prefix_length"]) == (address, length)
    assert rows["GigabitEthernet2"]["mac_address"] == mac_address(engine, "GigabitEthernet2")
    assert rows["GigabitEthernet7"]["link_status"] == "administratively down"
    ip_rows = {r["interface"]: r for r in parsed(conn, "show ip interface")}
    assert ip_rows["GigabitEthernet2"]["inbound_acl"] == "BLOCK_TRANSIT_LINKS"
    assert ip_rows["Loopback0"]["ip_address"] == ["10.0.10.3"]


def test_show_ip_route(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    _, conn, _ = twin
    routes = {
        (r["protocol"], f"{r['network']}/{r['prefix_length']}"): r
        for r in parsed(conn, "show ip route")
    }
    assert routes[("C", "10.10.0.4/30")]["nexthop_if"] == "GigabitEthernet2"
    assert routes[("L", "10.10.0.6/32")]["nexthop_if"] == "GigabitEthernet2"
    assert routes[("C", "10.0.10.3/32")]["nexthop_if"] == "Loopback0"
    default = routes[("S", "0.0.0.0/0")]
    assert (default["nexthop_ip"], default["distance"]) == ("10.0.0.2", "1")


def test_show_ip_bgp_summary_and_neighbors(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    _, conn, _ = twin
    rows = parsed(conn, "show ip bgp summary")
    assert {(r["router_id"], r["local_as"]) for r in rows} == {("10.0.10.3", "65251")}
    assert {(r["bgp_neighbor"], r["neighbor_as"]) for r in rows} == {
        ("10.10.0.5", "65251"),
        ("10.10.0.13", "65251"),
        ("10.10.0.18", "65252"),
    }
    assert {r["state_or_prefixes_received"] for r in rows} == {"Idle"}  # alone: no peers
    detail = parsed(conn, "show ip bgp neighbors")
    assert {(r["neighbor"], r["remote_as"], r["bgp_state"]) for r in detail} == {
        ("10.10.0.5", "65251", "Idle"),
        ("10.10.0.13", "65251", "Idle"),
        ("10.10.0.18", "65252", "Idle"),
    }


def test_show_ip_arp(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    engine, conn, _ = twin
    rows = {r["ip_address"]: r for r in parsed(conn, "show ip arp")}
    assert set(rows) == {a for n, (a, _l) in ADDRESSES.items() if n != "Loopback0"}
    assert rows["10.10.0.17"]["interface"] == "GigabitEthernet4"
    assert rows["10.10.0.17"]["mac_address"] == mac_address(engine, "GigabitEthernet4")
    assert rows["10.10.0.17"]["age"] == "-"


def test_show_users_lists_every_session(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    _, conn, port = twin
    other = _connect(port)
    try:
        rows = parsed(conn, "show users")
        assert len(rows) == 2
        assert {r["user"] for r in rows} == {"admin"}
        assert sum(r["line"].startswith("*") for r in rows) == 1  # the one asking
        assert {r["location"] for r in rows} == {"127.0.0.1"}
    finally:
        other.disconnect()


def test_show_clock_and_processes(twin: tuple[IOSEngine, BaseConnection, int]) -> None:
    _, conn, _ = twin
    (clock,) = parsed(conn, "show clock")
    assert clock["timezone"] == "UTC"
    cpu = parsed(conn, "show processes cpu")
    assert cpu[0]["cpu_usage_5_sec"] == "1"
