"""The terminal side of an emulated router: echo, line ends, prompts and fault knobs.

Netmiko reads until it sees the prompt at the very end of the stream, and strips the echoed
command from the output, so the byte stream must look exactly like a router's: every input
byte echoed as typed, ``\\r\\n`` line ends, the reply, then the prompt and nothing after it.
A ``\\r\\n`` pair written together is one Enter (RouterOS clients send both), not two.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncssh

from pydriver.errors import SessionDropped
from pydriver.platforms.emulation import DeviceEngine, Faults, Session

_log = logging.getLogger(__name__)
_BACKSPACE = (0x7F, 0x08)
_CTRL_C = 0x03
_CTRL_D = 0x04


@dataclass(slots=True)
class DeviceSlot:
    """One hosted device: its engine, credentials, fault knobs and live connections."""

    engine: DeviceEngine
    username: str
    password: str
    secret: str | None
    faults: Faults = field(default_factory=Faults)
    port: int = 0
    connections: set[asyncssh.SSHServerConnection] = field(default_factory=set)

    def drop_all(self) -> None:
        """Cut every connection as a power loss would (no goodbye on the wire)."""
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()


def login_name(username: str) -> str:
    """RouterOS clients append terminal options after '+' (``admin+ct511w4098h``)."""
    return username.split("+", 1)[0]


def is_config_command(engine: DeviceEngine, line: str) -> bool:
    probe = getattr(engine, "is_config_command", None)
    if callable(probe):
        return bool(probe(line))
    return bool(line.strip())


def reject_message(engine: DeviceEngine, line: str, prompt: str) -> str:
    """The platform's own words for an invalid command, so clients detect it as usual."""
    make = getattr(engine, "reject_message", None)
    if not callable(make):
        return "% Invalid input\n"
    try:
        return str(make(line, prompt=prompt))
    except TypeError:
        return str(make(line))


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8", "replace")


class LineRunner:
    """Feeds complete lines to a session, applying the device's fault knobs first."""

    def __init__(self, slot: DeviceSlot, session: Session) -> None:
        self.slot = slot
        self.session = session
        self.lines = 0
        self.dropped = False
        self.rebooted = False

    def _count(self, line: str, config: bool) -> bool:
        """Count one line against the knobs; False when the session must be cut here."""
        faults = self.slot.faults
        self.lines += 1
        limit = faults.drop_after_commands
        if limit is not None and self.lines > limit:
            self.dropped = True
            return False
        # a line typed while the router does not echo is a password: keep it out of the log
        faults.log.append(line if getattr(self.session, "echo", True) else "<hidden>")
        if config:
            faults.commands_seen += 1
        return True

    def _rejects(self, line: str) -> bool:
        pattern = self.slot.faults.reject_pattern
        return bool(line.strip() and pattern and re.search(pattern, line))

    def gate(self, line: str) -> str | None:
        """A line the router reads from a file (a merge onto running-config): the same
        counters, drop and reject knobs as a typed configuration line."""
        if not self._count(line, config=True):
            raise SessionDropped(f"{self.slot.engine.name}: session cut mid-merge")
        if self._rejects(line):
            return reject_message(self.slot.engine, line, self.session.prompt())
        return None

    async def run(self, line: str) -> str:
        """Output for ``line``; sets :attr:`dropped` when the connection must be cut instead."""
        faults = self.slot.faults
        if line.strip() and not self._count(line, is_config_command(self.slot.engine, line)):
            return ""
        if faults.latency_ms > 0:
            await asyncio.sleep(faults.latency_ms / 1000)
        if self._rejects(line):
            return reject_message(self.slot.engine, line, self.session.prompt())
        boot = getattr(self.slot.engine, "boot_id", None)
        try:
            return self.session.handle(line)
        except SessionDropped:
            self.dropped = True
            return ""
        except Exception:  # an engine bug must not take the whole emulator down
            _log.exception("%s: command failed: %r", self.slot.engine.name, line)
            return "internal error\n"
        finally:
            self.rebooted = getattr(self.slot.engine, "boot_id", None) != boot


class Style(Protocol):
    """How a platform draws its console beyond plain echo and prompt (optional, per session:
    ``session.terminal(login)``; RouterOS repaints lines and colours its prompt)."""

    probe: str
    probe_wait: float

    def probe_answered(self, answered: bool) -> None: ...

    def prompt(self, plain: str) -> str: ...

    def enter(self, prompt: str, line: str) -> str: ...

    def after(self, prompt: str) -> str: ...


