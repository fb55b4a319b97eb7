"""Apply a plan: wave by wave, each router armed to revert itself, checked, then confirmed.

The saved plan is the payload: per router, apply re-reads the running config only to check
that it is still the one the plan was made against (its hash), then sends exactly the
plan's commands and uses the plan's rollback, with the secrets' placeholders filled in at
the last moment. Per router: arm the platform's automatic revert (RouterOS scheduler, IOS
revert timer, a timer on Linux) before the first command; push; on a rejected command or a
failed post-check roll back at once and verify the router is byte-identical to its
pre-change config; on success confirm (disarm). If the session is lost mid-push, reconnect
and roll back; if the router cannot be reached, its own timer restores it, and the result
says so. Nothing here prints: progress goes to a callback, the CLI draws it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import Result, Task

from pydriver.deploy import audit
from pydriver.deploy.hubcheck import HubPings, Probe
from pydriver.deploy.lock import operator
from pydriver.deploy.waves import schedule
from pydriver.errors import ApplyError, Location, PlanError, SecretError
from pydriver.intent.model import DeviceIntent
from pydriver.plan.make import running_hash
from pydriver.plan.model import Plan, RouterPlan, SotRef
from pydriver.platforms.base import CheckResult, PlatformDriver, Remediation
from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import redactions, scrub
from pydriver.sot.secrets import PLACEHOLDER

Event = dict[str, Any]
STALE = "running config changed since the plan was made"
_REDACTED = re.compile(r"@@redacted:[0-9a-f]+@@")
OK = ("applied", "noop")


@dataclass(frozen=True, slots=True)
class Outcome:
    host: str
    status: str  # applied | noop | rolled-back | failed | reverting | skipped
    detail: str
    wave: int = 0
    commands_sent: int = 0
    checks: tuple[CheckResult, ...] = ()
    seconds: float = 0.0

    @property
    def checks_passed(self) -> int:
        """Checks that passed as required (one count for the table, summary and audit)."""
        return passed(self.checks)

    @property
    def checks_excused(self) -> int:
        """Checks not required to pass in this run (the other end changes later, ...)."""
        return sum(1 for c in self.checks if c.excused)


def passed(checks: Iterable[CheckResult]) -> int:
    """The one count of post-checks passed: the progress table's detail, the summary and
    the audit record all come from here, so they cannot disagree."""
    return sum(1 for c in checks if c.ok and not c.excused)


@dataclass(frozen=True, slots=True)
class Settings:
    """How a run behaves: given by the operator, never changed by the run."""

    revert_minutes: float = 5.0
    check_deadline: float = 60.0
    check_interval: float = 1.0
    wave_size: str = "25%"
    canary: bool = True
    max_failures: int = 0
    dry_run: bool = False
    workers: int = 20


@dataclass
class RunState:
    """What one run learns as it goes; shared by the wave's worker threads."""

    intents: Mapping[str, DeviceIntent]
    secrets: Mapping[str, str]
    hosts: dict[str, Host]
    on_event: Callable[[Event], None] = field(default=lambda e: None)
    # routers (host names and site codes) that later waves change in what a session to
    # them depends on (SESSION_SECTIONS); set before each wave
    later: set[str] = field(default_factory=set)
    # the hub pings of the sites of the wave, shared (one probe of a hub serves them all)
    hub_pings: HubPings = field(default_factory=HubPings)
    config: Any = None  # the Nornir config, to open hub sessions the Nornir way
    # every router twin of the running lab, this region's and any other region's brought up
    # with it (lab rehearse --with); empty on the real network
    twins: frozenset[str] = frozenset()

    def elsewhere(self, intent: DeviceIntent) -> frozenset[str]:
        """The far ends of ``intent``'s interconnects that cannot answer: on a lab twin,
        those whose other region's hub has no twin in this lab (by both names checks
        give them)."""
        host = self.hosts.get(intent.hostname)
        if host is None or not host.data.get("lab"):
            return frozenset()
        return frozenset(name for t in intent.tunnels if t.initiator and t.peer not in self.twins
                         for name in (t.peer, t.site))

    def absent(self) -> set[str]:
        """Routers this run leaves out, by host name and by site code (how checks name
        peers: a hub's BGP neighbour is described by the site's code)."""
        return {name for host, h in self.hosts.items() if h.data.get("skip")
                for name in (host, h.data.get("site")) if name}


