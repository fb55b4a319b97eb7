"""The emulator's SSH server: byte stream, authentication, exec, SFTP, scheduler, faults.

A small line engine (below) stands in for a platform so each byte the server writes can be
checked exactly; Netmiko is then run against the real IOS-XE engine through the same server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from netmiko import ConnectHandler

from pydriver.lab.emu.server import EmulatorThread
from pydriver.lab.emu.ssh_control import request
from pydriver.lab.emu.ssh_loop import LoopScheduler
from pydriver.lab.emu.ssh_sftp import store_name
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import DeviceFacts
from tests.conftest import wait_for

pytestmark = pytest.mark.lab


class _LineSession:
    def __init__(self, engine: LineEngine, username: str) -> None:
        self.engine = engine
        self.username = username
        self.echo = True
        self._closed = False
        self.boot_id = engine.boot_id

    def banner(self) -> str:
        return "welcome"

    def prompt(self) -> str:
        return f"[{self.username}@{self.engine.identity}] > "

    def handle(self, line: str) -> str:
        if not self.echo:
            self.echo = True
            return "accepted\n"
        words = line.split()
        if not words:
            return ""
        if words[0] == "quit":
            self._closed = True
            return "bye\n"
        if words[0] == "identity":
            self.engine.identity = words[1]
            self.engine.generation += 1
            return ""
        if words[0] == "secret":  # the next line is read without echo
            self.echo = False
            return ""
        if words[0] == "reboot":
            self.engine.reboot()
            return "rebooting\n"
        if words[0] == "cat":
            return self.engine.files.get(words[1], "missing") + "\n"
        return f"got {line!r}\nline two\n"

    @property
    def closed(self) -> bool:
        return self._closed or self.boot_id != self.engine.boot_id


class LineEngine:
    """A device with a prompt, an identity, a file store and a reboot: nothing else."""

    platform = "line"

    def __init__(self, name: str) -> None:
        self.name = name
        self.identity = name
        self.generation = 0
        self.boot_id = 0
        self.files: dict[str, str] = {}

    def open_session(self, username: str) -> _LineSession:
        return _LineSession(self, username)

    def reboot(self) -> None:
        self.boot_id += 1

    def facts(self) -> DeviceFacts:
        return DeviceFacts(name=self.name)

    def is_config_command(self, line: str) -> bool:
        return line.startswith("identity")

    def reject_message(self, line: str, prompt: str = "") -> str:
        return f"bad command name {line.split(maxsplit=1)[0]} (line 1 column 1)\n"

    def write_file(self, name: str, text: str) -> None:
        self.files[name] = text

    def read_file(self, name: str) -> str | None:
        return self.files.get(name)

    def remove_file(self, name: str) -> None:
        del self.files[name]


@pytest.fixture
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


class _Shell:
    """A raw interactive channel: what the server writes, byte for byte."""

    def __init__(self, port: int, username: str = "admin", password: str = "admin") -> None:
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            "127.0.0.1", port, username, password, look_for_keys=False, allow_agent=False
        )
        self.chan = self.client.invoke_shell(width=511, height=4098)
        self.chan.settimeout(5)
        self.seen = b""

    def until(self, marker: bytes) -> bytes:
        """Everything received up to and including the next ``marker``."""
        while marker not in self.seen:
            chunk = self.chan.recv(65536)
            if not chunk:
                raise EOFError(self.seen)
            self.seen += chunk
        head, _, tail = self.seen.partition(marker)
        self.seen = tail
        return head + marker

    def closed_by_server(self) -> bool:
        try:
            while True:
                chunk = self.chan.recv(65536)
                if not chunk:
                    return True
                self.seen += chunk
        except TimeoutError:
            return False

    def close(self) -> None:
        self.client.close()


def test_echo_line_ends_and_prompt_are_exact(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"))
    shell = _Shell(port, username="admin+ct511w4098h")
    assert shell.until(b"> ") == b"welcome\r\n[admin@r1] > "
    shell.chan.send(b"hello\r\n")
    assert shell.until(b"> ") == b"hello\r\ngot 'hello'\r\nline two\r\n[admin@r1] > "
    shell.chan.send(b"\r\n")  # a bare Enter given as \r\n is one Enter: one prompt only
    shell.chan.send(b"a\n")
    assert shell.until(b"> ") == b"\r\n[admin@r1] > "
    assert shell.until(b"> ") == b"a\r\ngot 'a'\r\nline two\r\n[admin@r1] > "
    shell.chan.send(b"ab\x7fc\r")  # backspace edits the line and is echoed as a rub-out
    assert shell.until(b"> ") == b"ab\b \bc\r\ngot 'ac'\r\nline two\r\n[admin@r1] > "
    shell.chan.send(b"identity core\r\n")
    assert shell.until(b"> ").endswith(b"\r\n[admin@core] > ")
    shell.chan.send(b"secret\r\nhunter2\r\n")
    assert shell.until(b"> ") + shell.until(b"> ") == (
        b"secret\r\n[admin@core] > \r\naccepted\r\n[admin@core] > "
    )
    assert "hunter2" not in emu.faults("r1").log
    shell.chan.send(b"quit\r\n")
    assert shell.until(b"bye\r\n") == b"quit\r\nbye\r\n"
    assert shell.closed_by_server()
    shell.close()


def test_password_checked_and_refuse_login(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"), password="s3cret")
    with pytest.raises(paramiko.AuthenticationException):
        _Shell(port, password="wrong")
    _Shell(port, password="s3cret").close()
    emu.faults("r1").refuse_login = True
    with pytest.raises(paramiko.AuthenticationException):
        _Shell(port, password="s3cret")


def test_exec_request_runs_each_line(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"))
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port, "admin", "admin", look_for_keys=False, allow_agent=False)
    _, stdout, _ = client.exec_command("identity edge\nhello")
    assert stdout.read() == b"got 'hello'\nline two\n"
    assert stdout.channel.recv_exit_status() == 0
    client.close()
    assert emu.call(lambda: emu.engine("r1").generation) == 1
    assert emu.faults("r1").commands_seen == 1


def test_sftp_upload_lands_in_the_file_store(emu: EmulatorThread) -> None:
    engine = LineEngine("r1")
    port = emu.add_device(engine)
    transport = paramiko.Transport(("127.0.0.1", port))
    transport.connect(username="admin+ct", password="admin")
    sftp = paramiko.SFTPClient.from_transport(transport)
    assert sftp is not None
    with sftp.open("/flash/push.rsc", "w") as handle:
        handle.write(b"/system identity set name=x\n")
    assert emu.call(lambda: engine.read_file("flash/push.rsc")) == "/system identity set name=x\n"
    assert "flash/push.rsc" in sftp.listdir("/")
    with sftp.open("flash/push.rsc") as handle:
        assert handle.read() == b"/system identity set name=x\n"
    assert sftp.stat("flash/push.rsc").st_size == 28
    sftp.remove("flash/push.rsc")
    with pytest.raises(FileNotFoundError):
        sftp.stat("flash/push.rsc")
    transport.close()


def test_store_name_is_flat() -> None:
    assert store_name(b"/a/../x.rsc") == "x.rsc"
    assert store_name("flash/x.rsc") == "flash/x.rsc"
    assert store_name(b"/") == ""


def test_scheduler_runs_and_cancels_from_any_thread(emu: EmulatorThread) -> None:
    fired: list[str] = []
    scheduler: LoopScheduler = emu.scheduler
    scheduler.call_later(0.05, lambda: fired.append(threading.current_thread().name))
    cancelled = scheduler.call_later(0.05, lambda: fired.append("cancelled"))
    cancelled.cancel()

    def broken() -> None:
        raise ZeroDivisionError

    scheduler.call_later(0.01, broken)  # a failing job does not stop the loop
    wait_for(lambda: len(fired) == 1)
    time.sleep(0.1)  # give the cancelled timer its chance to (wrongly) fire
    assert fired == ["pydriver-emulator"]


def test_drop_after_commands(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"))
    emu.faults("r1").drop_after_commands = 2
    shell = _Shell(port)
    shell.until(b"> ")
    shell.chan.send(b"one\r\n\r\ntwo\r\n")  # the empty line is not a command
    shell.until(b"got 'two'")
    shell.until(b"> ")
    shell.chan.send(b"three\r\n")
    assert shell.closed_by_server()
    assert b"got 'three'" not in shell.seen
    assert emu.faults("r1").log == ["one", "two"]
    shell.close()


def test_reject_pattern_uses_the_platform_error(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"))
    emu.faults("r1").reject_pattern = r"^identity"
    shell = _Shell(port)
    shell.until(b"> ")
    shell.chan.send(b"identity x\r\n")
    assert shell.until(b"> ") == (
        b"identity x\r\nbad command name identity (line 1 column 1)\r\n[admin@r1] > "
    )
    assert emu.call(lambda: emu.engine("r1").generation) == 0
    assert emu.faults("r1").commands_seen == 1  # received, counted, but not applied
    shell.close()


def test_latency_delays_each_reply(emu: EmulatorThread) -> None:
    port = emu.add_device(LineEngine("r1"))
    shell = _Shell(port)
    shell.until(b"> ")
    emu.faults("r1").latency_ms = 300
    start = time.monotonic()
    shell.chan.send(b"x\r\n")
    shell.until(b"line two\r\n[admin@r1] > ")
    assert time.monotonic() - start >= 0.3
    shell.close()


def test_reboot_drops_every_session(emu: EmulatorThread) -> None:
    engine = LineEngine("r1")
    port = emu.add_device(engine)
    first, second = _Shell(port), _Shell(port)
    first.until(b"> ")
    second.until(b"> ")
    wait_for(lambda: emu.sessions("r1") == 2)
    emu.reboot("r1")
    assert first.closed_by_server()
    assert second.closed_by_server()
    assert engine.boot_id == 1
    third = _Shell(port)  # the router is back at once
    third.until(b"> ")
    third.chan.send(b"reboot\r\n")  # a reboot typed in a session also cuts the others
    assert third.closed_by_server()
    assert b"rebooting" in third.seen
    wait_for(lambda: emu.sessions("r1") == 0)
    for shell in (first, second, third):
        shell.close()


def test_netmiko_against_the_ios_engine(emu: EmulatorThread) -> None:
    engine = IOSEngine("hub1", scheduler=emu.scheduler)
    port = emu.add_device(engine, secret="en4ble")
    conn = ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=port,
        username="admin",
        password="admin",
        secret="en4ble",
    )
    conn.enable()
    conn.send_config_set(["hostname hub1", "ip domain name jip.example"])
    assert "hostname hub1" in conn.send_command("show running-config")
    conn.disconnect()
    assert "<hidden>" in emu.faults("hub1").log
    assert "en4ble" not in emu.faults("hub1").log
    assert emu.faults("hub1").commands_seen == 2


def test_control_socket(emu: EmulatorThread, tmp_path: Path) -> None:
    port = emu.add_device(LineEngine("r1"))
    sock = tmp_path / "emu.sock"
    emu.serve_control(sock)
    assert request(sock, {"op": "list"}) == {"ok": True, "devices": {"r1": port}}
    reply = request(sock, {"op": "set_fault", "device": "r1", "field": "refuse_login",
                           "value": True})
    assert reply["ok"] and reply["faults"]["refuse_login"] is True
    with pytest.raises(paramiko.AuthenticationException):
        _Shell(port)
    request(sock, {"op": "set_fault", "device": "r1", "faults": {"refuse_login": False,
                                                                 "latency_ms": 5}})
    shell = _Shell(port)
    shell.until(b"> ")
    shell.chan.send(b"identity x\r\n")
    shell.until(b"[admin@x] > ")
    faults = request(sock, {"op": "get_faults", "device": "r1"})["faults"]
    assert faults["log"] == ["identity x"] and faults["commands_seen"] == 1
    assert request(sock, {"op": "reboot", "device": "r1"}) == {"ok": True}
    assert shell.closed_by_server()
    shell.close()
    assert request(sock, {"op": "get_faults", "device": "nope"}) == {
        "ok": False, "error": "no emulated device named nope"}
    assert request(sock, {"op": "set_fault", "device": "r1", "field": "colour", "value": 1})[
        "error"] == "no fault knob named colour"
    assert not request(sock, {"op": "explode"})["ok"]
