"""Hub-side post-checks of a wave's sites, shared: one probe of a hub serves every site.

Why: a site is only up when its hubs reach it, so each site's checks include a ping from
each of its hubs. Fifty sites of a wave polling one hub each on its own would queue fifty
times on the hub's one session (a Netmiko session is one stream), and ping again what
already answered. Here the sites waiting on a hub are pinged together by whichever site
gets the hub's session first, and a target that answered is not pinged again in the wave:
the hub's session carries one ping per site, plus only the retries of the ones still down.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# (hub, target) -> (answered, when the probe ran)
Seen = dict[tuple[str, str], tuple[bool, float]]


@dataclass(frozen=True, slots=True)
class Probe:
    """How to ping from one hub: its session, its ping and its source address."""

    hub: str
    source: str
    connect: Callable[[], Any]  # the hub's open session (opened once, reused)
    ping: Callable[[Any, str, str], bool]  # (session, target, source) -> answered
    drop: Callable[[], None]  # close a session that failed, so the next probe reopens it


@dataclass
class HubPings:
    """The hub pings of one wave (a new one per wave: a later wave checks afresh)."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _hubs: dict[str, threading.Lock] = field(default_factory=dict)
    _waiting: dict[str, set[str]] = field(default_factory=dict)
    _seen: Seen = field(default_factory=dict)
    probes: int = 0  # pings sent, for the counts of a run

    def ask(self, probe: Probe, target: str) -> tuple[bool, str]:
        """Whether ``probe.hub`` reaches ``target`` now, and what was seen."""
        key = (probe.hub, target)
        asked = time.monotonic()
        with self._lock:
            if self._seen.get(key, (False, 0.0))[0]:
                return True, "answered"
            self._waiting.setdefault(probe.hub, set()).add(target)
            hub_lock = self._hubs.setdefault(probe.hub, threading.Lock())
        with hub_lock:
            with self._lock:
                ok, when = self._seen.get(key, (False, 0.0))
                if ok or when >= asked:  # another site's probe answered for this one
                    return ok, "answered" if ok else "no answer"
                targets = sorted(self._waiting.pop(probe.hub, set()) | {target})
            return self._probe(probe, targets, key)

    def _probe(self, probe: Probe, targets: list[str], key: tuple[str, str]
               ) -> tuple[bool, str]:
        try:
            conn = probe.connect()
            for t in targets:
                ok = probe.ping(conn, t, probe.source)
                with self._lock:
                    self.probes += 1
                    self._seen[(probe.hub, t)] = (ok, time.monotonic())
        except Exception as exc:
            with contextlib.suppress(Exception):
                probe.drop()
            return False, type(exc).__name__
        ok = self._seen[key][0]
        return ok, "answered" if ok else "no answer"