# what a tunnel or BGP session depends on: when both ends change these, the session can only
# come back once the second end has changed (a rotated pre-shared key, a renumbered tunnel)
SESSION_SECTIONS = frozenset({"crypto", "interfaces", "routing"})


def fill(lines: tuple[str, ...], secrets: Mapping[str, str], found: Mapping[str, str],
         embed: Callable[[str], str]) -> tuple[str, ...]:
    """Placeholders to values: ``@@secret:<ref>@@`` from the resolved references, each
    written by ``embed`` (the platform's ``embed_secret``: quoted and escaped for the place
    it stands in, so no value can end its token or start a command), and
    ``@@redacted:<hash>@@`` from the router's own running config (``found``: the values
    a rollback must put back, written the same way unless the token stands inside quotes
    the router printed)."""
    def secret(m: re.Match[str]) -> str:
        ref = m["ref"]
        if ref not in secrets:
            raise PlanError(f"secret {ref} is not available (set it before applying)")
        try:
            return embed(secrets[ref])
        except SecretError as exc:
            raise PlanError(f"secret {ref}: {exc}") from None

    def redacted(m: re.Match[str]) -> str:
        if m.group(0) not in found:
            raise PlanError("the plan restores a secret the router no longer holds; "
                            "make a new plan")
        value = found[m.group(0)]
        if m.start() > 0 and m.string[m.start() - 1] in "\"'":
            return value
        try:
            return embed(value)
        except SecretError:
            return value

    return tuple(_REDACTED.sub(redacted, PLACEHOLDER.sub(secret, line)) for line in lines)


def payload(plan: RouterPlan, secrets: Mapping[str, str], found: Mapping[str, str],
            embed: Callable[[str], str]) -> Remediation:
    """The plan's commands, rollback and files, ready to send."""
    return Remediation(
        commands=fill(plan.commands, secrets, found, embed),
        rollback=fill(plan.rollback, secrets, found, embed),
        added=plan.added, removed=plan.removed, sections=frozenset(plan.sections),
        files=tuple((n, "\n".join(fill(tuple(t.split("\n")), secrets, found, embed)))
                    for n, t in plan.files))


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


def _hub_pings(intent: DeviceIntent, state: RunState) -> list[CheckResult]:
    """From each hub this site hangs off: ping the site's staff gateway from the hub's
    loopback, over the hub's own Nornir session (opened once, reused while polling),
    shared with the other sites of the wave (``hubcheck``)."""
    results = []
    target = str(intent.zones[0].gateway.ip if intent.zones else intent.loopback)
    hubs = sorted({t.peer for t in intent.tunnels}
                  | {nb.description for nb in intent.bgp.neighbors
                     if nb.description in state.intents})
    for hub in hubs:
        host = state.hosts.get(hub)
        if host is None or host.data.get("skip"):
            continue
        hub_intent = state.intents[hub]
        probe = Probe(hub, str(hub_intent.loopback),
                      connect=functools.partial(host.get_connection, "netmiko", state.config),
                      ping=driver(hub_intent.platform).ping,
                      drop=functools.partial(host.close_connection, "netmiko"))
        ok, seen = state.hub_pings.ask(probe, target)
        results.append(CheckResult(f"{hub} pings {target}", ok, seen, hub))
    return results


def excused(intent: DeviceIntent, before: set[str], absent: set[str], later: set[str],
            result: CheckResult, elsewhere: frozenset[str] = frozenset()) -> str | None:
    """Why a check need not pass after the change (None: it must).

    A site must come up completely: hubs change first, so its hubs are ready. A hub must
    keep up everything that was up before; a session to a site that is not configured yet
    cannot be up, and is reported, not failed; nor can a session whose other end changes
    its side of it in a later wave of this run (the site's own checks, which require
    everything, then prove it back up). A session to a router that is not part of this
    run's network (the lab left its platform out) is reported, not failed.

    An interconnect this hub starts (the lower tier's end) must come up, as a site's links
    must: the higher tier applied its end first (README, apply order), so a session still
    down is a mismatch (a pre-shared key) and the change is rolled back. On a lab twin
    whose lab does not hold the other region's hub (``elsewhere``: its names) nothing can
    answer, and the check is reported, not failed.
    """
    if result.peer and result.peer in absent:
        return f"{result.peer} is not in this run"
    if result.peer and result.peer in intent.initiated():
        return "the other region is not in this lab" if result.peer in elsewhere else None
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


