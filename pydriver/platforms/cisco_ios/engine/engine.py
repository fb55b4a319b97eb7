"""One emulated IOS-XE router: running/startup config, bootflash, archive and rollback timer.

The engine is shared by every SSH session of the router; sessions only hold their mode.
``configure replace ... revert timer`` and ``configure terminal revert timer`` arm a real
timer on the scheduler: if ``configure confirm`` does not arrive in time the previous
configuration really comes back, which is the safety net pydriver's IOS push relies on.
A "minute" is ``minute_seconds`` long so tests can use IOS's whole-minute syntax quickly.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from pydriver.platforms.cisco_ios.engine.commands import MODES, grammar
from pydriver.platforms.cisco_ios.engine.facts import device_facts
from pydriver.platforms.cisco_ios.engine.grammar import VIRTUAL_TYPES, normalize_iface
from pydriver.platforms.cisco_ios.engine.interp import (
    ConfigInterpreter,
    interface_range,
    invalid_input,
)
from pydriver.platforms.cisco_ios.engine.models import HardwareModel, factory_config, hardware
from pydriver.platforms.cisco_ios.engine.render import render
from pydriver.platforms.cisco_ios.engine.session import IOSSession
from pydriver.platforms.cisco_ios.engine.tree import Config
from pydriver.platforms.emulation import (
    DeviceFacts,
    FabricView,
    LineGate,
    LoadReport,
    Refused,
    Scheduler,
    TimerHandle,
)

LAB_ENABLE_SECRET = "lab"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
IMAGE_SIZE = 734_003_200
BOOTFLASH_TOTAL = 7_341_807_616


@dataclass(frozen=True, slots=True)
class BootflashFile:
    content: str
    mtime: float


# what a saved ``show running-config`` carries before the configuration itself
_HEADER = re.compile(
    r"^(Building configuration\.\.\.|Current configuration ?: .*|Using \d+ out of \d+ bytes.*)$"
)
_UDI = re.compile(r"^license udi pid (\S+) sn (\S+)", re.M)


@dataclass(frozen=True, slots=True)
class LoadResult:
    config: Config
    report: LoadReport

    @property
    def failed(self) -> tuple[str, ...]:
        """The refused lines' text (what ``configure replace`` lists as failed)."""
        return tuple(r.text.strip() for r in self.report.refused)


@functools.lru_cache(maxsize=4096)
def _config_line(body: str) -> bool:
    """Is ``body`` a command of some configuration mode? (Asked for every line a lab router
    receives; the answer never changes, and a hundred modes are a lot to try each time.)"""
    return any(grammar(mode).match(body).complete for mode in MODES)


def physical_ports(text: str) -> tuple[str, ...]:
    """The chassis ports a saved configuration shows (IOS lists every port it has)."""
    ports: list[str] = []
    for line in text.splitlines():
        words = line.split(None, 2)
        if len(words) < 2 or len(words[0]) < 3 or not "interface".startswith(words[0].lower()):
            continue  # ``interface X``, as typed too: ``int gi0/0/1``, ``interface range ...``
        if words[1].lower() == "range" and len(words) > 2:
            names = interface_range(words[2])
        else:
            one = normalize_iface(line.split(None, 1)[1].strip())
            names = [one] if one else []
        for name in names:
            if "." not in name and not name.startswith(VIRTUAL_TYPES) and name not in ports:
                ports.append(name)
    return tuple(ports)


class _Pending:
    """An armed Rollback Confirmed Change: the backup file, the timer that restores it and
    who armed it (only that user may confirm it, as NAPALM checks)."""

    def __init__(
        self,
        backup: str,
        handle: TimerHandle,
        armed_at: float,
        deadline: float,
        user: str,
        minutes: int,
    ) -> None:
        self.backup = backup
        self.handle = handle
        self.armed_at = armed_at
        self.deadline = deadline
        self.user = user
        self.minutes = minutes


