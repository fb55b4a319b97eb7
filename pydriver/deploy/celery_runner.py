"""A Nornir runner that fans a wave's routers out to Celery workers (``--runner celery``).

Apply's waves, canary, ``--max-failures``, audit and lock stay where they are
(``apply.apply_plan``): only the step that runs one wave's routers changes, from threads in
this process to tasks on the workers. Each task carries the router's plan (placeholders,
never secrets), the run's settings and what the wave knows (which peers change later);
the worker answers with the router's outcome, built by the same ``apply_router``.

A worker that dies while it holds a router stops beating its heartbeat key: the router is
reported ``reverting`` (it was armed: its own timer restores it) or ``failed`` with nothing
changed (it was not armed yet). Messages are acknowledged on receipt, so the broker never
gives that router to another worker in the middle of its revert.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task
from nornir.plugins.runners import ThreadedRunner

from pydriver.deploy.apply import OK, Outcome, RunState, Settings
from pydriver.deploy.celery_app import BEAT, TASK, check_broker, redis_client
from pydriver.plan.model import RouterPlan
from pydriver.platforms.base import CheckResult

POLL_SECONDS = 0.2
# a started task whose heartbeat is gone for this long lost its worker
LOST_AFTER = 3.0


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    """An outcome as the worker sends it back (JSON)."""
    return asdict(outcome)


def outcome_from(data: dict[str, Any]) -> Outcome:
    checks = tuple(CheckResult(**c) for c in data.get("checks", ()))
    return Outcome(**{**data, "checks": checks})


class CeleryRunner:
    """Nornir runner plugin ``pydriver.celery`` (options: ``broker``, ``inventory``,
    ``state``, ``digest``): runs apply's per-router task on the workers."""

    def __init__(self, broker: str, inventory: str, state: str, digest: str) -> None:
        self.broker = broker
        self.inventory = inventory
        self.state = state
        self.digest = digest
        self.app = check_broker(broker)
        self.beats = redis_client(broker)

    def message(self, plan: RouterPlan, settings: Settings, state: RunState, wave: int,
                wave_id: str) -> str:
        return json.dumps({
            "plan": asdict(plan), "settings": asdict(settings), "wave": wave,
            "wave_id": wave_id, "later": sorted(state.later), "inventory": self.inventory,
            "state": self.state, "digest": self.digest})

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        params: Mapping[str, Any] = task.params or {}
        plans, settings = params.get("plans"), params.get("settings")
        state, wave = params.get("state"), params.get("wave")
        if not isinstance(state, RunState) or not isinstance(settings, Settings) or \
                not isinstance(plans, Mapping) or not isinstance(wave, int):
            # anything else (closing this process's sessions) runs here, in threads
            return ThreadedRunner(num_workers=max(1, len(hosts))).run(task, hosts)
        wave_id = uuid.uuid4().hex
        pending = {h.name: self.app.send_task(
            TASK, args=[self.message(plans[h.name], settings, state, wave, wave_id)])
            for h in hosts}
        seen: dict[str, str] = {}
        quiet: dict[str, float] = {}
        done: dict[str, Outcome] = {}
        while pending:
            for name, res in list(pending.items()):
                outcome = self._poll(name, res, wave, settings, state, seen, quiet)
                if outcome is not None:
                    done[name] = outcome
                    del pending[name]
                    state.on_event({"event": "router", "outcome": outcome})
            if pending:
                time.sleep(POLL_SECONDS)
        result = AggregatedResult(task.name)
        for h in hosts:
            o = done[h.name]
            multi = MultiResult(task.name)
            multi.append(Result(host=h, result=o, changed=o.status == "applied",
                                failed=o.status not in OK, name=task.name))
            result[h.name] = multi
        return result

    def _poll(self, name: str, res: Any, wave: int, settings: Settings, state: RunState,
              seen: dict[str, str], quiet: dict[str, float]) -> Outcome | None:
        """The router's outcome once its task has ended (or its worker is gone)."""
        status = str(res.state)
        if status == "SUCCESS":
            return outcome_from(res.result)
        if status == "FAILURE":
            return Outcome(name, "failed", f"worker error: {type(res.result).__name__}", wave)
        if status in ("STARTED", "ARMED"):
            if seen.get(name) != status:
                seen[name] = status
                info = res.info if isinstance(res.info, dict) else {}
                state.on_event({"event": "start" if status == "STARTED" else "armed",
                                "host": name, "wave": wave, "worker_pid": info.get("pid")})
            if self.beats.exists(BEAT + str(res.id)):
                quiet.pop(name, None)
                return None
            since = quiet.setdefault(name, time.monotonic())
            if time.monotonic() - since < LOST_AFTER:
                return None
            if seen.get(name) == "ARMED":
                return Outcome(name, "reverting", "its worker was lost after arming; the "
                               "router restores itself by its own timer within "
                               f"{settings.revert_minutes:g} min", wave)
            return Outcome(name, "failed", "its worker was lost before arming the revert; "
                           "nothing was pushed (check the router)", wave)
        return None