def _checks(intent: DeviceIntent, drv: PlatformDriver, conn: Any, settings: Settings,
            state: RunState, before: set[str]) -> list[CheckResult]:
    """Poll the post-checks on the open session until the required ones pass or the
    deadline passes (never a fixed sleep). The pause between polls starts short and
    doubles up to ``check_interval``: a session that comes up a moment after the push is
    seen then, not a whole interval later."""
    absent = state.absent()
    deadline = time.monotonic() + settings.check_deadline
    pause = min(0.1, settings.check_interval)
    while True:
        results = drv.checks(conn, intent)
        if intent.role == "site":
            results += _hub_pings(intent, state)
        why = [None if r.ok else excused(intent, before, absent, state.later, r,
                                         state.elsewhere(intent))
               for r in results]
        if all(r.ok or w for r, w in zip(results, why, strict=True)) or \
                time.monotonic() >= deadline:
            return [CheckResult(r.name, r.ok, f"{r.detail}; not required: {w}", r.peer,
                                excused=True) if w else r
                    for r, w in zip(results, why, strict=True)]
        time.sleep(pause)
        pause = min(pause * 2, settings.check_interval)


def apply_router(task: Task, plan: RouterPlan, settings: Settings, state: RunState,
                 wave: int) -> Result:
    start = time.monotonic()
    host = task.host.name
    intent = state.intents[host]
    secrets = dict(state.secrets)

    def done(status: str, detail: str, sent: int = 0,
             checks: tuple[CheckResult, ...] = ()) -> Result:
        outcome = Outcome(host, status, detail, wave, sent, checks, time.monotonic() - start)
        state.on_event({"event": "router", "outcome": outcome})
        return Result(host=task.host, result=outcome, changed=status == "applied",
                      failed=status not in OK)

    state.on_event({"event": "start", "host": host, "wave": wave})
    drv = driver(intent.platform)
    try:
        conn = _conn(task)
        raw = drv.read_running(conn)
    except Exception as exc:
        return done("failed", f"unreachable, nothing changed: {type(exc).__name__}: {exc}")
    unarmed = drv.normalise(scrub(raw, secrets, drv.name))
    now = running_hash(unarmed)
    if now != plan.running_hash:
        return done("failed", f"{STALE} (hash "
                              f"{plan.running_hash[:12]} in the plan, {now[:12]} now); "
                              "nothing changed (make a new plan)")
    if not plan.changed:
        return done("noop", "already as intended")
    if settings.dry_run:
        return done("noop", f"dry run: would send {len(plan.commands)} commands")
    try:
        real = payload(plan, secrets, redactions(raw, secrets, drv.name),
                       drv.embed_secret)
    except PlanError as exc:
        return done("failed", f"{exc}; nothing changed")
    try:
        before = {r.name for r in drv.checks(conn, intent) if r.ok} if intent.is_hub else set()
        drv.arm_revert(conn, real, settings.revert_minutes)
        # arming may itself add config: IOS an archive path (a revert timer needs one; the
        # rollback's configure replace keeps it), RouterOS the revert job (its rollback
        # removes it): a rollback gives back the config as it stood armed or before
        pre = (unarmed, drv.normalise(scrub(drv.read_running(conn), secrets, drv.name)))
    except Exception as exc:
        return done("failed", f"could not arm the automatic revert, nothing pushed: "
                              f"{scrub(str(exc), secrets, drv.name)}")
    state.on_event({"event": "armed", "host": host})
    try:
        pushed = drv.push(conn, real)
    except Exception as exc:
        return _recover(task, drv, real, pre, secrets, settings,
                        f"session lost during push ({type(exc).__name__})", done)
    if pushed.rejected is not None:
        return _roll_back(task, drv, conn, real, pre, secrets,
                          f"router rejected: {scrub(pushed.rejected, secrets, drv.name)}",
                          pushed.commands_sent, done)
    try:
        results = tuple(_checks(intent, drv, conn, settings, state, before))
    except Exception as exc:
        return _recover(task, drv, real, pre, secrets, settings,
                        f"session lost during checks ({type(exc).__name__})", done)
    failed = [r for r in results if not r.ok and not r.excused]
    if failed:
        return _roll_back(task, drv, conn, real, pre, secrets,
                          f"post-check failed: {failed[0].name} ({failed[0].detail})",
                          pushed.commands_sent, done, results)
    try:
        drv.confirm(conn)
    except Exception as exc:
        why = scrub(str(exc), secrets, drv.name)
        return done("reverting", f"checks passed but confirm failed ({why}); the router "
                                 f"reverts itself within {settings.revert_minutes:g} min",
                    pushed.commands_sent, results)
    return done("applied", f"{len(real.commands) + len(real.files)} commands, "
                           f"{passed(results)} checks passed",
                pushed.commands_sent, results)


