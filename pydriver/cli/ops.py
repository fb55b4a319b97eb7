"""Commands that read routers: backup, plan, drift (apply lives in apply.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pydriver import pipeline
from pydriver.cli.common import Inventory, err, fail, out
from pydriver.deploy import backup as backups
from pydriver.errors import PydriverError
from pydriver.plan.make import make_plan, sot_ref
from pydriver.plan.model import Plan
from pydriver.platforms.scrub import known_values
from pydriver.report import plan as plan_report
from pydriver.sot.secrets import Resolver
from pydriver.tasks.connect import init, skipped_hosts
from pydriver.tasks.running import collect

Limit = Annotated[str | None, typer.Option(
    "--limit", help="Only these routers: host names, site:<code>, role:hub|site, "
                    "platform:<name>; comma-separated")]
BackupDir = Annotated[Path, typer.Option("--backups", help="Backup git repository.")]


def select(hosts: dict[str, dict[str, str | None]], limit: str | None) -> set[str]:
    """Resolve a --limit expression against host facts (role, site, platform)."""
    if not limit:
        return set(hosts)
    chosen: set[str] = set()
    for term in (t.strip() for t in limit.split(",") if t.strip()):
        key, _, value = term.partition(":")
        if value and key in ("site", "role", "platform"):
            chosen |= {h for h, facts in hosts.items() if facts.get(key) == value}
        elif term in hosts:
            chosen.add(term)
        else:
            raise PydriverError(f"--limit {term!r} matches no router")
    return chosen


def read_from_devices(inventory: Path, limit: str | None, workers: int
                      ) -> tuple[dict[str, str], dict[str, str]]:
    """Running configs of the selected routers (scrubbed) and the ones that were left out."""
    rendered = pipeline.rendered(inventory)
    secrets = known_values([t for c in rendered.values() for _, t in c.files],
                           Resolver(inventory))
    nr = init(inventory, workers=workers)
    facts = {h: {"role": x.data["role"], "site": x.data["site"],
                 "platform": x.data["platform"]} for h, x in nr.inventory.hosts.items()}
    chosen = select(facts, limit)
    skipped = {h: why for h, why in skipped_hosts(nr).items() if h in chosen}
    target = nr.filter(filter_func=lambda h: h.name in chosen and h.name not in skipped)
    running, errors = collect(target, secrets)
    for host, why in errors.items():
        skipped[host] = f"unreachable or failed: {why}"
    return running, skipped


def build_plan(inventory: Path, source: str, limit: str | None, workers: int,
               backup_dir: Path) -> Plan:
    intents = pipeline.intents(inventory)
    rendered = pipeline.render(intents)
    platforms = {h: i.platform.value for h, i in intents.items()}
    skipped: dict[str, str] = {}
    if source == "device":
        running, skipped = read_from_devices(inventory, limit, workers)
    elif source == "backups":
        running = backups.read(backup_dir, platforms)
    elif source.startswith("git:"):
        running = backups.read(backup_dir, platforms, ref=source[4:])
    else:
        raise PydriverError(f"--from {source!r}: expected device, backups or git:<ref>")
    if limit and source != "device":
        facts = {h: {"role": i.role, "site": i.site_code, "platform": i.platform.value}
                 for h, i in intents.items()}
        keep = select(facts, limit)
        running = {h: t for h, t in running.items() if h in keep}
        intents = {h: i for h, i in intents.items() if h in keep}
    else:
        chosen = set(running) | set(skipped)
        intents = {h: i for h, i in intents.items() if h in chosen} if limit else intents
    return make_plan(intents, rendered, running, sot_ref(inventory), source, skipped)


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        inventory: Inventory = pipeline.DEFAULT_INVENTORY,
        backup_dir: BackupDir = Path("backups"),
        limit: Limit = None,
        workers: Annotated[int, typer.Option(help="Parallel connections.")] = 20,
    ) -> None:
        """Save running configs into a git repository, one commit per changed router."""
        try:
            running, skipped = read_from_devices(inventory, limit, workers)
            intents = pipeline.intents(inventory)
            changed = backups.store(backup_dir, running,
                                    {h: intents[h].platform.value for h in running})
        except PydriverError as exc:
            fail(exc)
            return
        for host, why in sorted(skipped.items()):
            err.print(f"skipped {host}: {why}", soft_wrap=True)
        out.print(f"backed up {len(running)} routers into {backup_dir}/; "
                  f"{len(changed)} changed: {', '.join(changed) or 'none'}")
        if any("unreachable" in why for why in skipped.values()):
            raise typer.Exit(1)

    @app.command()
    def plan(
        inventory: Inventory = pipeline.DEFAULT_INVENTORY,
        out_file: Annotated[Path | None, typer.Option("--out", help="Save the plan (JSON).")
                            ] = None,
        source: Annotated[str, typer.Option(
            "--from", help="Running configs from: device, backups, git:<ref>")] = "device",
        limit: Limit = None,
        fmt: Annotated[str, typer.Option("--format", help="text, json or markdown")] = "text",
        backup_dir: BackupDir = Path("backups"),
        workers: Annotated[int, typer.Option(help="Parallel connections.")] = 20,
    ) -> None:
        """What would change, router by router. Exit 0 nothing to do, 2 changes, 1 error."""
        try:
            the_plan = build_plan(inventory, source, limit, workers, backup_dir)
        except PydriverError as exc:
            fail(exc)
            return
        if out_file is not None:
            out_file.write_text(the_plan.to_json(), encoding="utf-8")
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
        inventory: Inventory = pipeline.DEFAULT_INVENTORY,
        limit: Limit = None,
        workers: Annotated[int, typer.Option(help="Parallel connections.")] = 20,
    ) -> None:
        """Name each router whose running config differs from the source of truth.
        Exit 0 none, 2 drift, 1 error."""
        try:
            the_plan = build_plan(inventory, "device", limit, workers, Path("backups"))
        except PydriverError as exc:
            fail(exc)
            return
        for r in the_plan.routers:
            if r.action == "update":
                out.print(f"drift {r.host}: +{r.added} -{r.removed} "
                          f"({', '.join(r.sections)})")
            elif r.action == "skip":
                err.print(f"skipped {r.host}: {r.note}", soft_wrap=True)
        if not the_plan.changes:
            out.print("no drift")
        if any("unreachable" in r.note for r in the_plan.routers):
            raise typer.Exit(1)
        raise typer.Exit(2 if the_plan.changes else 0)
