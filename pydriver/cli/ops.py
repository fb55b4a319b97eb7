"""Commands that read routers: backup, plan, drift (apply lives in apply.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pydriver.cli.common import Inventory, State, err, fail, out
from pydriver.deploy.sources import LIMIT_HELP, build_plan, facts, read_devices, select
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline

# imported where used, not here: every command's start pays for the imports of all (see main)
# (sources stays: --limit's help is its LIMIT_HELP)

Limit = Annotated[str | None, typer.Option("--limit", help=f"Only these routers: {LIMIT_HELP}")]
BackupDir = Annotated[Path, typer.Option("--backups", help="Backup git repository.")]
Workers = Annotated[int, typer.Option(help="Parallel connections.", min=1)]
TextOrJson = Annotated[str, typer.Option("--format", help="text or json")]


def check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        fail(PydriverError(f"--format {fmt!r}: expected {', '.join(allowed)}"))


def target(pipe: Pipeline) -> str:
    """Say so when a running lab stands in for the routers ("" for the real network)."""
    from pydriver.deploy.nornir import lab_hosts

    hosts = lab_hosts(pipe.state)
    twins = sum(1 for v in hosts.values() if v)
    if not twins:
        return ""
    return (f"the LAB ({twins} twin routers of {pipe.state / 'lab'}), not the real network")


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        inventory: Inventory = DEFAULT_INVENTORY,
        backup_dir: BackupDir = Path("backups"),
        limit: Limit = None,
        workers: Workers = 20,
        fmt: TextOrJson = "text",
        state: State = None,
    ) -> None:
        """Save running configs into a git repository, one commit per changed router.
        Exit 0 ok, 1 an error or a router unreachable."""
        from pydriver.deploy import backup as backups

        check_format(fmt, ("text", "json"))
        pipe = Pipeline(inventory, state=state)
        try:
            readings, skipped = read_devices(pipe, select(facts(pipe), limit), workers)
            running = readings.running
            changed = backups.store(backup_dir, running,
                                    {h: pipe.intents[h].platform.value for h in running},
                                    readings.firmware)
        except PydriverError as exc:
            fail(exc, fmt)
        unreachable = any("unreachable" in why for why in skipped.values())
        if fmt == "json":
            print(json.dumps({"ok": not unreachable, "backups": str(backup_dir),
                              "target": target(pipe) or "network",
                              "backed_up": sorted(running), "changed": changed,
                              "skipped": dict(sorted(skipped.items()))}, indent=2))
        else:
            for host, why in sorted(skipped.items()):
                err.print(f"skipped {host}: {why}", soft_wrap=True, markup=False)
            where = target(pipe)
            out.print(f"backed up {len(running)} routers into {backup_dir}/; "
                      f"{len(changed)} changed: {', '.join(changed) or 'none'}"
                      + (f" (from {where})" if where else ""), markup=False)
        if unreachable:
            raise typer.Exit(1)

    @app.command()
    def plan(
        inventory: Inventory = DEFAULT_INVENTORY,
        out_file: Annotated[Path | None, typer.Option(
            "--out", help="Save the plan (JSON); checks that its secrets resolve.")] = None,
        source: Annotated[str, typer.Option(
            "--from", help="Running configs from: device, backups, git:<ref>")] = "device",
        limit: Limit = None,
        fmt: Annotated[str, typer.Option("--format", help="text, json or markdown")] = "text",
        backup_dir: BackupDir = Path("backups"),
        workers: Workers = 20,
        verbose: Annotated[bool, typer.Option(
            "--verbose", "-v", help="Text: every command, also in a terminal (when the "
                                    "output is piped they are always shown, last).")] = False,
        summary_only: Annotated[bool, typer.Option(
            "--summary", help="Markdown: the summary, table and risks only.")] = False,
        max_chars: Annotated[int, typer.Option(
            help="Markdown: shorten router blocks to fit (GitHub refuses comments over "
                 "65,536 characters; GitLab allows 1,000,000).", min=1000)] = 65_000,
        check_secrets_: Annotated[bool, typer.Option(
            "--check-secrets/--no-check-secrets",
            help="With --out: refuse a plan whose secrets do not resolve here.")] = True,
        state: State = None,
    ) -> None:
        """What would change, router by router. Exit 0 nothing to do, 2 changes, 1 error."""
        from pydriver.deploy.run import check_secrets
        from pydriver.report import plan as plan_report

        check_format(fmt, ("text", "json", "markdown"))
        pipe = Pipeline(inventory, state=state)
        try:
            the_plan = build_plan(pipe, source, limit, workers, backup_dir)
            if out_file is not None:
                if check_secrets_:
                    check_secrets(pipe, the_plan)
                out_file.write_text(the_plan.to_json(), encoding="utf-8")
        except PydriverError as exc:
            fail(exc, fmt)
        except OSError as exc:
            fail(PydriverError(f"cannot write {out_file}: {exc.strerror}"), fmt)
        where = target(pipe) if source == "device" else ""
        if fmt == "json":
            print(the_plan.to_json(), end="")
        elif fmt == "markdown":
            print(plan_report.markdown(the_plan, max_chars, summary_only, where,
                                       str(out_file) if out_file else
                                       "pydriver plan --out plan.json"), end="")
        else:
            show = verbose or not sys.stdout.isatty()
            print(plan_report.text(the_plan, show_commands=show, target=where), end="")
        if any("unreachable" in r.note for r in the_plan.routers):
            raise typer.Exit(1)
        raise typer.Exit(2 if the_plan.changes else 0)

    @app.command()
    def drift(
        inventory: Inventory = DEFAULT_INVENTORY,
        limit: Limit = None,
        workers: Workers = 20,
        fmt: TextOrJson = "text",
        state: State = None,
    ) -> None:
        """Name each router whose running config differs from the source of truth.
        Exit 0 none, 2 drift, 1 error."""
        check_format(fmt, ("text", "json"))
        pipe = Pipeline(inventory, state=state)
        try:
            the_plan = build_plan(pipe, "device", limit, workers, Path("backups"))
        except PydriverError as exc:
            fail(exc, fmt)
        unreachable = any("unreachable" in r.note for r in the_plan.routers)
        if fmt == "json":
            print(json.dumps({
                "drift": [{"host": r.host, "action": r.action, "added": r.added,
                           "removed": r.removed, "sections": list(r.sections)}
                          for r in the_plan.changes],
                "skipped": {r.host: r.note for r in the_plan.routers if r.action == "skip"},
                "target": target(pipe) or "network",
                "sot": {"commit": the_plan.sot.commit, "digest": the_plan.sot.digest},
            }, indent=2))
        else:
            for r in the_plan.routers:
                if r.changed:
                    out.print(f"drift {r.host}: +{r.added} -{r.removed} "
                              f"({', '.join(r.sections)})", markup=False)
                elif r.action == "skip":
                    err.print(f"skipped {r.host}: {r.note}", soft_wrap=True, markup=False)
            if not the_plan.changes:
                out.print("no drift")
        if unreachable:
            raise typer.Exit(1)
        raise typer.Exit(2 if the_plan.changes else 0)
