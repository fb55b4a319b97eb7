"""Apply a plan: wave by wave, each router armed to revert itself, checked, then confirmed.

Per router: re-read running and refuse if it is not what the plan was made against; arm
the platform's automatic revert (RouterOS scheduler, IOS revert timer, a timer on Linux)
before the first command; push; on a rejected command or a failed post-check roll back at
once and verify the router is byte-identical to its pre-change config; on success confirm
(disarm). If the session is lost mid-push, reconnect and roll back; if the router cannot
be reached, its own timer restores it, and the result says so. Nothing here prints:
progress goes to a callback, the CLI draws it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from pydriver.deploy import audit
from pydriver.deploy.lock import operator
from pydriver.deploy.waves import waves
from pydriver.errors import PlanError
from pydriver.intent.model import DeviceIntent
from pydriver.plan.make import running_hash, sot_ref
from pydriver.plan.model import Plan, RouterPlan
from pydriver.platforms.base import CheckResult, Remediation
from pydriver.platforms.checks import ping_command, ping_ok
from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import scrub, scrub_known
from pydriver.render.render import RenderedConfig
from pydriver.sot.secrets import PLACEHOLDER

Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    host: str
    status: str  # applied | noop | rolled-back | failed | reverting | skipped
    detail: str
    wave: int = 0
    commands_sent: int = 0
    checks: tuple[CheckResult, ...] = ()
    seconds: float = 0.0


@dataclass
class Settings:
    revert_minutes: float = 5.0
    check_deadline: float = 60.0
    check_interval: float = 1.0
    wave_size: str = "25%"
    canary: bool = True
    max_failures: int = 0
    dry_run: bool = False
    workers: int = 20
    on_event: Callable[[Event], None] = field(default=lambda e: None)
    # filled by apply_plan: every host of the run (a wave's task only sees its own wave)
    hosts: dict[str, Any] = field(default_factory=dict)
    # filled by apply_plan before each wave: routers (host names and site codes) that later
    # waves change in what a session to them depends on (SESSION_SECTIONS)
    later: set[str] = field(default_factory=set)


# what a tunnel or BGP session depends on: when both ends change these, the session can only
# come back once the second end has changed (a rotated pre-shared key, a renumbered tunnel)
SESSION_SECTIONS = frozenset({"crypto", "interfaces", "routing"})


def _substitute(lines: tuple[str, ...], secrets: Mapping[str, str]) -> tuple[str, ...]:
    def value(m: Any) -> str:
        ref = m["ref"]
        if ref not in secrets:
            raise PlanError(f"secret {ref} is not available (set it before applying)")
        return secrets[ref]

    return tuple(PLACEHOLDER.sub(value, line) for line in lines)


def _real(rem: Remediation, secrets: Mapping[str, str]) -> Remediation:
    return Remediation(
        commands=_substitute(rem.commands, secrets), rollback=_substitute(rem.rollback, secrets),
        added=rem.added, removed=rem.removed, sections=rem.sections,
        files=tuple((n, "\n".join(_substitute(tuple(t.split("\n")), secrets)))
                    for n, t in rem.files))


def _conn(task: Task) -> Any:
    return task.host.get_connection("netmiko", task.nornir.config)


def _reconnect(task: Task, attempts: int = 3) -> Any:
    for n in range(attempts):
        with contextlib.suppress(Exception):
            task.host.close_connection("netmiko")
        try:
            return _conn(task)
        except Exception:
            time.sleep(0.5 * (n + 1))
    return None


def _hub_pings(intent: DeviceIntent, intents: Mapping[str, DeviceIntent],
               settings: Settings) -> list[CheckResult]:
    """From each hub this site hangs off: ping the site's staff gateway from the hub."""
    from netmiko import ConnectHandler

    results = []
    target = intent.zones[0].gateway.ip if intent.zones else intent.loopback
    hubs = sorted({t.peer for t in intent.tunnels}
                  | {nb.description for nb in intent.bgp.neighbors if nb.description in intents})
    for hub in hubs:
        host = settings.hosts.get(hub)
        if host is None or host.data.get("skip"):
            continue
        hub_intent = intents[hub]
        params: dict[str, Any] = {
            "device_type": host.platform, "host": host.hostname, "port": host.port,
            "username": host.username, "password": host.password, "fast_cli": False}
        extras = host.get_connection_parameters("netmiko").extras or {}
        if extras.get("secret"):
            params["secret"] = extras["secret"]
        try:
            with ConnectHandler(**params) as conn:
                if hub_intent.platform.value == "cisco_ios":
                    conn.enable()
                out = str(conn.send_command(ping_command(hub_intent.platform.value, str(target),
                                                     str(hub_intent.loopback))))
            ok = ping_ok(hub_intent.platform.value, out)
            results.append(CheckResult(f"{hub} pings {target}", ok,
                                       "answered" if ok else "no answer", hub))
        except Exception as exc:
            results.append(CheckResult(f"{hub} pings {target}", False, type(exc).__name__,
                                       hub))
    return results


