"""One emulated MikroTik RouterOS v7 router (see :mod:`pydriver.platforms.emulation`).

RouterOS has no candidate configuration and no save: every accepted command is live and
survives a reboot, which is why pydriver arms a scheduler job to undo a change it cannot
confirm. The engine keeps that model: state is the configuration, ``reboot`` keeps it,
drops sessions and runs ``start-time=startup`` jobs.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import time
import weakref
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from pydriver.platforms.emulation import DeviceFacts, FabricView, Scheduler
from pydriver.platforms.mikrotik_routeros.engine.api import ApiSession
from pydriver.platforms.mikrotik_routeros.engine.errors import RosError
from pydriver.platforms.mikrotik_routeros.engine.factory import (
    defconf,
    mac_for,
    serial_for,
    software_id_for,
)
from pydriver.platforms.mikrotik_routeros.engine.facts import device_facts
from pydriver.platforms.mikrotik_routeros.engine.interp import Context, Interpreter, ScriptFailed
from pydriver.platforms.mikrotik_routeros.engine.jobs import PATH as SCHEDULER
from pydriver.platforms.mikrotik_routeros.engine.jobs import Jobs
from pydriver.platforms.mikrotik_routeros.engine.lexer import statements, tokens
from pydriver.platforms.mikrotik_routeros.engine.load import LoadReport, load
from pydriver.platforms.mikrotik_routeros.engine.menus import FILE_MENU
from pydriver.platforms.mikrotik_routeros.engine.session import RouterOSSession
from pydriver.platforms.mikrotik_routeros.engine.store import Config, Item, Table
from pydriver.platforms.mikrotik_routeros.engine.tree import Tree
from pydriver.platforms.mikrotik_routeros.schema import ROUTEROS_VERSION, model_ports


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of ``/log``: when, its topics (``system,info``) and the message."""

    stamp: float
    topics: str
    message: str


@dataclass(frozen=True, slots=True)
class ActiveUser:
    """One logged-in session, as ``/user active print`` lists it."""

    user: str
    address: str
    via: str
    since: float


_CONFIG_VERBS = frozenset({"add", "set", "remove", "enable", "disable", "move", "unset", "reset",
                           "comment", "import"})
_FILE = ("file",)
_LOG_LINES = 1000


