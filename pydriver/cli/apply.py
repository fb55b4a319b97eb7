"""`pydriver apply`: a saved plan (or a fresh one) in waves, with live progress."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from pydriver.cli.common import Inventory, State, err, fail, out
from pydriver.cli.ops import Limit, Workers, target
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline

# imported where used, not here: every command's start pays for the imports of all (see main)
if TYPE_CHECKING:
    from rich.live import Live
    from rich.table import Table

    from pydriver.deploy import run as apply_run
    from pydriver.deploy.apply import Outcome, Settings

STYLE = {"applied": "green", "noop": "dim", "rolled-back": "yellow", "failed": "red",
         "reverting": "red", "skipped": "dim", "running": "cyan"}


class Progress:
    """Rich live table fed by apply events (from worker threads)."""

    def __init__(self, quiet: bool) -> None:
        from rich.live import Live

        self.rows: dict[str, tuple[int, str, str]] = {}
        self.wave = ""
        self.lock = threading.Lock()
        self.live: Live | None = None if quiet else Live(self.table(), console=err,
                                                         refresh_per_second=4, transient=False)

    def table(self) -> Table:
        from rich.table import Table

        t = Table(title=self.wave or "apply", show_lines=False)
        for col in ("wave", "router", "status", "detail"):
            t.add_column(col, overflow="fold")
        for host, (wave, status, detail) in sorted(self.rows.items(), key=lambda kv: kv[1][0]):
            t.add_row(str(wave), escape(host), f"[{STYLE.get(status, '')}]{status}[/]",
                      escape(detail))
        return t

    def __call__(self, event: dict[str, Any]) -> None:
        with self.lock:
            kind = event["event"]
            if kind == "wave":
                self.wave = escape(f"wave {event['wave']} of {event['of']}: "
                                   f"{', '.join(event['hosts'])}")
            elif kind == "start":
                self.rows[event["host"]] = (event["wave"], "running", "reading running config")
            elif kind == "armed":
                wave = self.rows.get(event["host"], (0, "", ""))[0]
                self.rows[event["host"]] = (wave, "running", "revert armed, pushing")
            elif kind == "router":
                o: Outcome = event["outcome"]
                self.rows[o.host] = (o.wave, o.status, o.detail)
            if self.live is not None:
                self.live.update(self.table())


def register(app: typer.Typer) -> None:
    @app.command()
    def apply(
        plan_file: Annotated[Path | None, typer.Argument(
            help="A plan saved by 'pydriver plan --out'; without it a fresh plan is made "
                 "from the routers and applied.")] = None,
        inventory: Inventory = DEFAULT_INVENTORY,
        limit: Limit = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="Check the plan is current and its secrets resolve, show the "
                              "wave schedule; change nothing.")] = False,
        wave_size: Annotated[str, typer.Option(help="Routers per wave: N or N%.")] = "25%",
        canary: Annotated[bool, typer.Option(help="One router alone first.")] = True,
        max_failures: Annotated[int, typer.Option(
            help="Stop starting new waves once more routers than this have failed.", min=0)
                                ] = 0,
        retry_failed: Annotated[bool, typer.Option(
            "--retry-failed", help="Only the routers that did not succeed last time.")
                                ] = False,
        revert_after: Annotated[float, typer.Option(
            help="Minutes before an unconfirmed router reverts itself.", min=0.01)] = 5.0,
        check_deadline: Annotated[float, typer.Option(
            help="Seconds to wait for post-checks to pass.", min=0)] = 60.0,
        workers: Workers = 20,
        runner: Annotated[str, typer.Option(
            help="threaded: this machine's threads; celery: the workers listening on "
                 "--broker (README, scaling).")] = "threaded",
        broker: Annotated[str | None, typer.Option(
            help="The Celery broker (Redis) URL; default $PYDRIVER_CELERY_BROKER, else "
                 "redis://127.0.0.1:6379/0.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")
                           ] = False,
        state: State = None,
    ) -> None:
        """Apply exactly a plan, in waves, each router auto-reverting unless confirmed.
        Exit 0 applied (or nothing to do; a dry run that would start), 1 an error or a
        router not applied."""
        from pydriver.deploy import run as apply_run
        from pydriver.deploy.apply import Settings
        from pydriver.deploy.lock import apply_lock
        from pydriver.report import plan as plan_report

        settings = Settings(revert_minutes=revert_after, check_deadline=check_deadline,
                            wave_size=wave_size, canary=canary, max_failures=max_failures,
                            workers=workers)
        pipe = Pipeline(inventory, state=state)
        where = target(pipe)
        where_to = apply_run.Runner(runner, broker or "")
        try:
            apply_run.check_settings(settings)
            if not dry_run:
                apply_run.check_runner(where_to)
            with apply_lock(pipe.state, inventory):
                chosen = apply_run.choose(pipe, plan_file, limit, retry_failed, workers,
                                          pipe.state)
                if retry_failed and not chosen.hosts:
                    out.print("nothing to retry: the last apply left no failed router")
                    raise typer.Exit(0)
                if dry_run:
                    apply_run.preflight(pipe, chosen)
                    _dry_run(chosen, settings, where, as_json)
                    raise typer.Exit(0)
                if not as_json:
                    print(plan_report.text(chosen.plan, show_commands=False, target=where),
                          end="")
                if not chosen.plan.changes:
                    if as_json:
                        print("[]")
                    raise typer.Exit(0)
                progress = Progress(quiet=as_json)
                if progress.live is not None:
                    with progress.live:
                        outcomes = apply_run.run(pipe, chosen, settings, pipe.state,
                                                 progress, where_to)
                else:
                    outcomes = apply_run.run(pipe, chosen, settings, pipe.state, progress,
                                             where_to)
        except PydriverError as exc:
            fail(exc)
        _report(outcomes, as_json, where)


def _dry_run(chosen: apply_run.Target, settings: Settings, where: str, as_json: bool
             ) -> None:
    """The schedule a real run would follow: waves, the canaries, routers and commands."""
    from pydriver.deploy.waves import schedule
    from pydriver.report import plan as plan_report

    plan = chosen.plan
    plan_waves = schedule(plan.routers, chosen.hosts, settings.wave_size, settings.canary)
    # the first wave of each role is its canary (waves() puts one router alone there)
    canaries = {id(w) for n, w in enumerate(plan_waves)
                if settings.canary and (n == 0 or w[0].role != plan_waves[n - 1][0].role)}
    if as_json:
        print(json.dumps({
            "dry_run": True, "target": where or "network", "plan": plan.digest,
            "settings": {"wave_size": settings.wave_size, "canary": settings.canary,
                         "max_failures": settings.max_failures,
                         "revert_minutes": settings.revert_minutes},
            "waves": [{"wave": n, "role": w[0].role, "canary": id(w) in canaries,
                       "routers": [{"host": r.host, "action": r.action,
                                    "commands": len(r.commands) + len(r.files)}
                                   for r in w]}
                      for n, w in enumerate(plan_waves, 1)],
        }, indent=2))
        return
    print(plan_report.text(plan, show_commands=False, target=where), end="")
    if not plan_waves:
        out.print("dry run: nothing to apply")
        return
    out.print(f"\nDry run, nothing sent. A real run goes in {len(plan_waves)} waves (hubs "
              f"before sites; wave size {settings.wave_size}; "
              f"{'a canary alone first' if settings.canary else 'no canary'}; stops after "
              f"more than {settings.max_failures} failed; each router reverts itself after "
              f"{settings.revert_minutes:g} min unless confirmed):", markup=False)
    for n, w in enumerate(plan_waves, 1):
        kind = f"{w[0].role}{', canary' if id(w) in canaries else ''}"
        routers = ", ".join(f"{r.host} ({r.action}, {len(r.commands) + len(r.files)} "
                            "commands)" for r in w)
        out.print(f"  wave {n} ({kind}): {routers}", markup=False, soft_wrap=True)


def _report(outcomes: list[Outcome], as_json: bool, where: str = "") -> None:
    from pydriver.deploy.apply import STALE

    if as_json:
        print(json.dumps([{"host": o.host, "status": o.status, "detail": o.detail,
                           "wave": o.wave, "commands_sent": o.commands_sent,
                           "seconds": round(o.seconds, 2),
                           "checks_passed": o.checks_passed,
                           "checks_excused": o.checks_excused,
                           "checks": [{"name": c.name, "ok": c.ok, "excused": c.excused,
                                       "detail": c.detail} for c in o.checks]}
                          for o in outcomes], indent=2))
    else:
        for o in outcomes:
            if o.status == "skipped":
                continue
            style = STYLE.get(o.status, "")
            line = f"{escape(o.host)}: [{style}]{o.status}[/]"
            if o.checks:
                line += f" - {o.checks_passed} post-checks passed" + (
                    f", {o.checks_excused} waiting for the other end"
                    if o.checks_excused else "")
            out.print(line, soft_wrap=True)
            for c in o.checks:
                if not c.ok and not c.excused:
                    out.print(f"    [red]FAIL[/] {escape(c.name)}: {escape(c.detail)}",
                              soft_wrap=True)
            if o.status not in ("applied", "noop"):
                out.print(f"    {o.detail}", soft_wrap=True, markup=False)
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        out.print("apply: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
                  + (f" (on {where})" if where else ""), soft_wrap=True)
        stale = sorted(o.host for o in outcomes if o.detail.startswith(STALE))
        if stale:
            out.print(f"stale plan: the running config of {', '.join(stale)} changed since "
                      "the plan was made; make a new plan", markup=False, soft_wrap=True)
    if any(o.status not in ("applied", "noop", "skipped") for o in outcomes):
        raise typer.Exit(1)
