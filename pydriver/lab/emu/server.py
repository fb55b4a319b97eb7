"""One process, many emulated routers: an asyncssh listener per device on 127.0.0.1.

Each device gets its own port so clients (Netmiko, Ansible, ssh) address it exactly like a
real router; the engines share one asyncio loop, which is what makes hundreds of routers
cheap. :class:`EmulatorHost` is the asyncio API; :class:`EmulatorThread` runs a host on a
background loop so synchronous code (pytest, Netmiko, Nornir) can use it.

Fault knobs are plain attributes of :class:`~pydriver.platforms.emulation.Faults`, read by the
shell on every line, so a test may change them at any time from any thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from pydriver.errors import LabError
from pydriver.lab.emu import api_server, ssh_control
from pydriver.lab.emu.ssh_loop import LoopScheduler
from pydriver.lab.emu.ssh_sftp import DeviceSFTPServer
from pydriver.lab.emu.ssh_shell import DeviceSlot, login_name, serve_process
from pydriver.platforms.emulation import DeviceEngine, Faults

__all__ = ["DEFAULT_PASSWORD", "EmulatorHost", "EmulatorThread", "LoopScheduler"]

DEFAULT_PASSWORD = "admin"
LISTEN_ADDRESS = "127.0.0.1"
_T = TypeVar("_T")
_SHARED_KEY: list[asyncssh.SSHKey] = []


def host_key(path: Path | None) -> asyncssh.SSHKey:
    """The server's key: loaded from ``path`` (created there if missing) or one per process.

    A fixed key file lets a lab keep one ``known_hosts`` across restarts; without one we
    generate a single Ed25519 key and share it, since generating one per device would cost
    time for nothing.
    """
    if path is not None:
        if path.exists():
            return asyncssh.read_private_key(str(path))
        key = asyncssh.generate_private_key("ssh-ed25519")
        path.parent.mkdir(parents=True, exist_ok=True)
        key.write_private_key(str(path))
        return key
    if not _SHARED_KEY:
        _SHARED_KEY.append(asyncssh.generate_private_key("ssh-ed25519"))
    return _SHARED_KEY[0]


class _DeviceServer(asyncssh.SSHServer):
    """Authentication for one device: password only, as the lab's routers are set up."""

    def __init__(self, slot: DeviceSlot) -> None:
        self.slot = slot
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.slot.connections.add(conn)
        self.slot.faults.sessions_opened += 1

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.slot.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.slot.faults.refuse_login:
            return False
        return login_name(username) == self.slot.username and password == self.slot.password


class EmulatorHost:
    """Hosts devices on one asyncio loop; every method runs on that loop."""

    def __init__(self, host_key_path: Path | None = None) -> None:
        self._key = host_key(host_key_path)
        self._loop = asyncio.get_running_loop()
        self.scheduler = LoopScheduler(self._loop)
        self._slots: dict[str, DeviceSlot] = {}
        self._acceptors: dict[str, asyncssh.SSHAcceptor] = {}
        self._api: dict[str, asyncio.AbstractServer] = {}
        self._api_ports: dict[str, int] = {}
        self._api_tasks: dict[str, set[asyncio.Task[None]]] = {}
        self._control: asyncio.AbstractServer | None = None

    async def add_device(
        self,
        engine: DeviceEngine,
        port: int = 0,
        username: str = "admin",
        password: str = DEFAULT_PASSWORD,
        secret: str | None = None,
    ) -> int:
        """Serve ``engine`` on ``port`` (0: any free port); returns the bound port.

        ``secret`` becomes the engine's enable secret when the platform has one.
        """
        if engine.name in self._slots:
            raise LabError(f"device {engine.name} is already hosted")
        if secret is not None and hasattr(engine, "enable_secret"):
            engine.enable_secret = secret
        slot = DeviceSlot(engine, username, password, secret)

        async def process(proc: asyncssh.SSHServerProcess[Any]) -> None:
            await serve_process(slot, proc)

        try:
            acceptor = await asyncssh.create_server(
                lambda: _DeviceServer(slot),
                LISTEN_ADDRESS,
                port,
                server_host_keys=[self._key],
                process_factory=process,
                sftp_factory=lambda chan: DeviceSFTPServer(chan, engine),
                allow_scp=True,
                line_editor=False,
                encoding=None,
                reuse_address=True,
                keepalive_interval=0,
            )
        except OSError as exc:
            where = f"{LISTEN_ADDRESS}:{port}"
            raise LabError(f"{engine.name}: cannot listen on {where}: {exc}") from exc
        slot.port = acceptor.sockets[0].getsockname()[1]
        self._slots[engine.name] = slot
        self._acceptors[engine.name] = acceptor
        if callable(getattr(engine, "api_session", None)):
            await self._serve_api(slot)
        return slot.port

    async def _serve_api(self, slot: DeviceSlot) -> None:
        """The device's API service on a port of its own, advertised in its service list."""
        engine = slot.engine

        def check(name: str, password: str) -> bool:
            return not slot.faults.refuse_login and (name, password) == (slot.username,
                                                                         slot.password)

        tasks = self._api_tasks.setdefault(engine.name, set())

        async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            if task is not None:
                tasks.add(task)
            try:
                await api_server.serve(engine, check, reader, writer)
            finally:
                if task is not None:
                    tasks.discard(task)

        server = await asyncio.start_server(connected, LISTEN_ADDRESS, 0, reuse_address=True)
        port = server.sockets[0].getsockname()[1]
        self._api[engine.name] = server
        self._api_ports[engine.name] = port
        engine.advertise_port("api", port)  # type: ignore[attr-defined]

    def api_port(self, name: str) -> int | None:
        """The port of the device's API service (None when the platform has no API)."""
        return self._api_ports.get(name)

    def _slot(self, name: str) -> DeviceSlot:
        try:
            return self._slots[name]
        except KeyError:
            raise LabError(f"no emulated device named {name}") from None

    def faults(self, name: str) -> Faults:
        return self._slot(name).faults

    def engine(self, name: str) -> DeviceEngine:
        return self._slot(name).engine

    def port(self, name: str) -> int:
        return self._slot(name).port

    def devices(self) -> dict[str, int]:
        """Every hosted device and its port."""
        return {name: slot.port for name, slot in self._slots.items()}

    def sessions(self, name: str) -> int:
        """Open SSH connections to a device (tests use it to see a drop happen)."""
        return len(self._slot(name).connections)

    def reboot(self, name: str) -> None:
        """Power-cycle a device: the engine reboots and every session is cut."""
        slot = self._slot(name)
        slot.engine.reboot()
        slot.drop_all()

    async def remove_device(self, name: str) -> None:
        slot = self._slots.pop(name, None)
        acceptor = self._acceptors.pop(name, None)
        api = self._api.pop(name, None)
        self._api_ports.pop(name, None)
        if api is not None:
            api.close()
            for task in self._api_tasks.pop(name, set()):
                task.cancel()
            await api.wait_closed()
        if slot is not None:
            slot.drop_all()
        if acceptor is not None:
            acceptor.close()
            await acceptor.wait_closed()

    async def serve_control(self, path: Path) -> None:
        """Answer JSON-lines control requests on unix socket ``path`` (see ssh_control)."""
        if self._control is not None:
            raise LabError("the control socket is already being served")
        self._control = await ssh_control.serve(self, path)

    async def close(self) -> None:
        if self._control is not None:
            self._control.close()
            await self._control.wait_closed()
            self._control = None
        for name in list(self._slots):
            await self.remove_device(name)


