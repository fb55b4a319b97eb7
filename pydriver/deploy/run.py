"""An apply run from start to end: which plan, which routers, secrets first, then waves.

The CLI parses options and draws progress; everything between (loading or making the plan,
``--limit`` and ``--retry-failed``, the secrets preflight, Nornir) is here, so a script or
another front end runs exactly what ``pydriver apply`` runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydriver.deploy import audit
from pydriver.deploy.apply import Event, Outcome, RunState, Settings, apply_plan, check_current
from pydriver.deploy.apply import require_secrets as require
from pydriver.deploy.nornir import init, lab_hosts
from pydriver.deploy.sources import build_plan, secret_values, select
from pydriver.deploy.waves import wave_size
from pydriver.errors import ApplyError
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from pydriver.sot.references import secret_locations


def check_secrets(pipe: Pipeline, plan: Plan, hosts: set[str] | None = None) -> None:
    """The secrets preflight alone (``plan --out`` runs it: a saved plan whose secrets the
    environment lacks would fail at apply time, after review)."""
    require(plan, secret_values(pipe), hosts, secret_locations(pipe.source, pipe.network))


@dataclass(frozen=True, slots=True)
class Target:
    """What to apply: a saved plan (or a fresh one from the routers) and which routers."""

    plan: Plan
    hosts: set[str] | None  # None: every router of the plan


def choose(pipe: Pipeline, plan_file: Path | None, limit: str | None, retry_failed: bool,
           workers: int, state_dir: Path) -> Target:
    """The plan and the routers of this run; a fresh plan is made once, from the routers.

    The saved plan and the audit log are read first, so a bad one stops the run before any
    router is contacted."""
    failed = set(audit.last_failed(state_dir, pipe.inventory)) if retry_failed else None
    plan = Plan.load(plan_file) if plan_file is not None else \
        build_plan(pipe, "device", limit, workers, Path("backups"))
    hosts: set[str] | None = None
    if limit:
        facts = {r.host: {"role": r.role, "site": r.site, "platform": r.platform}
                 for r in plan.routers}
        hosts = select(facts, limit)
    if failed is not None:
        hosts = failed if hosts is None else hosts & failed
    return Target(plan, hosts)


def check_settings(settings: Settings) -> None:
    """Every bad value is a clear error before anything starts."""
    try:
        wave_size(settings.wave_size, 100)
    except ValueError:
        raise ApplyError(f"--wave-size {settings.wave_size!r}: expected a count (5) or a "
                         "percentage (25%)") from None
    if settings.max_failures < 0 or settings.workers < 1 or settings.revert_minutes <= 0 \
            or settings.check_deadline < 0:
        raise ApplyError("--max-failures must be >= 0, --workers >= 1, --revert-after > 0 "
                         "and --check-deadline >= 0")


@dataclass(frozen=True, slots=True)
class Runner:
    """Where a wave's routers are applied: threads here, or Celery workers (``broker``:
    the Redis URL; it may hold a password, so it is never part of the settings workers
    receive, nor of any message)."""

    kind: str = "threaded"  # "threaded" | "celery"
    broker: str = ""


def check_runner(runner: Runner) -> None:
    """An unknown runner, an unreachable broker or no worker listening is an error before
    any router is touched (the broker named without its password)."""
    if runner.kind == "threaded":
        return
    if runner.kind != "celery":
        raise ApplyError(f"--runner {runner.kind!r}: expected threaded or celery")
    from pydriver.deploy.celery_app import broker_url, check_broker

    check_broker(broker_url(runner.broker or None))


def nornir_runner(pipe: Pipeline, runner: Runner) -> dict[str, object] | None:
    """The Nornir runner option for ``runner`` (None: the threaded default)."""
    if runner.kind != "celery":
        return None
    from pydriver.deploy.celery_app import broker_url

    return {"plugin": "pydriver.celery", "options": {
        "broker": broker_url(runner.broker or None), "inventory": str(pipe.inventory.resolve()),
        "state": str(pipe.state.resolve()), "digest": pipe.sot.digest}}


def preflight(pipe: Pipeline, target: Target) -> None:
    """What a run checks before touching a router: the plan is current, secrets resolve."""
    check_current(target.plan, pipe.sot)
    check_secrets(pipe, target.plan, target.hosts)


def run(pipe: Pipeline, target: Target, settings: Settings, state_dir: Path,
        on_event: Callable[[Event], None], runner: Runner = Runner()) -> list[Outcome]:
    """Preflight the runner and the secrets, then apply the target's plan wave by wave."""
    check_settings(settings)
    check_runner(runner)
    preflight(pipe, target)
    secrets = secret_values(pipe)
    state = RunState(intents=pipe.intents, secrets=secrets, hosts={}, on_event=on_event,
                     twins=frozenset(h for h, twin in lab_hosts(pipe.state).items() if twin))
    nr = init(pipe, workers=settings.workers, runner=nornir_runner(pipe, runner))
    return apply_plan(nr, target.plan, pipe.inventory, state_dir, pipe.sot, settings, state,
                      target.hosts)