class IOSEngine:
    """An IOS-XE router with no socket (the contract: :mod:`pydriver.platforms.emulation`)."""

    platform = "cisco_ios"

    def __init__(
        self,
        name: str,
        model: str = "ISR4451-X/K9",
        *,
        scheduler: Scheduler,
        fabric: FabricView | None = None,
        hostname: str = "Router",
        enable_secret: str = LAB_ENABLE_SECRET,
        minute_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.hardware: HardwareModel = hardware(model)
        self.ports = frozenset(self.hardware.ports)
        self.scheduler = scheduler
        self.fabric = fabric
        self.enable_secret = enable_secret
        self.minute_seconds = minute_seconds
        self.clock = clock
        self.generation = 0
        self.boot_id = 0
        self.booted_at = clock()
        self.last_change: float | None = None
        self.log: list[str] = []
        self.bootflash: dict[str, BootflashFile] = {}
        self.archive: list[str] = []
        self.archive_counter = 0
        self._pending: _Pending | None = None
        self._period_timer: TimerHandle | None = None
        self._period: str | None = None
        self._facts: tuple[int, DeviceFacts] | None = None
        self._sessions: list[weakref.ref[IOSSession]] = []
        self.factory_hostname = hostname
        self.startup: str = factory_config(self.hardware, hostname)
        self.private: dict[tuple[str, ...], str] = {}  # saved lines IOS never shows
        self.running: Config = self.load(self.startup).config
        self.last_change = None

    # ------------------------------------------------------------------ config state

    @property
    def hostname(self) -> str:
        return self.running.value("hostname") or "Router"

    def _changed(self) -> None:
        self.generation += 1
        self.last_change = self.clock()
        self._check_archive_period()

    def load(self, text: str, base: Config | None = None,
             gate: LineGate | None = None) -> LoadResult:
        """Parse ``text`` as a configuration file, onto ``base`` (merge) or a fresh tree.

        ``gate`` sees each configuration line first (a merge from a file over SSH: the
        server's fault knobs count, refuse or cut there, as for a typed line)."""
        config = base if base is not None else Config()
        interp = ConfigInterpreter(config, self.ports)
        refused: list[Refused] = []
        counted = 0
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not interp.in_banner:
                stripped = line.strip()
                if stripped == "end":
                    break
                if not stripped or stripped.startswith("!") or _HEADER.match(stripped):
                    continue
                counted += 1
                refusal = gate(line) if gate is not None else None
                if refusal is not None:
                    refused.append(Refused(line_no, line.rstrip(), refusal.rstrip("\n")))
                    continue
            outcome = interp.feed(line)
            if outcome.error:
                refused.append(Refused(line_no, line.rstrip(), outcome.output.rstrip("\n")))
            if outcome.leave:
                interp = ConfigInterpreter(config, self.ports)
        if base is None:
            for port in self.hardware.ports:
                if config.interface(port) is None:
                    interp = ConfigInterpreter(config, self.ports)
                    interp.feed(f"interface {port}")
                    interp.feed(" negotiation auto")
            config.on_change = self._changed
        return LoadResult(config, LoadReport(counted, tuple(refused)))

    def load_config(self, text: str) -> LoadReport:
        """Boot this router from a saved configuration (a backup of a production router).

        The twin takes the chassis the backup describes: the physical ports it lists when
        they are not this model's (IOS shows every port it has) and the PID and serial of its
        ``license udi`` line. The
        configuration becomes both running and startup config, as after a reload; lines the
        twin cannot place are refused with IOS's own message and reported, the rest applies.
        """
        ports = physical_ports(text)
        udi = _UDI.search(text)
        changes: dict[str, object] = {}
        if ports and not set(ports) <= set(self.hardware.ports):
            changes["ports"] = ports  # another chassis than this model: take the backup's
        if udi:
            changes["pid"], changes["serial"] = udi.group(1), udi.group(2)
        if changes:
            self.hardware = dataclasses.replace(self.hardware, **changes)  # type: ignore[arg-type]
            self.ports = frozenset(self.hardware.ports)
        self._cancel_pending()
        result = self.load(text)
        self.replace_running(result.config, dict(result.config.hidden))
        self.startup = self.running_text()
        self.private = dict(self.running.hidden)
        self.last_change = None
        return result.report

    def replace_running(
        self, new: Config, hidden: dict[tuple[str, ...], str] | None = None
    ) -> None:
        """Make ``new`` the running config in place (sessions keep the same Config object).

        Lines IOS never shows (SNMPv3 users) are not in any file, so a replace keeps the
        current ones and only a reload brings back the saved private set.
        """
        self.running.root = new.root
        if hidden is not None:
            self.running.hidden = dict(hidden)
        self.running.changed()

    def running_text(self) -> str:
        return render(self.running)

    def save(self) -> str:
        self.startup = self.running_text()
        self.private = dict(self.running.hidden)
        self._log("%SYS-2-PRIVCFG_ENCRYPT_SUCCESS: Successfully encrypted private config file")
        if self._archive_setting("write-memory") is not None:
            self.archive_config()
        return "Building configuration...\n[OK]\n"

    def unsaved(self) -> bool:
        return self.running_text() != self.startup

    def facts(self) -> DeviceFacts:
        """The facts of the running config, recomputed only when ``generation`` moved."""
        cached = self._facts
        if cached is None or cached[0] != self.generation:
            cached = (self.generation, device_facts(self.running, self.name))
            self._facts = cached
        return cached[1]

    def erase_startup(self) -> None:
        """``write erase``: the startup-config becomes the factory one."""
        self.startup = factory_config(self.hardware, self.factory_hostname)

    def reboot(self) -> None:
        self._cancel_pending()
        if self._period_timer is not None:
            self._period_timer.cancel()
            self._period_timer = None
        self._period = None
        self.boot_id += 1
        self.booted_at = self.clock()
        self.archive = []
        self.archive_counter = 0
        self.replace_running(self.load(self.startup).config, self.private)
        self.last_change = None

    def open_session(self, username: str) -> IOSSession:
        live = self.live_sessions()
        used = {s.vty for s in live}
        session = IOSSession(self, username, vty=min(set(range(len(used) + 1)) - used))
        self._sessions = [*(weakref.ref(s) for s in live), weakref.ref(session)]
        return session

    def live_sessions(self) -> list[IOSSession]:
        """The shells still open (``show users``); a dropped connection's session is gone."""
        found = [ref() for ref in self._sessions]
        return [s for s in found if s is not None and not s.closed]

    # ------------------------------------------------------------------ fault knob helpers

    def is_config_command(self, line: str) -> bool:
        """Would ``line`` be accepted in global configuration mode or one of its sub-modes?"""
        body = line.strip()
        if body.startswith("no "):
            body = body[3:]
        return _config_line(body)

    def reject_message(self, line: str, prompt: str = "") -> str:
        """The caret error IOS prints when it rejects ``line`` typed after ``prompt``."""
        indent = len(line) - len(line.lstrip())
        return invalid_input(len(prompt) + indent)

    # ------------------------------------------------------------------ bootflash

    def _log(self, message: str) -> None:
        self.log.append(f"{self.timestamp()}: {message}")

    def timestamp(self) -> str:
        t = time.gmtime(self.clock() + self._tz_offset())
        ms = int((self.clock() % 1) * 1000)
        clock = f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{ms:03d}"
        return f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} {clock}"

    def _tz(self) -> tuple[str, float]:
        value = self.running.value("clock timezone")
        if not value:
            return "UTC", 0.0
        parts = value.split()
        hours = int(parts[1]) if len(parts) > 1 and parts[1].lstrip("-").isdigit() else 0
        minutes = int(parts[2]) if len(parts) > 2 else 0
        sign = -1 if hours < 0 else 1
        return parts[0], sign * (abs(hours) * 3600 + minutes * 60)

    def _tz_offset(self) -> float:
        return self._tz()[1]

    def serves_scp(self) -> bool:
        """IOS answers an SCP upload only with ``ip scp server enable`` configured (a
        client sees the channel closed otherwise, and must fall back)."""
        return self.running.has("ip scp server enable")

    def write_file(self, path: str, content: str) -> str:
        name = self.file_name(path)
        self.bootflash[name] = BootflashFile(content, self.clock())
        return name

    def read_file(self, path: str) -> str | None:
        found = self.bootflash.get(self.file_name(path))
        return found.content if found else None

    def remove_file(self, path: str) -> None:
        self.bootflash.pop(self.file_name(path), None)

    def list_files(self) -> list[str]:
        return sorted(self.bootflash)

    @staticmethod
    def file_name(path: str) -> str:
        """``bootflash:/x`` / ``flash:x`` / ``x`` -> ``x`` (the one file system the lab has)."""
        for prefix in ("bootflash:", "flash:"):
            if path.startswith(prefix):
                path = path[len(prefix) :]
        return path.lstrip("/")

    # ------------------------------------------------------------------ archive

    def _archive_node_children(self) -> list[str]:
        node = next((n for n in self.running.root.children if n.text == "archive"), None)
        return [c.text for c in node.children] if node else []

    def _archive_setting(self, key: str) -> str | None:
        for text in self._archive_node_children():
            if text == key:
                return ""
            if text.startswith(key + " "):
                return text[len(key) + 1 :]
        return None

    def archive_path(self) -> str | None:
        return self._archive_setting("path")

    def archive_maximum(self) -> int:
        value = self._archive_setting("maximum")
        return int(value) if value else 10

    def _archive_stamp(self) -> str:
        tz_name, offset = self._tz()
        now = self.clock()
        t = time.gmtime(now + offset)
        ms = round((now % 1) * 1000) % 1000
        tz = f"-{tz_name}" if tz_name != "UTC" else ""
        return (
            f"{_MONTHS[t.tm_mon - 1]}-{t.tm_mday:2d}-"
            f"{t.tm_hour:02d}-{t.tm_min:02d}-{t.tm_sec:02d}.{ms:03d}{tz}"
        ).replace(" ", "-")

    def next_archive_name(self) -> str:
        return f"{self.archive_path()}-<timestamp>-{self.archive_counter}"

    def archive_config(self) -> str | None:
        """Save running-config as the next archive file; None when no archive path is set."""
        path = self.archive_path()
        if not path:
            return None
        name = f"{path}-{self._archive_stamp()}-{self.archive_counter}"
        self.archive_counter += 1
        self.write_file(name, self.running_text())
        self.archive.append(name)
        while len(self.archive) > self.archive_maximum():
            old = self.archive.pop(0)
            self.bootflash.pop(self.file_name(old), None)
        return name

    def _check_archive_period(self) -> None:
        period = self._archive_setting("time-period") if hasattr(self, "running") else None
        if period == self._period:
            return
        self._period = period
        if self._period_timer is not None:
            self._period_timer.cancel()
            self._period_timer = None
        if period:
            self._arm_period(int(period))

    def _arm_period(self, minutes: int) -> None:
        def tick() -> None:
            self.archive_config()
            self._arm_period(minutes)

        self._period_timer = self.scheduler.call_later(minutes * self.minute_seconds, tick)

    # ------------------------------------------------------------------ rollback

    @property
    def revert_pending(self) -> bool:
        return self._pending is not None

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.handle.cancel()
            self._pending = None

    def arm_revert(self, minutes: int, user: str = "lab") -> str:
        """Back up running-config and arm the rollback timer (step one of a confirmed change)."""
        if self._pending is not None:
            return self.reset_revert_timer(minutes)
        backup = self.archive_config()
        if backup is None:
            return "%Archive path not specified. Use the 'archive' command to configure the path\n"
        self._arm(backup, minutes, user)
        return f"Rollback Confirmed Change: Backing up current running config to {backup}\n"

    def _arm(self, backup: str, minutes: int, user: str) -> None:
        delay = minutes * self.minute_seconds
        handle = self.scheduler.call_later(delay, self._revert_expired)
        now = self.clock()
        self._pending = _Pending(backup, handle, now, now + delay, user, minutes)
        self._log(
            "%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_BACKUP: "
            f"Backing up current running config to {backup}"
        )
        self._log(
            f"%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_START_ABSTIMER: User: {user}: Scheduled to "
            f"rollback to config {backup} in {minutes} minutes"
        )

    def reset_revert_timer(self, minutes: int) -> str:
        if self._pending is None:
            return "%No Rollback Confirmed Change pending\n"
        backup, user = self._pending.backup, self._pending.user
        self._pending.handle.cancel()
        self._arm(backup, minutes, user)
        return ""

    def rollback_timer(self) -> str:
        """``show archive config rollback timer``: the pending confirmed change, if any."""
        pending = self._pending
        if pending is None:
            return "%No Rollback Confirmed Change pending\n"
        tz_name, offset = self._tz()
        stamp = time.strftime(
            "%H:%M:%S {} %a %b %d %Y", time.gmtime(pending.armed_at + offset)
        ).format(tz_name)
        left = max(0.0, pending.deadline - self.clock()) / self.minute_seconds
        return (
            f"Schedule to rollback to config {pending.backup} in {int(left)} min\n"
            f"Time configured: {stamp}\n"
            "Timer type: absolute\n"
            f"Timer value: {pending.minutes} min\n"
            f"User: {pending.user}\n"
        )

    def confirm(self) -> str:
        if self._pending is None:
            return "%No Rollback Confirmed Change pending\n"
        self._cancel_pending()
        self._log(
            "%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_CONFIRM: User: lab: Confirm the configuration change"
        )
        return ""

    def revert_now(self) -> str:
        if self._pending is None:
            return "%No Rollback Confirmed Change pending\n"
        self._revert_expired()
        return ""

    def _revert_expired(self) -> None:
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        self._log(
            f"%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_ROLLBACK_START: Start rolling to: {pending.backup}"
        )
        content = self.read_file(pending.backup)
        if content is not None:
            self.replace_running(self.load(content).config)

    def replace(
        self, path: str, revert_minutes: int | None, listing: bool, user: str = "lab"
    ) -> str:
        """``configure replace``: make running-config equal to the file (after the prompt)."""
        content = self.read_file(path)
        if content is None:
            return f"%Error opening {path} (No such file or directory)\n"
        result = self.load(content)
        if result.failed:
            failed = "".join(f"Command:  {line}\n" for line in result.failed)
            return (
                "Total number of passes: 5\n"
                "Rollback aborted after 5 passes\n"
                "The following commands are failed to apply to the IOS image.\n" + failed
            )
        out = ""
        if revert_minutes is not None:
            armed = self.arm_revert(revert_minutes, user)
            if armed.startswith("%"):
                return armed
            out += armed
        before = self.running_text()
        after = render(result.config)
        if listing:
            out += _listing(before, after)
        passes = 0 if before == after else 1
        if passes:
            self.replace_running(result.config)
        return out + f"Total number of passes: {passes}\nRollback Done\n"


def _blocks(text: str) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line in ("!", "end") or not line:
            current = None
            continue
        if not line.startswith(" ") or current is None:
            current = blocks.setdefault(line, [])
            current.append(line)
        else:
            current.append(line)
    return blocks


def _listing(before: str, after: str) -> str:
    old, new = _blocks(before), _blocks(after)
    out = ["!Pass 1", "!List of Commands:"]
    for head in old:
        if head not in new:
            out.append("no " + head)
    for head, lines in new.items():
        if old.get(head) != lines:
            out.extend(lines)
    out.append("end")
    return "\n".join(out) + "\n"