class EmulatorThread:
    """An :class:`EmulatorHost` on a private loop in a daemon thread, for synchronous callers.

    Engines must be built with :attr:`scheduler` (valid after :meth:`start`), so their
    timers run on the same loop as their sessions.
    """

    def __init__(self, host_key_path: Path | None = None) -> None:
        self._host_key_path = host_key_path
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._host: EmulatorHost | None = None

    def __enter__(self) -> EmulatorThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> EmulatorThread:
        if self._thread is not None:
            return self
        ready: concurrent.futures.Future[EmulatorHost] = concurrent.futures.Future()
        loop = asyncio.new_event_loop()

        async def make_host() -> EmulatorHost:
            return EmulatorHost(self._host_key_path)

        def main() -> None:
            asyncio.set_event_loop(loop)
            try:
                ready.set_result(loop.run_until_complete(make_host()))
            except BaseException as exc:  # report the failure to start() and end the thread
                ready.set_exception(exc)
                return
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=main, name="pydriver-emulator", daemon=True)
        self._thread.start()
        self._host = ready.result(timeout=30)
        return self

    @property
    def host(self) -> EmulatorHost:
        if self._host is None:
            raise LabError("the emulator is not started")
        return self._host

    @property
    def scheduler(self) -> LoopScheduler:
        return self.host.scheduler

    def run(self, coro: Awaitable[_T], timeout: float = 30.0) -> _T:
        """Run a coroutine on the emulator's loop and wait for its result."""
        if self._loop is None:
            raise LabError("the emulator is not started")

        async def wrapped() -> _T:
            return await coro

        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result(timeout)

    def call(self, fn: Callable[[], _T], timeout: float = 30.0) -> _T:
        """Run ``fn`` on the loop thread: the safe way to read or change an engine's state."""

        async def invoke() -> _T:
            return fn()

        return self.run(invoke(), timeout)

    def add_device(
        self,
        engine: DeviceEngine,
        port: int = 0,
        username: str = "admin",
        password: str = DEFAULT_PASSWORD,
        secret: str | None = None,
    ) -> int:
        return self.run(self.host.add_device(engine, port, username, password, secret))

    def remove_device(self, name: str) -> None:
        self.run(self.host.remove_device(name))

    def serve_control(self, path: Path) -> None:
        self.run(self.host.serve_control(path))

    def faults(self, name: str) -> Faults:
        return self.host.faults(name)

    def engine(self, name: str) -> DeviceEngine:
        return self.host.engine(name)

    def port(self, name: str) -> int:
        return self.host.port(name)

    def api_port(self, name: str) -> int | None:
        return self.call(lambda: self.host.api_port(name))

    def devices(self) -> dict[str, int]:
        return self.call(self.host.devices)

    def sessions(self, name: str) -> int:
        return self.call(lambda: self.host.sessions(name))

    def reboot(self, name: str) -> None:
        self.call(lambda: self.host.reboot(name))

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._host is not None:
            with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
                self.run(self._host.close(), timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        if not thread.is_alive():
            loop.close()
        self._loop = self._thread = self._host = None
