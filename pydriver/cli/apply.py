"""`pydriver apply`: a saved plan (or a fresh one) in waves, with live progress."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.table import Table

from pydriver import pipeline
from pydriver.cli.common import Inventory, err, fail, out
from pydriver.cli.ops import Limit, build_plan, select
from pydriver.deploy import audit
from pydriver.deploy.apply import Outcome, Settings, apply_plan
from pydriver.deploy.lock import apply_lock
from pydriver.errors import PydriverError
from pydriver.plan.model import Plan
from pydriver.platforms.scrub import known_values
from pydriver.report import plan as plan_report
from pydriver.sot.secrets import Resolver
from pydriver.tasks.connect import init, state_dir

STYLE = {"applied": "green", "noop": "dim", "rolled-back": "yellow", "failed": "red",
         "reverting": "red", "skipped": "dim", "running": "cyan"}


class Progress:
    """Rich live table fed by apply events (from worker threads)."""

    def __init__(self, quiet: bool) -> None:
        self.rows: dict[str, tuple[int, str, str]] = {}
        self.wave = ""
        self.lock = threading.Lock()
        self.live: Live | None = None if quiet else Live(self.table(), console=err,
                                                         refresh_per_second=4, transient=False)

    def table(self) -> Table:
        t = Table(title=self.wave or "apply", show_lines=False)
        for col in ("wave", "router", "status", "detail"):
            t.add_column(col, overflow="fold")
        for host, (wave, status, detail) in sorted(self.rows.items(), key=lambda kv: kv[1][0]):
            t.add_row(str(wave), host, f"[{STYLE.get(status, '')}]{status}[/]", detail)
        return t

    def __call__(self, event: dict[str, Any]) -> None:
        with self.lock:
            kind = event["event"]
            if kind == "wave":
                self.wave = f"wave {event['wave']} of {event['of']}: {', '.join(event['hosts'])}"
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
        inventory: Inventory = pipeline.DEFAULT_INVENTORY,
        limit: Limit = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, change nothing.")
                           ] = False,
        wave_size: Annotated[str, typer.Option(help="Routers per wave: N or N%.")] = "25%",
        canary: Annotated[bool, typer.Option(help="One router alone first.")] = True,
        max_failures: Annotated[int, typer.Option(
            help="Stop starting new waves once more routers than this have failed.")] = 0,
        retry_failed: Annotated[bool, typer.Option(
            "--retry-failed", help="Only the routers that did not succeed last time.")
                                ] = False,
        revert_after: Annotated[float, typer.Option(
            help="Minutes before an unconfirmed router reverts itself.")] = 5.0,
        check_deadline: Annotated[float, typer.Option(
            help="Seconds to wait for post-checks to pass.")] = 60.0,
        workers: Annotated[int, typer.Option(help="Parallel routers per wave.")] = 20,
        as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")
                           ] = False,
    ) -> None:
        """Apply exactly a plan, in waves, each router auto-reverting unless confirmed."""
        state = state_dir()
        try:
            with apply_lock(state, inventory):
                outcomes = _run(plan_file, inventory, limit, dry_run, wave_size, canary,
                                max_failures, retry_failed, revert_after, check_deadline,
                                workers, as_json, state)
        except PydriverError as exc:
            fail(exc)
        _report(outcomes, as_json)


def _run(plan_file: Path | None, inventory: Path, limit: str | None, dry_run: bool,
         wave_size: str, canary: bool, max_failures: int, retry_failed: bool,
         revert_after: float, check_deadline: float, workers: int, as_json: bool,
         state: Path) -> list[Outcome]:
    """Everything apply does, under the lock (held from before the routers are read)."""
    if plan_file is not None:
        the_plan = Plan.load(plan_file)
    else:
        the_plan = build_plan(inventory, "device", limit, workers, Path("backups"))
    hosts: set[str] | None = None
    if limit:
        facts = {r.host: {"role": r.role, "site": r.site, "platform": r.platform}
                 for r in the_plan.routers}
        hosts = select(facts, limit)
    if retry_failed:
        failed = set(audit.last_failed(state, inventory))
        hosts = failed if hosts is None else hosts & failed
        if not failed:
            out.print("nothing to retry: the last apply left no failed router")
            raise typer.Exit(0)
    if dry_run or not as_json:
        print(plan_report.text(the_plan, show_commands=dry_run), end="")
    if dry_run:
        raise typer.Exit(2 if the_plan.changes else 0)
    if not the_plan.changes:
        raise typer.Exit(0)
    intents = pipeline.intents(inventory)
    rendered = pipeline.render(intents)
    secrets = known_values([t for c in rendered.values() for _, t in c.files],
                           Resolver(inventory))
    progress = Progress(quiet=as_json)
    settings = Settings(revert_minutes=revert_after, check_deadline=check_deadline,
                        wave_size=wave_size, canary=canary, max_failures=max_failures,
                        workers=workers, on_event=progress)
    nr = init(inventory, workers=workers)
    if progress.live is not None:
        with progress.live:
            return apply_plan(nr, the_plan, inventory, state, intents, rendered,
                              secrets, settings, hosts)
    return apply_plan(nr, the_plan, inventory, state, intents, rendered, secrets,
                      settings, hosts)


def _report(outcomes: list[Outcome], as_json: bool) -> None:
    if as_json:
        print(json.dumps([{"host": o.host, "status": o.status, "detail": o.detail,
                           "wave": o.wave, "commands_sent": o.commands_sent,
                           "seconds": round(o.seconds, 2),
                           "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail}
                                      for c in o.checks]} for o in outcomes], indent=2))
    else:
        for o in outcomes:
            if o.status == "skipped":
                continue
            passed = sum(1 for c in o.checks if c.ok and "not required" not in c.detail)
            pending = sum(1 for c in o.checks if "not required" in c.detail)
            style = STYLE.get(o.status, "")
            line = f"{o.host}: [{style}]{o.status}[/]"
            if o.checks:
                line += f" - {passed} post-checks passed" + (
                    f", {pending} waiting for the other end" if pending else "")
            out.print(line, soft_wrap=True)
            for c in o.checks:
                if not c.ok:
                    out.print(f"    [red]FAIL[/] {c.name}: {c.detail}", soft_wrap=True)
            if o.status not in ("applied", "noop"):
                out.print(f"    {o.detail}", soft_wrap=True)
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        out.print("apply: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    if any(o.status not in ("applied", "noop", "skipped") for o in outcomes):
        raise typer.Exit(1)
