"""The worker side of ``apply --runner celery``: one router per task, as the threaded
runner applies it (``apply.apply_router``, the very same function).

Start workers with the broker in the environment, beside a checkout of the same inventory
and with the same secrets a local apply needs::

    PYDRIVER_CELERY_BROKER=redis://:PASSWORD@broker:6379/0 \\
        celery -A pydriver.deploy.celery_worker worker --pool threads --concurrency 20

A worker builds the inventory's pipeline once per process and keeps it while the
inventory's digest stays the one the tasks name; a task whose digest differs fails without
touching its router. While it holds a router the task beats a heartbeat key in Redis, so
the coordinator can tell a router still being worked on from one whose worker died.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from pydriver.deploy.apply import Outcome, RunState, Settings, apply_router
from pydriver.deploy.celery_app import (
    BEAT,
    BEAT_SECONDS,
    BEAT_TTL_MS,
    TASK,
    broker_url,
    make_app,
    redis_client,
)
from pydriver.deploy.celery_runner import outcome_dict
from pydriver.deploy.hubcheck import HubPings
from pydriver.deploy.nornir import init, lab_hosts
from pydriver.deploy.sources import secret_values
from pydriver.pipeline import Pipeline
from pydriver.plan.model import RouterPlan

app = make_app(broker_url())
_PLAN: TypeAdapter[RouterPlan] = TypeAdapter(RouterPlan)
_SETTINGS: TypeAdapter[Settings] = TypeAdapter(Settings)


@dataclass
class Context:
    """What a worker process keeps between tasks of one inventory: its pipeline, Nornir
    (so a hub's session serves the site checks of many tasks) and the wave's hub pings."""

    digest: str
    pipe: Pipeline
    nr: Any
    secrets: dict[str, str]
    wave: str = ""
    hub_pings: HubPings = field(default_factory=HubPings)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_wave(self, wave: str) -> HubPings:
        """The hub pings of ``wave``; a new wave closes the hub sessions of the last one
        (the coordinator sends a wave only once the one before has ended)."""
        with self.lock:
            if wave != self.wave:
                self.nr.close_connections()
                self.wave, self.hub_pings = wave, HubPings()
            return self.hub_pings


_CONTEXTS: dict[tuple[str, str], Context] = {}
_CONTEXTS_LOCK = threading.Lock()


def context(inventory: str, state: str, digest: str) -> Context | None:
    """This process's context for the inventory, None when its digest is not ``digest``."""
    with _CONTEXTS_LOCK:
        ctx = _CONTEXTS.get((inventory, state))
        if ctx is None or ctx.digest != digest:
            pipe = Pipeline(Path(inventory), state=Path(state))
            if pipe.sot.digest != digest:
                return None
            ctx = Context(digest, pipe, init(pipe, workers=1), secret_values(pipe))
            _CONTEXTS[(inventory, state)] = ctx
        return ctx


class _Beat:
    """A heartbeat key renewed every second while the task holds its router."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.stop = threading.Event()
        self.client = redis_client(app.conf.broker_url)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(Exception):
                self.client.set(self.key, str(os.getpid()), px=BEAT_TTL_MS)
            self.stop.wait(BEAT_SECONDS)

    def __enter__(self) -> _Beat:
        self.client.set(self.key, str(os.getpid()), px=BEAT_TTL_MS)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        with contextlib.suppress(Exception):
            self.client.delete(self.key)


@app.task(name=TASK, bind=True)  # type: ignore[untyped-decorator]
def apply_router_task(self: Any, message: str) -> dict[str, Any]:
    """Apply one router of a wave; the message is JSON (see ``celery_runner.message``)."""
    msg = json.loads(message)
    plan = _PLAN.validate_python(msg["plan"])
    settings = _SETTINGS.validate_python(msg["settings"])
    task_id = str(self.request.id)  # the request is per thread; events come from others
    with _Beat(BEAT + task_id):
        ctx = context(msg["inventory"], msg["state"], msg["digest"])
        if ctx is None:
            return outcome_dict(Outcome(plan.host, "failed", "this worker's inventory is not "
                                        "the plan's (another commit?); nothing changed",
                                        msg["wave"]))
        hub_pings = ctx.for_wave(msg["wave_id"])

        def on_event(event: dict[str, Any]) -> None:
            if event.get("event") == "armed":
                self.update_state(task_id=task_id, state="ARMED",
                                  meta={"pid": os.getpid()})

        self.update_state(task_id=task_id, state="STARTED", meta={"pid": os.getpid()})
        state = RunState(intents=ctx.pipe.intents, secrets=ctx.secrets,
                         hosts=dict(ctx.nr.inventory.hosts), on_event=on_event,
                         later=set(msg["later"]), hub_pings=hub_pings, config=ctx.nr.config,
                         twins=frozenset(h for h, twin in lab_hosts(ctx.pipe.state).items()
                                         if twin))
        target = ctx.nr.filter(filter_func=lambda h: h.name == plan.host)
        try:
            results = target.run(task=apply_router, plan=plan, settings=settings,
                                 state=state, wave=msg["wave"])
        finally:
            with contextlib.suppress(Exception):
                ctx.nr.inventory.hosts[plan.host].close_connection("netmiko")
        outcome = results[plan.host][0].result
        if not isinstance(outcome, Outcome):
            exc = results[plan.host][0].exception
            outcome = Outcome(plan.host, "failed", f"internal error: {exc!r}", msg["wave"])
        return outcome_dict(outcome)