def _excused(intent: DeviceIntent, before: set[str], absent: set[str], later: set[str],
             result: CheckResult) -> str | None:
    """Why a check need not pass after the change (None: it must).

    A site must come up completely: hubs change first, so its hubs are ready. A hub must
    keep up everything that was up before; a session to a site that is not configured yet
    cannot be up, and is reported, not failed; nor can a session whose other end changes
    its side of it in a later wave of this run (the site's own checks, which require
    everything, then prove it back up). A session to a router that is not part of this
    run's network (the lab left its platform out) is reported, not failed.
    """
    if result.peer and result.peer in absent:
        return f"{result.peer} is not in this run"
    if intent.role == "site":
        return None
    if result.name not in before:
        return "the other end is not configured yet"
    if result.peer and result.peer in later:
        return f"{result.peer} changes its end in a later wave"
    return None


def changing_later(later_waves: list[list[RouterPlan]]) -> set[str]:
    """Routers (host names and site codes, as checks name their peers) that later waves
    change in what a session to them depends on; a change of only their queues or
    baseline does not take a session down, so a hub must keep those up."""
    return {name for wave in later_waves for r in wave if SESSION_SECTIONS & set(r.sections)
            for name in (r.host, r.site) if name}


def _absent(settings: Settings) -> set[str]:
    """Routers this run leaves out, by host name and by site code (how checks name peers:
    a hub's BGP neighbour is described by the site's code)."""
    return {name for host, h in settings.hosts.items() if h.data.get("skip")
            for name in (host, h.data.get("site")) if name}


def _checks(task: Task, intent: DeviceIntent, intents: Mapping[str, DeviceIntent],
            conn: Any, settings: Settings, before: set[str]) -> list[CheckResult]:
    """Poll the post-checks until the required ones pass or the deadline passes (never a
    fixed sleep)."""
    drv = driver(intent.platform)
    absent = _absent(settings)
    deadline = time.monotonic() + settings.check_deadline
    while True:
        results = drv.checks(conn, intent)
        if intent.role == "site":
            results += _hub_pings(intent, intents, settings)
        why = [None if r.ok else _excused(intent, before, absent, settings.later, r)
               for r in results]
        if all(r.ok or w for r, w in zip(results, why, strict=True)) or \
                time.monotonic() >= deadline:
            return [CheckResult(r.name, True, f"{r.detail}; not required: {w}", r.peer)
                    if w else r for r, w in zip(results, why, strict=True)]
        time.sleep(settings.check_interval)


