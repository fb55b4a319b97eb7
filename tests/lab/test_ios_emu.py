"""Netmiko's unchanged Cisco drivers against the emulated IOS-XE router, over real SSH."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection
from netmiko.exceptions import ConfigInvalidException

from pydriver.lab.emu.server import EmulatorThread
from pydriver.platforms.cisco_ios.engine import IOSEngine
from tests.conftest import wait_for

pytestmark = pytest.mark.lab

SECRET = "en4ble"
MINUTE = 1.0  # one IOS "minute" of the revert timer, in seconds


@pytest.fixture
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


def _router(emu: EmulatorThread, name: str = "hub1") -> tuple[IOSEngine, int]:
    engine = IOSEngine(name, scheduler=emu.scheduler, minute_seconds=MINUTE)
    return engine, emu.add_device(engine, secret=SECRET)


def _connect(port: int, device_type: str = "cisco_xe") -> BaseConnection:
    conn = ConnectHandler(
        device_type=device_type,
        host="127.0.0.1",
        port=port,
        username="admin",
        password="admin",
        secret=SECRET,
    )
    conn.enable()
    return conn


def _cmd(conn: BaseConnection, command: str, **kwargs: str) -> str:
    """``send_command`` output as text (Netmiko types it as maybe-parsed)."""
    out = conn.send_command(command, **kwargs)  # type: ignore[arg-type]
    assert isinstance(out, str)
    return out


@pytest.mark.parametrize("device_type", ["cisco_xe", "cisco_ios"])
def test_netmiko_configures_saves_and_reads_back(emu: EmulatorThread, device_type: str) -> None:
    engine, port = _router(emu)
    conn = _connect(port, device_type)
    assert conn.find_prompt() == "Router#"
    out = conn.send_config_set(
        [
            "interface Loopback0",
            " description router id",
            " ip address 10.255.0.1 255.255.255.255",
            "router bgp 65052",
            " bgp router-id 10.255.0.1",
            " neighbor 10.254.0.50 remote-as 4200000003",
            " address-family ipv4",
            "  neighbor 10.254.0.50 activate",
            " exit-address-family",
            "no ip http server",
        ]
    )
    if device_type == "cisco_xe":  # Netmiko sends banners without echo checks: slower
        conn.send_config_set(["banner login ^C", "Authorised access only.", "^C"])
    assert "% " not in out
    assert "Building configuration" in conn.save_config()
    running = _cmd(conn, "show running-config")
    for line in (
        "interface Loopback0",
        " ip address 10.255.0.1 255.255.255.255",
        "  neighbor 10.254.0.50 activate",
        "no ip http server",
    ):
        assert line in running.splitlines()
    if device_type == "cisco_xe":
        assert "banner login ^C\nAuthorised access only.\n^C" in running
    assert not emu.call(engine.unsaved)
    conn.disconnect()


def test_hostname_change_changes_the_prompt(emu: EmulatorThread) -> None:
    _engine, port = _router(emu)
    conn = _connect(port)
    conn.send_config_set(["hostname hub-pusdatin-01"])
    conn.set_base_prompt()
    assert conn.find_prompt() == "hub-pusdatin-01#"
    assert "hub-pusdatin-01 uptime is" in _cmd(conn, "show version")
    conn.disconnect()


def test_invalid_line_is_detected_and_earlier_lines_stay(emu: EmulatorThread) -> None:
    _engine, port = _router(emu)
    conn = _connect(port)
    with pytest.raises(ConfigInvalidException, match="hostnme"):
        conn.send_config_set(
            ["ntp server 10.10.10.11", "hostnme broken", "ntp server 10.20.10.11"],
            error_pattern=r"% Invalid",
        )
    assert conn.check_config_mode()
    conn.exit_config_mode()
    running = _cmd(conn, "show running-config | include ntp")
    assert running.splitlines() == ["ntp server 10.10.10.11"]
    conn.disconnect()


def test_unconfirmed_change_reverts_on_the_timer(emu: EmulatorThread) -> None:
    engine, port = _router(emu)
    conn = _connect(port)
    conn.send_config_set(["archive", " path bootflash:archive"])
    out = conn.send_config_set(
        ["hostname risky"], config_mode_command="configure terminal revert timer 1"
    )
    assert (
        "Rollback Confirmed Change: Backing up current running config to bootflash:archive-" in out
    )
    assert emu.call(lambda: engine.hostname) == "risky"
    wait_for(lambda: emu.call(lambda: engine.hostname) == "Router")
    conn.set_base_prompt()
    assert "ROLLBK_CNFMD_CHG_ROLLBACK_START" in _cmd(conn, "show logging")
    conn.disconnect()


def test_confirmed_change_survives_the_timer(emu: EmulatorThread) -> None:
    engine, port = _router(emu)
    conn = _connect(port)
    conn.send_config_set(["archive", " path bootflash:archive"])
    conn.send_config_set(
        ["ntp server 10.10.10.11"], config_mode_command="configure terminal revert timer 1"
    )
    assert _cmd(conn, "configure confirm") == ""
    time.sleep(1.2 * MINUTE)  # past the deadline: the test is that nothing happens
    assert "ntp server 10.10.10.11" in _cmd(conn, "show running-config")
    assert not emu.call(lambda: engine.revert_pending)
    conn.disconnect()


def test_snapshot_and_configure_replace(emu: EmulatorThread) -> None:
    _engine, port = _router(emu)
    conn = _connect(port)
    out = _cmd(conn, "copy running-config bootflash:pre.cfg", expect_string=r"Destination filename")
    out = _cmd(conn, "", expect_string=r"#")
    assert "bytes copied" in out
    conn.send_config_set(["interface Tunnel12", " ip mtu 1400"])
    out = _cmd(conn, "configure replace bootflash:pre.cfg force")
    assert out.splitlines() == ["Total number of passes: 1", "Rollback Done"]
    assert "Tunnel12" not in _cmd(conn, "show running-config")
    out = _cmd(conn, "copy running-config startup-config", expect_string=r"Destination filename")
    assert "[OK]" in _cmd(conn, "", expect_string=r"#")
    conn.disconnect()


def test_reload_loses_what_was_not_saved(emu: EmulatorThread) -> None:
    _engine, port = _router(emu)
    conn = _connect(port)
    conn.send_config_set(["ntp server 10.10.10.11"])
    conn.save_config()
    conn.send_config_set(["ntp server 10.20.10.11"])
    emu.reboot("hub1")
    wait_for(lambda: emu.sessions("hub1") == 0)
    conn = _connect(port)
    running = _cmd(conn, "show running-config | include ntp")
    assert running.splitlines() == ["ntp server 10.10.10.11"]
    conn.disconnect()