class RouterOSEngine:
    """A RouterOS v7 router with no socket."""

    platform = "mikrotik_routeros"

    def __init__(
        self,
        name: str,
        model: str = "RB4011iGS+",
        *,
        scheduler: Scheduler,
        fabric: FabricView | None = None,
        identity: str = "MikroTik",
        defaults: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.model = model
        self.scheduler = scheduler
        self.fabric = fabric
        self.clock = clock
        self.serial = serial_for(name)
        self.software_id = software_id_for(name)
        self.generation = 0
        self.boot_id = 0
        self.booted_at = clock()
        self.log: list[LogEntry] = []
        self._sessions: weakref.WeakSet[RouterOSSession] = weakref.WeakSet()
        self.tree = Tree()
        self.config = Config(extra=(FILE_MENU,))
        self._add_ports()
        self.config.on_change = self._changed
        self.interp = Interpreter(self)
        self.jobs = Jobs(self)
        self._facts: tuple[int, DeviceFacts] | None = None
        if defaults:
            self.run_script(defconf(name, model))
        if identity != "MikroTik":
            self.run_script(f"/system identity set name={identity}")

    def _add_ports(self) -> None:
        table = self.config.table(("interface", "ethernet"))
        for index, port in enumerate(model_ports(self.model)):
            item = table.new_item({}, builtin=port)
            item.state["mac-address"] = mac_for(self.name, index + 1)
            table.items.append(item)

    def _changed(self) -> None:
        self.generation += 1

    # ------------------------------------------------------------------ the contract

    @property
    def identity(self) -> str:
        return self.config.setting(("system", "identity"), "name") or "MikroTik"

    def open_session(self, username: str) -> RouterOSSession:
        session = RouterOSSession(self, username)
        self._sessions.add(session)
        return session

    def api_session(self, check_login: Callable[[str, str], bool]) -> ApiSession:
        """A RouterOS API connection (the emulator's listener frames the sentences)."""
        return ApiSession(self, check_login)

    def advertise_port(self, service: str, port: int) -> None:
        """Where the emulator really serves ``service``: shown by ``/ip service print`` (as
        the router shows where it listens), never exported (it is not configuration)."""
        table = self.config.table(("ip", "service"))
        item = table.by_name(service)
        if item is not None:
            item.state["port"] = str(port)

    def service_open(self, service: str, address: str) -> bool:
        """Does ``/ip service`` let ``address`` reach ``service`` (enabled, address allowed)?"""
        table = self.config.table(("ip", "service"))
        item = table.by_name(service)
        if item is None or table.disabled(item):
            return False
        allowed = [a for a in (table.value(item, "address") or "").split(",") if a]
        if not allowed:
            return True
        try:
            here = ipaddress.ip_address(address)
            return any(here in ipaddress.ip_network(a, strict=False) for a in allowed)
        except ValueError:
            return False

    def active_users(self) -> list[ActiveUser]:
        """Sessions a client logged in with and has not closed, oldest first."""
        found = [ActiveUser(s.username, s.address, s.via, s.since) for s in self._sessions
                 if s.connected and not s.closed]
        return sorted(found, key=lambda a: a.since)

    def reboot(self) -> None:
        """Configuration survives (RouterOS saves every change); sessions and timers do not."""
        self.jobs.cancel_all()
        self.boot_id += 1
        self.booted_at = self.clock()
        self.log_event("system", "router rebooted")
        self.jobs.boot()

    def facts(self) -> DeviceFacts:
        cached = self._facts
        if cached is None or cached[0] != self.generation:
            cached = (self.generation, device_facts(self.name, self.config))
            self._facts = cached
        return cached[1]

    # ------------------------------------------------------------------ server hooks

    def is_config_command(self, line: str) -> bool:
        """Does ``line`` hold a verb that changes configuration (add/set/remove/...)?"""
        try:
            for text, offset in statements(line):
                for tok in tokens(text, offset):
                    if tok.is_arg:
                        break
                    words = tok.value.strip("/").split("/")
                    if any(w in _CONFIG_VERBS for w in words):
                        return True
        except RosError:
            return False
        return False

    def reject_message(self, line: str, prompt: str = "") -> str:
        stripped = line.lstrip()
        column = len(line) - len(stripped) + 1
        if stripped.startswith("/"):
            stripped, column = stripped[1:], column + 1
        word = stripped.replace("/", " ").split(" ", 1)[0] or stripped
        return RosError(f"bad command name {word}", column).console() + "\n"

    # ------------------------------------------------------------------ files

    def _files(self) -> Table:
        return self.config.table(_FILE)

    def write_file(self, name: str, text: str) -> str:
        """Store ``text`` as file ``name`` (what an SFTP/SCP upload does)."""
        name = name.lstrip("/")
        table = self._files()
        item = table.by_name(name)
        stamp = self.local_time().strftime("%Y-%m-%d %H:%M:%S")
        if item is None:
            item = table.new_item({"name": name})
            item.state["creation-time"] = stamp
            table.items.append(item)
        item.props["contents"] = text
        item.state["size"] = str(len(text.encode()))
        item.state["last-modified"] = stamp
        suffix = name.rsplit(".", 1)[-1] if "." in name else ""
        item.state["type"] = f".{suffix} file" if suffix else "file"
        return name

    def read_file(self, name: str) -> str | None:
        item = self._files().by_name(name.lstrip("/"))
        if item is None:
            return None
        return item.props.get("contents", "")

    def remove_file(self, name: str) -> None:
        table = self._files()
        item = table.by_name(name.lstrip("/"))
        if item is not None:
            table.items.remove(item)

    def list_files(self) -> list[str]:
        return self._files().names()

    @property
    def files(self) -> dict[str, str]:
        """A snapshot of the file store: name -> contents."""
        table = self._files()
        return {table.name_of(i) or "": i.props.get("contents", "") for i in table.items}

    # ------------------------------------------------------------------ time and logs

    def now(self) -> float:
        return self.clock()

    def local_time(self, stamp: float | None = None) -> dt.datetime:
        """The router's wall clock (now, or at ``stamp``), in its ``time-zone-name``."""
        zone = self.config.setting(("system", "clock"), "time-zone-name") or "manual"
        tz: dt.tzinfo = dt.UTC
        if zone not in ("manual", ""):
            try:
                tz = zoneinfo.ZoneInfo(zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                tz = dt.UTC
        return dt.datetime.fromtimestamp(self.clock() if stamp is None else stamp, tz)

    def log_event(self, topics: str, message: str) -> None:
        """Add a ``/log`` entry (``topics`` as RouterOS writes them: ``system,info``)."""
        if "," not in topics and topics not in ("info", "warning", "error", "debug",
                                                 "critical"):
            topics += ",info"
        self.log.append(LogEntry(self.clock(), topics, message))
        del self.log[:-_LOG_LINES]

    def export_header(self) -> str:
        stamp = self.local_time().strftime("%Y-%m-%d %H:%M:%S")
        return (
            f"# {stamp} by RouterOS {ROUTEROS_VERSION}\n"
            f"# software id = {self.software_id}\n"
            "#\n"
            f"# model = {self.model}\n"
            f"# serial number = {self.serial}\n"
        )

    # ------------------------------------------------------------------ scripts

    def run(self, line: str, user: str = "admin") -> str:
        """Run one console line as ``user`` at the root menu (for tests and tools)."""
        return self.interp.run(line, Context(user=user))

    def run_script(self, source: str, user: str = "admin") -> str:
        """Run a script (scheduler job, defconf); errors end it and are part of the output."""
        try:
            return self.interp.run_script(source, Context(user=user))
        except ScriptFailed as failed:
            return failed.output + failed.error.console(failed.line) + "\n"

    def load_config(self, text: str, user: str = "admin") -> LoadReport:
        """Apply a whole configuration (an export, a backup), line by line as ``/import``
        would, but going on past refused lines; built-in items the configuration names and
        this router lacks (ports, radios) are created. Returns what was refused, by line."""
        return load(self.interp, text, Context(user=user, adapt=True))

    @classmethod
    def from_export(cls, name: str, text: str, *, scheduler: Scheduler,
                    fabric: FabricView | None = None,
                    clock: Callable[[], float] = time.time) -> tuple[RouterOSEngine, LoadReport]:
        """A twin of the router ``text`` was exported from: its model (from the export's
        ``# model =`` header), no default configuration (the export carries it), then
        :meth:`load_config` of the whole text."""
        model = next((ln.split("=", 1)[1].strip() for ln in text.splitlines()[:8]
                      if ln.startswith("# model =")), "CHR")
        engine = cls(name, model, scheduler=scheduler, fabric=fabric, defaults=False,
                     clock=clock)
        return engine, engine.load_config(text)

    def export(self, *options: str) -> str:
        """``/export`` with ``options`` (``terse``, ``verbose``, ``show-sensitive``)."""
        return self.run("/export " + " ".join(options))

    # ------------------------------------------------------------------ interpreter hooks

    def complete(self, table: Table, props: dict[str, str], ctx: Context) -> None:
        """Values RouterOS fills in on ``add`` (owner, scheduler start)."""
        path = table.menu.path
        if path[:2] == ("ip", "firewall") and "chain" in props:
            props.setdefault("action", "accept")
        if path == SCHEDULER:
            now = self.local_time()
            if not props.get("start-time"):
                props["start-time"] = now.strftime("%H:%M:%S")
            if not props.get("start-date") and props["start-time"] != "startup":
                props["start-date"] = now.strftime("%Y-%m-%d")
        if path in (SCHEDULER, ("system", "script")):
            props.setdefault("_owner", ctx.user)

    def item_changed(self, table: Table, item: Item) -> None:
        owner = item.props.pop("_owner", None)
        if owner is not None:
            item.state["owner"] = owner
            item.state.setdefault("run-count", "0")
        if table.menu.path == SCHEDULER:
            self.jobs.sync(item)

    def item_removed(self, table: Table, item: Item) -> None:
        if table.menu.path == SCHEDULER:
            self.jobs.cancel(item)