def _verify(drv: PlatformDriver, conn: Any, pre: tuple[str, ...],
            secrets: dict[str, str]) -> str:
    after = drv.normalise(scrub(drv.read_running(conn), secrets, drv.name))
    if after in pre:
        return "restored byte-identical to its pre-change config"
    return "ROLLBACK INCOMPLETE: running config differs from its pre-change config"


def _roll_back(task: Task, drv: PlatformDriver, conn: Any, real: Remediation,
               pre: tuple[str, ...], secrets: dict[str, str], why: str, sent: int,
               done: Callable[..., Result], checks: tuple[CheckResult, ...] = ()) -> Result:
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


def _recover(task: Task, drv: PlatformDriver, real: Remediation, pre: tuple[str, ...],
             secrets: dict[str, str], settings: Settings, why: str,
             done: Callable[..., Result]) -> Result:
    conn = _reconnect(task)
    if conn is None:
        return done("reverting", f"{why}; unreachable now: the router restores itself "
                                 f"within {settings.revert_minutes:g} min")
    return _roll_back(task, drv, conn, real, pre, secrets, why, 0, done)


def check_current(plan: Plan, current: SotRef) -> None:
    """Refuse a plan made from another source of truth, saying what moved (both values of
    what differs, and whether the inventory has uncommitted changes)."""
    if current.digest == plan.sot.digest:
        return
    moved = [f"inventory digest: {plan.sot.digest[:16]} in the plan, {current.digest[:16]} now"]
    was, now = plan.sot.commit, current.commit
    if was.removesuffix("+dirty") != now.removesuffix("+dirty"):
        moved.append(f"commit: {was} in the plan, {now} now")
    else:
        moved.append(f"commit: {now.removesuffix('+dirty')} (unchanged)")
    if now.endswith("+dirty"):
        moved.append("the inventory has uncommitted changes (git status shows them)")
    if was.endswith("+dirty"):
        moved.append("the plan itself was made from uncommitted changes")
    raise PlanError("the source of truth changed since this plan was made; nothing was "
                    "changed - make a new plan:\n  " + "\n  ".join(moved))


def apply_plan(nr: Nornir, plan: Plan, inventory: Path, state_dir: Path, current: SotRef,
               settings: Settings, state: RunState, hosts: set[str] | None = None
               ) -> list[Outcome]:
    """Apply ``plan`` (or the ``hosts`` part of it). The caller holds the inventory's
    lock (``deploy.lock.apply_lock``) from before it reads the routers until this returns,
    so a second apply can neither plan against nor push to a network being changed."""
    check_current(plan, current)
    state.hosts = dict(nr.inventory.hosts)
    state.config = nr.config
    outcomes: list[Outcome] = [
        Outcome(r.host, "skipped", r.note) for r in plan.routers
        if r.action == "skip" and (hosts is None or r.host in hosts)]
    failures = 0
    plan_waves = schedule(plan.routers, hosts, settings.wave_size, settings.canary)
    try:
        for n, wave in enumerate(plan_waves, 1):
            if failures > settings.max_failures:
                outcomes += [Outcome(r.host, "skipped", "not started: too many failures "
                                     "in earlier waves", n) for r in wave]
                continue
            state.on_event({"event": "wave", "wave": n, "of": len(plan_waves),
                            "hosts": [r.host for r in wave]})
            by_host = {r.host: r for r in wave}
            state.later = changing_later(plan_waves[n:])
            state.hub_pings = HubPings()
            target = nr.filter(filter_func=lambda h, names=by_host: h.name in names)
            results = target.run(task=_dispatch, plans=by_host, settings=settings,
                                 state=state, wave=n)
            for host in sorted(by_host):
                outcome = results[host][0].result
                if not isinstance(outcome, Outcome):
                    exc = results[host][0].exception
                    outcome = Outcome(host, "failed", f"internal error: {exc!r}", n)
                outcomes.append(outcome)
                if outcome.status not in OK:
                    failures += 1
    finally:
        nr.close_connections()
    audit.append(state_dir, {
        "event": "apply", "operator": operator(), "inventory": str(inventory.resolve()),
        "sot_commit": plan.sot.commit, "sot_digest": plan.sot.digest,
        "plan": plan.digest, "dry_run": settings.dry_run,
        "routers": {o.host: {"status": o.status, "wave": o.wave,
                             "commands_sent": o.commands_sent,
                             "checks_passed": o.checks_passed,
                             "checks_excused": o.checks_excused,
                             "checks": len(o.checks), "detail": o.detail}
                    for o in outcomes},
    })
    return outcomes