def apply_router(task: Task, plan: RouterPlan, intent: DeviceIntent,
                 intents: Mapping[str, DeviceIntent], rendered: RenderedConfig,
                 secrets: Mapping[str, str], settings: Settings, wave: int) -> Result:
    start = time.monotonic()
    host = task.host.name

    def done(status: str, detail: str, sent: int = 0,
             checks: tuple[CheckResult, ...] = ()) -> Result:
        outcome = Outcome(host, status, detail, wave, sent, checks, time.monotonic() - start)
        settings.on_event({"event": "router", "outcome": outcome})
        return Result(host=task.host, result=outcome, changed=status == "applied",
                      failed=status not in ("applied", "noop"))

    settings.on_event({"event": "start", "host": host, "wave": wave})
    drv = driver(intent.platform)
    try:
        conn = _conn(task)
        raw = drv.read_running(conn)
    except Exception as exc:
        return done("failed", f"unreachable, nothing changed: {type(exc).__name__}: {exc}")
    unarmed = drv.normalise(scrub(raw, dict(secrets), drv.name))
    if running_hash(unarmed) != plan.running_hash:
        return done("failed", "running config changed since the plan was made; nothing "
                              "changed (make a new plan)")
    # as the plan saw it, except that a secret being replaced (a rotated key) keeps its
    # value here (the plan shows it redacted): the rollback must put that value back
    live = drv.remediation(drv.normalise(scrub_known(raw, dict(secrets), drv.name)),
                           rendered)
    if tuple(scrub(c, dict(secrets), drv.name) for c in live.commands) != plan.commands:
        return done("failed", "the plan no longer matches this router; nothing changed")
    if live.empty:
        return done("noop", "already as intended")
    if settings.dry_run:
        return done("noop", f"dry run: would send {len(live.commands)} commands")
    real = _real(live, secrets)
    try:
        before = {r.name for r in drv.checks(conn, intent) if r.ok} if intent.is_hub else set()
        drv.arm_revert(conn, real, settings.revert_minutes)
        # arming may itself add config: IOS an archive path (a revert timer needs one; the
        # rollback's configure replace keeps it), RouterOS the revert job (its rollback
        # removes it): a rollback gives back the config as it stood armed or before
        pre = (unarmed, drv.normalise(scrub(drv.read_running(conn), dict(secrets), drv.name)))
    except Exception as exc:
        return done("failed", f"could not arm the automatic revert, nothing pushed: {exc}")
    settings.on_event({"event": "armed", "host": host})
    try:
        pushed = drv.push(conn, real)
    except Exception as exc:
        return _recover(task, drv, real, pre, secrets, settings,
                        f"session lost during push ({type(exc).__name__})", done)
    if pushed.rejected is not None:
        return _roll_back(task, drv, conn, real, pre, secrets,
                          f"router rejected: {scrub(pushed.rejected, dict(secrets), drv.name)}",
                          pushed.commands_sent, done)
    try:
        results = tuple(_checks(task, intent, intents, conn, settings, before))
    except Exception as exc:
        return _recover(task, drv, real, pre, secrets, settings,
                        f"session lost during checks ({type(exc).__name__})", done)
    failed = [r for r in results if not r.ok]
    if failed:
        return _roll_back(task, drv, conn, real, pre, secrets,
                          f"post-check failed: {failed[0].name} ({failed[0].detail})",
                          pushed.commands_sent, done, results)
    try:
        drv.confirm(conn)
    except Exception as exc:
        return done("reverting", f"checks passed but confirm failed ({exc}); the router "
                                 f"reverts itself within {settings.revert_minutes:g} min",
                    pushed.commands_sent, results)
    return done("applied", f"{len(real.commands)} commands, {len(results)} checks passed",
                pushed.commands_sent, results)


def _verify(drv: Any, conn: Any, pre: tuple[str, ...], secrets: Mapping[str, str]) -> str:
    after = drv.normalise(scrub(drv.read_running(conn), dict(secrets), drv.name))
    if after in pre:
        return "restored byte-identical to its pre-change config"
    return "ROLLBACK INCOMPLETE: running config differs from its pre-change config"


def _roll_back(task: Task, drv: Any, conn: Any, real: Remediation, pre: tuple[str, ...],
               secrets: Mapping[str, str], why: str, sent: int, done: Callable[..., Result],
               checks: tuple[CheckResult, ...] = ()) -> Result:
    try:
        drv.rollback(conn, real)
        state = _verify(drv, conn, pre, secrets)
    except Exception:
        conn = _reconnect(task)
        if conn is None:
            return done("reverting", f"{why}; rollback interrupted, the router restores "
                                     "itself when its revert timer fires", sent, checks)
        drv.rollback(conn, real)
        state = _verify(drv, conn, pre, secrets)
    return done("rolled-back", f"{why}; {state}", sent, checks)


