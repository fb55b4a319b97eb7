"""Commands that read routers: backup, plan, drift (apply lives in apply.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pydriver.cli.common import Inventory, err, fail, out
from pydriver.deploy import backup as backups
from pydriver.deploy.sources import LIMIT_HELP, build_plan, facts, read_devices, select
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline
from pydriver.report import plan as plan_report

Limit = Annotated[str | None, typer.Option("--limit", help=f"Only these routers: {LIMIT_HELP}")]
BackupDir = Annotated[Path, typer.Option("--backups", help="Backup git repository.")]
Workers = Annotated[int, typer.Option(help="Parallel connections.", min=1)]


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        inventory: Inventory = DEFAULT_INVENTORY,
        backup_dir: BackupDir = Path("backups"),
        limit: Limit = None,
        workers: Workers = 20,
    ) -> None:
        """Save running configs into a git repository, one commit per changed router."""
        pipe = Pipeline(inventory)
        try:
            readings, skipped = read_devices(pipe, select(facts(pipe), limit), workers)
            running = readings.running
            changed = backups.store(backup_dir, running,
                                    {h: pipe.intents[h].platform.value for h in running},
                                    readings.firmware)
        except PydriverError as exc:
            fail(exc)
        for host, why in sorted(skipped.items()):
            err.print(f"skipped {host}: {why}", soft_wrap=True, markup=False)
        out.print(f"backed up {len(running)} routers into {backup_dir}/; "
                  f"{len(changed)} changed: {', '.join(changed) or 'none'}", markup=False)
        if any("unreachable" in why for why in skipped.values()):
            raise typer.Exit(1)

    @app.command()
    def plan(
        inventory: Inventory = DEFAULT_INVENTORY,
        out_file: Annotated[Path | None, typer.Option("--out", help="Save the plan (JSON).")
                            ] = None,
        source: Annotated[str, typer.Option(
            "--from", help="Running configs from: device, backups, git:<ref>")] = "device",
        limit: Limit = None,
        fmt: Annotated[str, typer.Option("--format", help="text, json or markdown")] = "text",
        backup_dir: BackupDir = Path("backups"),
        workers: Workers = 20,
    ) -> None:
        """What would change, router by router. Exit 0 nothing to do, 2 changes, 1 error."""
        if fmt not in ("text", "json", "markdown"):
            fail(PydriverError(f"--format {fmt!r}: expected text, json or markdown"))
        try:
            the_plan = build_plan(Pipeline(inventory), source, limit, workers, backup_dir)
            if out_file is not None:
                out_file.write_text(the_plan.to_json(), encoding="utf-8")
        except PydriverError as exc:
            fail(exc, fmt)
        except OSError as exc:
            fail(PydriverError(f"cannot write {out_file}: {exc.strerror}"), fmt)
        if fmt == "json":
            print(the_plan.to_json(), end="")
        elif fmt == "markdown":
            print(plan_report.markdown(the_plan), end="")
        else:
            print(plan_report.text(the_plan), end="")
        if any("unreachable" in r.note for r in the_plan.routers):
            raise typer.Exit(1)
        raise typer.Exit(2 if the_plan.changes else 0)

    @app.command()
    def drift(
        inventory: Inventory = DEFAULT_INVENTORY,
        limit: Limit = None,
        workers: Workers = 20,
    ) -> None:
        """Name each router whose running config differs from the source of truth.
        Exit 0 none, 2 drift, 1 error."""
        try:
            the_plan = build_plan(Pipeline(inventory), "device", limit, workers,
                                  Path("backups"))
        except PydriverError as exc:
            fail(exc)
        for r in the_plan.routers:
            if r.action == "update":
                out.print(f"drift {r.host}: +{r.added} -{r.removed} "
                          f"({', '.join(r.sections)})", markup=False)
            elif r.action == "skip":
                err.print(f"skipped {r.host}: {r.note}", soft_wrap=True, markup=False)
        if not the_plan.changes:
            out.print("no drift")
        if any("unreachable" in r.note for r in the_plan.routers):
            raise typer.Exit(1)
        raise typer.Exit(2 if the_plan.changes else 0)
