"""The emulated RouterOS over SSH, driven by Netmiko's unchanged ``mikrotik_routeros`` driver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from netmiko import ConnectHandler, file_transfer
from netmiko.base_connection import BaseConnection
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    ReadTimeout,
)

from pydriver.lab.emu.server import EmulatorThread
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from tests.conftest import wait_for

pytestmark = pytest.mark.lab

ERROR = r"bad command name|expected end of command|syntax error|failure:|no such item|" \
        r"input does not match|invalid value|Script Error"


@pytest.fixture
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


@pytest.fixture
def router(emu: EmulatorThread) -> tuple[RouterOSEngine, int]:
    engine = RouterOSEngine("rtr-dinkes", "RB5009UG+S+", scheduler=emu.scheduler)
    return engine, emu.add_device(engine)


def connect(port: int, **kw: object) -> BaseConnection:
    return ConnectHandler(
        device_type="mikrotik_routeros",
        host="127.0.0.1",
        port=port,
        username="admin",
        password="admin",
        **kw,
    )


def cmd(conn: BaseConnection, line: str, **kw: Any) -> str:
    out = conn.send_command(line, **kw)
    assert isinstance(out, str)
    return out


def test_netmiko_session(emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    engine, port = router
    conn = connect(port)
    assert conn.find_prompt() == "[admin@MikroTik] >"
    printed = cmd(conn, "/ip address print")
    assert "192.168.88.1/24" in printed and "bridge" in printed
    assert not printed.rstrip().endswith(">")  # the prompt is stripped: nothing after it
    conn.send_config_set([
        "/ip address add address=10.64.12.1/24 interface=ether5 comment=pydriver:zone/staff",
        "/ip service set telnet disabled=yes",
    ])
    exported = cmd(conn, "/export", read_timeout=20)
    assert "add address=10.64.12.1/24 comment=pydriver:zone/staff interface=ether5 " \
        "network=10.64.12.0" in exported
    assert "set telnet disabled=yes" in exported
    assert "# model = RB5009UG+S+" in exported
    bad = cmd(conn, "/ip address add address=10.64.13.1/24 interface=ether5 colour=red")
    assert bad == "expected end of command (line 1 column 56)"
    with pytest.raises(ConfigInvalidException):  # found by the platform's error text
        conn.send_config_set(["/ip firewall filter add chain=input protocol=tcpx"],
                             error_pattern=ERROR)
    conn.disconnect()
    log = emu.faults("rtr-dinkes").log
    assert "/ip service set telnet disabled=yes" in log
    assert emu.call(lambda: engine.identity) == "MikroTik"


def test_identity_change_changes_prompt(router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    conn = connect(port)
    cmd(conn, "/system identity set name=rtr-dinkes", expect_string=r"\] >")
    conn.set_base_prompt()
    assert conn.find_prompt() == "[admin@rtr-dinkes] >"
    assert cmd(conn, "/system identity print").strip() == "name: rtr-dinkes"
    conn.disconnect()


def test_sftp_upload_then_import(emu: EmulatorThread, router: tuple[RouterOSEngine, int],
                                 tmp_path: Path) -> None:
    engine, port = router
    script = tmp_path / "push.rsc"
    script.write_text(
        "/interface bridge\nadd comment=pydriver:loopback name=lo0 protocol-mode=none\n"
        "/ip address\nadd address=10.255.0.35/32 comment=pydriver:address/loopback interface=lo0\n"
        "/system identity\nset name=rtr-dinkes\n"
    )
    transport = paramiko.Transport(("127.0.0.1", port))
    transport.connect(username="admin+ct", password="admin")
    sftp = paramiko.SFTPClient.from_transport(transport)
    assert sftp is not None
    sftp.put(str(script), "push.rsc")
    transport.close()
    conn = connect(port)
    assert "push.rsc" in cmd(conn, "/file print")
    out = cmd(conn, "/import file-name=push.rsc", expect_string=r"\] >\s*$")
    assert "Script file loaded and executed successfully" in out
    conn.disconnect()
    assert emu.call(lambda: engine.identity) == "rtr-dinkes"
    assert "10.255.0.35/32" in emu.call(lambda: engine.run("/ip address print"))


def test_import_error_is_reported_and_earlier_lines_stay(
        emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    engine, port = router
    emu.call(lambda: engine.write_file(
        "bad.rsc", "/system identity set name=half\n/ip address add address=x interface=ether2\n"))
    conn = connect(port)
    out = cmd(conn, "/import file-name=bad.rsc", expect_string=r"\] >\s*$")
    # the prompt is not stripped: the identity (and so the prompt) changed on line 1
    assert out.startswith("Script Error: invalid value for argument address (line 2 column 1)\n")
    conn.disconnect()
    assert emu.call(lambda: engine.identity) == "half"


def test_scheduler_job_fires_and_reverts(emu: EmulatorThread,
                                         router: tuple[RouterOSEngine, int]) -> None:
    engine, port = router
    conn = connect(port)
    cmd(conn, "/export file=before")
    conn.send_config_set([
        "/system scheduler add name=pydriver-revert interval=2s on-event=\"/system scheduler "
        "remove [find name=pydriver-revert]; /ip address remove [find comment=change]\"",
        "/ip address add address=10.99.0.1/24 interface=ether6 comment=change",
    ])
    assert "10.99.0.1/24" in cmd(conn, "/ip address print")
    conn.disconnect()
    wait_for(lambda: "10.99.0.1" not in emu.call(lambda: engine.run("/ip address print")))
    assert "pydriver-revert" not in emu.call(lambda: engine.run("/system scheduler print"))


def test_drop_after_commands(emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    emu.faults("rtr-dinkes").drop_after_commands = 2
    conn = connect(port)
    cmd(conn, "/ip address print")
    cmd(conn, "/interface print")
    with pytest.raises((OSError, EOFError, ReadTimeout)):
        cmd(conn, "/system identity print", read_timeout=2, cmd_verify=False)
    wait_for(lambda: emu.sessions("rtr-dinkes") == 0)


def test_reject_uses_routeros_words(emu: EmulatorThread,
                                    router: tuple[RouterOSEngine, int]) -> None:
    engine, port = router
    emu.faults("rtr-dinkes").reject_pattern = r"^/ip service"
    conn = connect(port)
    out = cmd(conn, "/ip service set telnet disabled=yes")
    assert out == "bad command name ip (line 1 column 2)"
    conn.disconnect()
    assert "set telnet" not in emu.call(engine.export)
    assert emu.faults("rtr-dinkes").commands_seen == 1


def test_latency(emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    conn = connect(port)
    emu.faults("rtr-dinkes").latency_ms = 200
    start = time.monotonic()
    cmd(conn, "/system identity print")
    assert time.monotonic() - start >= 0.2
    conn.disconnect()


def test_refuse_login(emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    emu.faults("rtr-dinkes").refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        connect(port)


def test_reboot_drops_sessions_and_keeps_config(
        emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    engine, port = router
    conn = connect(port)
    cmd(conn, "/ip address add address=10.7.7.1/24 interface=ether7")
    emu.reboot("rtr-dinkes")
    wait_for(lambda: emu.sessions("rtr-dinkes") == 0)
    with pytest.raises((OSError, EOFError, ReadTimeout)):
        cmd(conn, "/ip address print", read_timeout=2, cmd_verify=False)
    again = connect(port)
    assert "10.7.7.1/24" in cmd(again, "/ip address print")
    cmd(again, "/system reboot", expect_string=r"\[y/N\]: $")
    again.write_channel("y\r\n")
    wait_for(lambda: emu.sessions("rtr-dinkes") == 0)
    assert emu.call(lambda: engine.boot_id) == 2


def test_idempotence_counter(emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    conn = connect(port)
    cmd(conn, "/ip address print")
    cmd(conn, "/export", read_timeout=20)
    assert emu.faults("rtr-dinkes").commands_seen == 0
    conn.send_config_set(["/ip dns set servers=10.10.10.53", "/ip dns print"])
    assert emu.faults("rtr-dinkes").commands_seen == 1
    conn.disconnect()


@pytest.mark.slow  # Netmiko's RouterOS file transfer waits on timing reads (~8 s)
def test_netmiko_file_transfer(emu: EmulatorThread, router: tuple[RouterOSEngine, int],
                               tmp_path: Path) -> None:
    engine, port = router
    source = tmp_path / "push.rsc"
    source.write_text("/system identity set name=by-scp\n")
    conn = connect(port)
    result = file_transfer(conn, source_file=str(source), dest_file="push.rsc",
                           file_system="flash", direction="put", overwrite_file=True)
    assert result == {"file_exists": True, "file_transferred": True, "file_verified": True}
    out = cmd(conn, "/import file-name=flash/push.rsc", expect_string=r"\] >\s*$")
    assert "executed successfully" in out
    conn.disconnect()
    assert emu.call(lambda: engine.identity) == "by-scp"