def _recover(task: Task, drv: Any, real: Remediation, pre: tuple[str, ...],
             secrets: Mapping[str, str], settings: Settings, why: str,
             done: Callable[..., Result]) -> Result:
    conn = _reconnect(task)
    if conn is None:
        return done("reverting", f"{why}; unreachable now: the router restores itself "
                                 f"within {settings.revert_minutes:g} min")
    return _roll_back(task, drv, conn, real, pre, secrets, why, 0, done)


def apply_plan(nr: Nornir, plan: Plan, inventory: Path, state: Path,
               intents: Mapping[str, DeviceIntent], rendered: Mapping[str, RenderedConfig],
               secrets: Mapping[str, str], settings: Settings,
               hosts: set[str] | None = None) -> list[Outcome]:
    """Apply ``plan`` (or the ``hosts`` part of it). The caller holds the inventory's
    lock (``deploy.lock.apply_lock``) from before it reads the routers until this returns,
    so a second apply can neither plan against nor push to a network being changed."""
    current = sot_ref(inventory)
    if current.digest != plan.sot.digest:
        raise PlanError("the source of truth changed since this plan was made "
                        f"(plan {plan.sot.commit[:12]}, now {current.commit[:12]}); nothing "
                        "was changed - make a new plan")
    settings.hosts = dict(nr.inventory.hosts)
    chosen = [r for r in plan.changes if hosts is None or r.host in hosts]
    outcomes: list[Outcome] = [
        Outcome(r.host, "skipped", r.note) for r in plan.routers
        if r.action == "skip" and (hosts is None or r.host in hosts)]
    failures = 0
    lock = threading.Lock()
    plan_waves = waves(chosen, settings.wave_size, settings.canary)
    for n, wave in enumerate(plan_waves, 1):
        if failures > settings.max_failures:
            outcomes += [Outcome(r.host, "skipped", "not started: too many failures "
                                 "in earlier waves", n) for r in wave]
            continue
        settings.on_event({"event": "wave", "wave": n, "of": len(plan_waves),
                           "hosts": [r.host for r in wave]})
        by_host = {r.host: r for r in wave}
        settings.later = changing_later(plan_waves[n:])
        target = nr.filter(filter_func=lambda h, names=by_host: h.name in names)
        results = target.run(
            task=_dispatch, plans=by_host, intents=intents, rendered=rendered,
            secrets=secrets, settings=settings, wave=n)
        for host in sorted(by_host):
            outcome = results[host][0].result
            if not isinstance(outcome, Outcome):
                exc = results[host][0].exception
                outcome = Outcome(host, "failed", f"internal error: {exc!r}", n)
            with lock:
                outcomes.append(outcome)
                if outcome.status not in ("applied", "noop"):
                    failures += 1
    nr.close_connections()
    audit.append(state, {
        "event": "apply", "operator": operator(), "inventory": str(inventory.resolve()),
        "sot_commit": plan.sot.commit, "sot_digest": plan.sot.digest,
        "plan": plan.digest, "dry_run": settings.dry_run,
        "routers": {o.host: {"status": o.status, "wave": o.wave,
                             "commands_sent": o.commands_sent,
                             "checks_passed": sum(1 for c in o.checks if c.ok),
                             "checks": len(o.checks), "detail": o.detail}
                    for o in outcomes},
    })
    return outcomes


def _dispatch(task: Task, plans: Mapping[str, RouterPlan], intents: Mapping[str, DeviceIntent],
              rendered: Mapping[str, RenderedConfig], secrets: Mapping[str, str],
              settings: Settings, wave: int) -> Result:
    name = task.host.name
    return apply_router(task, plans[name], intents[name], intents, rendered[name], secrets,
                        settings, wave)