def _dispatch(task: Task, plans: Mapping[str, RouterPlan], settings: Settings,
              state: RunState, wave: int) -> Result:
    return apply_router(task, plans[task.host.name], settings, state, wave)


def missing_secrets(plan: Plan, secrets: Mapping[str, str], hosts: set[str] | None
                    ) -> dict[str, list[str]]:
    """Secret references the routers of the run need and ``secrets`` lacks -> the routers."""
    missing: dict[str, set[str]] = {}
    for r in plan.changes:
        if hosts is not None and r.host not in hosts:
            continue
        for text in (*r.commands, *r.rollback, *(t for _, t in r.files)):
            for m in PLACEHOLDER.finditer(text):
                if m["ref"] not in secrets:
                    missing.setdefault(m["ref"], set()).add(r.host)
    return {ref: sorted(who) for ref, who in sorted(missing.items())}


def unfit_secrets(plan: Plan, secrets: Mapping[str, str], hosts: set[str] | None
                  ) -> dict[str, str]:
    """``<ref> on <platform>`` -> why that platform cannot carry the value (never the
    value itself): a newline in an IOS key would end the command and start another."""
    unfit: dict[str, str] = {}
    for r in plan.changes:
        if hosts is not None and r.host not in hosts:
            continue
        embed = driver(r.platform).embed_secret
        for text in (*r.commands, *r.rollback, *(t for _, t in r.files)):
            for m in PLACEHOLDER.finditer(text):
                if m["ref"] in secrets:
                    try:
                        embed(secrets[m["ref"]])
                    except SecretError as exc:
                        unfit.setdefault(f"{m['ref']} on {r.platform}", str(exc))
    return dict(sorted(unfit.items()))


def _hint(ref: str) -> str:
    scheme, _, rest = ref.partition(":")
    if scheme == "env":
        return f"set {rest} in the environment"
    if scheme == "file":
        return f"create {rest} (relative paths are under the inventory)"
    return "check the vault file and key, and PYDRIVER_VAULT_PASSWORD"


def require_secrets(plan: Plan, secrets: Mapping[str, str], hosts: set[str] | None,
                    where: Mapping[str, tuple[Location, ...]] | None = None) -> None:
    """Every secret the routers of the run need, resolved before any router is touched.

    All missing ones are listed at once, each with the routers that need it and the
    source-of-truth lines (``where``) that write the reference, so one round of fixes is
    enough."""
    missing = missing_secrets(plan, secrets, hosts)
    unfit = unfit_secrets(plan, secrets, hosts)
    if not missing and not unfit:
        return
    counts = [f"{len(missing)} secret(s) not available"] if missing else []
    counts += [f"{len(unfit)} secret(s) a platform cannot carry"] if unfit else []
    lines = [f"{', '.join(counts)}; no router was touched:"]
    lines += [f"  {ref_on} cannot be sent: {why}" for ref_on, why in unfit.items()]
    for ref, who in missing.items():
        shown = ", ".join(who[:5]) + (f" and {len(who) - 5} more" if len(who) > 5 else "")
        lines.append(f"  {ref} ({_hint(ref)}), needed by {shown}")
        for loc in (where or {}).get(ref, ()):
            lines.append(f"    written at {loc}")
    raise ApplyError("\n".join(lines))
