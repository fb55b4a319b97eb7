"""A :class:`~pydriver.platforms.emulation.Scheduler` backed by the emulator's asyncio loop.

Engines arm timers (RouterOS scheduler jobs, IOS revert timers) from inside a command,
which runs on the loop thread, but tests and the lab CLI may touch an engine from another
thread. Every entry point here is therefore safe from any thread: work is handed to the
loop with ``call_soon_threadsafe`` unless we already are on it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

_log = logging.getLogger(__name__)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class LoopTimer:
    """A cancellable timer; cancelling from another thread before it is armed still wins."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, delay: float, callback: Callable[[], None]
    ) -> None:
        self._loop = loop
        self._callback = callback
        self._lock = threading.Lock()
        self._cancelled = False
        self._handle: asyncio.TimerHandle | None = None
        if _on_loop(loop):
            self._arm(delay)
        else:
            loop.call_soon_threadsafe(self._arm, delay)

    def _arm(self, delay: float) -> None:
        with self._lock:
            if not self._cancelled:
                self._handle = self._loop.call_later(max(0.0, delay), self._fire)

    def _fire(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True  # a fired timer cannot fire again
        try:
            self._callback()
        except Exception:  # an engine bug must not stop every other device's loop
            _log.exception("scheduled callback failed")

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            handle = self._handle
        if handle is None:
            return
        if _on_loop(self._loop):
            handle.cancel()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(handle.cancel)


class LoopScheduler:
    """``call_later`` on one asyncio loop, callable from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def call_later(self, delay: float, callback: Callable[[], None]) -> LoopTimer:
        return LoopTimer(self.loop, delay, callback)
