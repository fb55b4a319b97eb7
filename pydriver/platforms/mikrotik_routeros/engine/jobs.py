"""``/system scheduler``: jobs that really run, on the emulator's loop.

pydriver's safety net on RouterOS is a scheduler job that restores the previous
configuration unless the change is confirmed in time, so the job must fire by itself:
each enabled job is armed on the :class:`~pydriver.platforms.emulation.Scheduler` at its next
run time (``start-date``/``start-time`` plus whole ``interval``\\ s, in the router's local
time) and re-armed after it runs. ``start-time=startup`` jobs run after each reboot.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from pydriver.platforms.emulation import TimerHandle
from pydriver.platforms.mikrotik_routeros.engine.store import Item, Table
from pydriver.platforms.mikrotik_routeros.schema import ValueRejected, parse_duration

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

PATH = ("system", "scheduler")
_STARTUP_DELAY = 0.05  # startup jobs run just after boot, not inside reboot()
_log = logging.getLogger(__name__)


class Jobs:
    """The armed timers of one router's scheduler."""

    def __init__(self, engine: RouterOSEngine) -> None:
        self.engine = engine
        self.timers: dict[int, TimerHandle] = {}

    @property
    def table(self) -> Table:
        return self.engine.config.table(PATH)

    def cancel(self, item: Item) -> None:
        handle = self.timers.pop(item.id, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for handle in self.timers.values():
            handle.cancel()
        self.timers.clear()

    def _interval(self, item: Item) -> float:
        try:
            return parse_duration(self.table.value(item, "interval") or "0s")
        except ValueRejected:
            return 0.0

    def _start(self, item: Item) -> float | None:
        """The start moment (epoch seconds) of ``item``, None for ``startup`` or unset."""
        date = self.table.value(item, "start-date") or ""
        time = self.table.value(item, "start-time") or ""
        if not time or time == "startup":
            return None
        tz = self.engine.local_time().tzinfo
        try:
            day = dt.date.fromisoformat(date) if date else self.engine.local_time().date()
            clock = dt.time.fromisoformat(time)
        except ValueError:
            return None
        return dt.datetime.combine(day, clock, tzinfo=tz).timestamp()

    def next_delay(self, item: Item) -> float | None:
        """Seconds until ``item`` runs next, or None if it will not run (until a reboot)."""
        now = self.engine.now()
        interval = self._interval(item)
        start = self._start(item)
        if start is None:
            return interval if interval > 0 else None
        if start > now:
            return start - now
        if interval <= 0:
            return None
        periods = int((now - start) // interval) + 1
        return start + periods * interval - now

    def sync(self, item: Item) -> None:
        """(Re)arm ``item`` after it was added, changed, enabled or disabled."""
        self.cancel(item)
        if item not in self.table.items or self.table.disabled(item):
            return
        delay = self.next_delay(item)
        if delay is not None:
            self._arm(item, delay)

    def boot(self) -> None:
        """After a reboot: startup jobs run once, every other job is re-armed."""
        self.cancel_all()
        for item in self.table.items:
            if self.table.disabled(item):
                continue
            if self.table.value(item, "start-time") == "startup":
                self._arm(item, _STARTUP_DELAY)
            else:
                self.sync(item)

    def _arm(self, item: Item, delay: float) -> None:
        boot = self.engine.boot_id

        def fire() -> None:
            if self.engine.boot_id != boot or self.timers.get(item.id) is not handle:
                return
            self.timers.pop(item.id, None)
            self.run(item)
            if item in self.table.items and not self.table.disabled(item):
                interval = self._interval(item)
                if interval > 0:
                    self._arm(item, interval)

        handle = self.engine.scheduler.call_later(delay, fire)
        self.timers[item.id] = handle
        next_run = self.engine.local_time() + dt.timedelta(seconds=delay)
        item.state["next-run"] = next_run.strftime("%Y-%m-%d %H:%M:%S")

    def run(self, item: Item) -> None:
        """Run the job's ``on-event``: a script's name, or script source itself."""
        count = int(item.state.get("run-count", "0")) + 1
        item.state["run-count"] = str(count)
        name = self.table.value(item, "name") or ""
        event = self.table.value(item, "on-event") or ""
        scripts = self.engine.config.table(("system", "script"))
        script = scripts.by_name(event.strip())
        source = scripts.value(script, "source") or "" if script is not None else event
        owner = self.table.value(item, "owner") or "admin"
        result = self.engine.run_script(source, owner)
        self.engine.log_event("script", f"scheduler {name}: {result.strip() or 'done'}")