class Terminal:
    """The byte-level line discipline of one interactive shell."""

    def __init__(self, runner: LineRunner, process: asyncssh.SSHServerProcess[Any],
                 style: Style | None = None) -> None:
        self.runner = runner
        self.process = process
        self.style = style
        self.buf = bytearray()
        self.out = bytearray()
        self.skip_lf = False
        self.closing = False
        self.escape = b""  # an escape sequence being read (a terminal's answer, an arrow key)

    @property
    def session(self) -> Session:
        return self.runner.session

    def _echoing(self) -> bool:
        return bool(getattr(self.session, "echo", True))

    def greet(self) -> None:
        banner = self.session.banner()
        if banner:
            self.out += _crlf(banner if banner.endswith("\n") else banner + "\n")
        self.out += _crlf(self._prompt())

    def _prompt(self) -> str:
        prompt = self.session.prompt()
        return self.style.prompt(prompt) if self.style is not None else prompt

    def _escape(self, byte: int) -> bool:
        """Swallow escape sequences sent to the device (``ESC [ ... final``, ``ESC / Z``)."""
        if not self.escape:
            if byte != 0x1B:
                return False
            self.escape = bytes([byte])
            return True
        self.escape += bytes([byte])
        second = self.escape[1]
        done = (len(self.escape) >= 3 and 0x40 <= byte <= 0x7E) if second == 0x5B else \
            len(self.escape) >= (3 if second in (0x2F, 0x4F) else 2)
        if done or len(self.escape) > 32:
            self.escape = b""
        return True

    async def flush(self) -> None:
        if self.out:
            self.process.stdout.write(bytes(self.out))
            self.out.clear()
            await self.process.stdout.drain()

    async def feed(self, data: bytes) -> None:
        for byte in data:
            if self.closing:
                break
            if self._escape(byte):
                continue
            if self.skip_lf and byte == 0x0A:
                self.skip_lf = False
                continue
            self.skip_lf = False
            if byte in (0x0D, 0x0A):
                self.skip_lf = byte == 0x0D
                line = self.buf.decode("utf-8", "replace")
                if self.style is not None and self._echoing():
                    self.out += _crlf(self.style.enter(self.session.prompt(), line))
                else:
                    self.out += b"\r\n"
                self.buf.clear()
                await self._enter(line)
            elif byte in _BACKSPACE:
                if self.buf:
                    self.buf.pop()
                    if self._echoing():
                        self.out += b"\b \b"
            elif byte == _CTRL_C:
                self.buf.clear()
                self.out += b"\r\n" + _crlf(self._prompt())
            elif byte == _CTRL_D and not self.buf:
                self.closing = True
            else:
                self.buf.append(byte)
                if self._echoing():
                    self.out.append(byte)
        # a CR ends its Enter with the write it came in: an LF written later (Netmiko sends
        # "\r" to leave tclsh, then "\n" to find the prompt) is an Enter of its own
        self.skip_lf = False
        await self.flush()

    async def _enter(self, line: str) -> None:
        if self.runner.slot.faults.latency_ms > 0:
            await self.flush()  # the echo is immediate; only the reply is late
        reply = await self.runner.run(line)
        if self.runner.dropped:
            self.out.clear()
            self.closing = True
            return
        self.out += _crlf(reply)
        if self.runner.rebooted:  # the router went down: every session goes with it
            await self.flush()
            self.closing = True
            self.runner.slot.drop_all()
            return
        if self.session.closed:
            self.closing = True
            return
        if self.style is not None and self._echoing():
            self.out += _crlf(self.style.after(self.session.prompt()))
        else:
            self.out += _crlf(self.session.prompt())


async def serve_process(slot: DeviceSlot, process: asyncssh.SSHServerProcess[Any]) -> None:
    """Serve one SSH channel: an interactive shell, or one ``exec`` command."""
    login = str(process.get_extra_info("username") or slot.username)
    session = slot.engine.open_session(login_name(login))
    peer = process.get_extra_info("peername")
    attach = getattr(session, "attach", None)
    if callable(attach):
        attach(str(peer[0]) if peer else "", "ssh")
    if peer and hasattr(session, "peer"):  # engines that show who is logged in (show users)
        session.peer = str(peer[0])
    runner = LineRunner(slot, session)
    if hasattr(session, "line_gate"):
        session.line_gate = runner.gate
    conn = process.channel.get_connection()
    try:
        if process.command is not None:
            await _serve_exec(runner, process)
            return
        make_style = getattr(session, "terminal", None)
        style: Style | None = make_style(login) if callable(make_style) else None
        terminal = Terminal(runner, process, style)
        early = await _probe(process, style)
        terminal.greet()
        await terminal.flush()
        if early:
            await terminal.feed(early)
        while not terminal.closing:
            try:
                data = await process.stdin.read(4096)
            except (asyncssh.BreakReceived, asyncssh.SignalReceived, asyncssh.TerminalSizeChanged):
                continue
            if not data:
                break
            await terminal.feed(data if isinstance(data, bytes) else str(data).encode())
        if runner.dropped:
            conn.abort()
            return
        if runner.rebooted:
            return
        process.exit(0)
        conn.close()
    except (asyncssh.Error, ConnectionError, BrokenPipeError):
        return
    finally:
        detach = getattr(session, "detach", None)
        if callable(detach):
            detach()


async def _probe(process: asyncssh.SSHServerProcess[Any], style: Style | None) -> bytes:
    """Ask the terminal to identify itself and wait a moment for the answer; whatever the
    client typed meanwhile is returned, to be read as input."""
    if style is None or not style.probe:
        return b""
    process.stdout.write(style.probe.encode())
    await process.stdout.drain()
    try:
        data = await asyncio.wait_for(process.stdin.read(4096), timeout=style.probe_wait)
    except (TimeoutError, asyncssh.Error):
        data = b""
    raw = data if isinstance(data, bytes) else str(data).encode()
    style.probe_answered(raw.startswith(b"\x1b"))
    return raw


async def _serve_exec(runner: LineRunner, process: asyncssh.SSHServerProcess[Any]) -> None:
    """``ssh device "cmd"``: each line of the command through a fresh session, then exit."""
    pty = process.get_terminal_type() is not None
    out: list[str] = []
    for line in str(process.command).splitlines() or [""]:
        reply = await runner.run(line)
        if runner.dropped:
            process.channel.get_connection().abort()
            return
        out.append(reply)
        if runner.session.closed:
            break
    text = "".join(out)
    process.stdout.write(_crlf(text) if pty else text.encode("utf-8", "replace"))
    process.exit(0)
