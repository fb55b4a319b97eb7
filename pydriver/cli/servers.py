"""`pydriver servers inventory | plan | apply`: the shared servers, through ansible-runner.

``plan`` is Ansible's check mode with diffs, so a reviewer sees what would change on each
server before anything does; ``apply`` runs the same playbook for real. Both check that
every secret the roles look up resolves before Ansible starts, so a missing secret fails
with its reference named and no server touched.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from pydriver.cli.common import Inventory, State, err, fail, out
from pydriver.errors import PydriverError, ServersError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline

# imported where used, not here: every command's start pays for the imports of all (see main)
if TYPE_CHECKING:
    from rich.table import Table

    from pydriver.servers import runner
    from pydriver.servers.inventory import ServerInventory

servers_app = typer.Typer(no_args_is_help=True,
                          help="The data centre's shared servers, provisioned with Ansible.")

Project = Annotated[Path, typer.Option(
    "--project", help="Where playbooks/, roles/ and ansible.cfg are.")]
Limit = Annotated[str | None, typer.Option(
    "--limit", "-l", help="Ansible host pattern, e.g. ntp-01 or dc_pusdatin.")]
Tags = Annotated[list[str] | None, typer.Option(
    "--tags", "-t", help="Only the roles/tasks with these tags (repeatable).")]
Playbook = Annotated[str, typer.Option(help="Playbook under playbooks/.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print results as JSON.")]
ExtraVars = Annotated[list[str] | None, typer.Option(
    "--extra-vars", "-e", help="Passed to Ansible as -e (key=value, JSON or @file); "
                               "e.g. role defaults a lab must override.")]


def _load(pipe: Pipeline) -> tuple[ServerInventory, list[str]]:
    """The generated inventory and the resolved secrets it looks up (for scrubbing)."""
    from pydriver.servers.inventory import generate, secret_refs

    generated = generate(pipe.network, pipe.intents, pipe.inventory.resolve())
    values = [pipe.resolver.resolve(ref) for ref in secret_refs(pipe.network)]
    return generated, values


@servers_app.command("inventory")
def inventory_cmd(inventory: Inventory = DEFAULT_INVENTORY) -> None:
    """Print the generated Ansible inventory (`ansible-inventory --list` form)."""
    from pydriver.servers.inventory import generate

    try:
        pipe = Pipeline(inventory)
        generated = generate(pipe.network, pipe.intents, inventory.resolve())
    except PydriverError as exc:
        fail(exc)
    print(json.dumps(generated.ansible_list(), indent=2, sort_keys=True))


class _Progress:
    """A live table: per server, its counts so far and the task running now."""

    def __init__(self, quiet: bool, title: str) -> None:
        from rich.live import Live

        self.title = title
        self.task = ""
        self.counts: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()
        self.live = None if quiet else Live(self._table(), console=err,
                                            refresh_per_second=4, transient=True)

    def _table(self) -> Table:
        from rich.table import Table

        t = Table(title=f"{self.title}: {self.task}" if self.task else self.title)
        for col in ("server", "ok", "changed", "failed"):
            t.add_column(col)
        for host, c in sorted(self.counts.items()):
            t.add_row(host, str(c.get("ok", 0)), str(c.get("changed", 0)),
                      str(c.get("failed", 0) + c.get("unreachable", 0)))
        return t

    def __call__(self, event: runner.Event) -> None:
        with self.lock:
            if event.kind == "task":
                self.task = event.task
            elif event.host is not None:
                c = self.counts.setdefault(event.host, {})
                c[event.kind] = c.get(event.kind, 0) + 1
                if event.kind in ("failed", "unreachable"):
                    err.print(f"[red]{event.kind}[/] {escape(event.host)}: {escape(event.task)}",
                              soft_wrap=True)
            if self.live is not None:
                self.live.update(self._table())


def _run(pipe: Pipeline, project: Path, playbook: str, check: bool, limit: str | None,
         tags: list[str] | None, extra_vars: list[str] | None, as_json: bool
         ) -> runner.RunResult:
    from pydriver.servers import runner

    generated, values = _load(pipe)
    progress = _Progress(as_json, "servers plan" if check else "servers apply")

    def go() -> runner.RunResult:
        return runner.run(project, generated, playbook, check=check, limit=limit,
                          tags=tags or (), extra_vars=extra_vars or (),
                          secret_values=values, on_event=progress)

    if progress.live is not None:
        with progress.live:
            result = go()
    else:
        result = go()
    if not result.hosts:
        raise ServersError(f"no host matched{f' --limit {limit}' if limit else ''}: "
                           f"nothing ran ({len(generated.hostvars)} hosts in the inventory: "
                           "servers and Linux routers)")
    return result


def _summary(result: runner.RunResult, as_json: bool) -> None:
    from rich.table import Table

    if as_json:
        print(json.dumps(result.as_dict(), indent=2))
        return
    verb = "would change" if result.check else "changed"
    for r in result.results:
        style = "yellow" if r.status == "changed" else "red"
        label = verb if r.status == "changed" else r.status
        out.print(f"[{style}]{label}[/] {escape(r.host)}: {escape(r.task)}", soft_wrap=True)
        if r.detail and (result.check or r.status != "changed"):
            for line in r.detail.splitlines():
                out.print(f"    {line}", markup=False, soft_wrap=True)
    t = Table(title=escape(f"{result.playbook}{' (check mode)' if result.check else ''}"))
    for col in ("server", "ok", "changed", "failed", "unreachable", "skipped"):
        t.add_column(col)
    for h in result.hosts:
        t.add_row(escape(h.host), str(h.ok), str(h.changed), str(h.failed), str(h.unreachable),
                  str(h.skipped))
    out.print(t)
    out.print(f"servers: {len(result.hosts)} hosts, {result.changed} "
              f"{'changes pending' if result.check else 'changed'}, "
              f"{sum(1 for h in result.hosts if not h.healthy)} failed "
              f"({result.seconds:.1f} s)")


@servers_app.command()
def plan(
    inventory: Inventory = DEFAULT_INVENTORY,
    project: Project = Path("."),
    playbook: Playbook = "site.yml",
    limit: Limit = None,
    tags: Tags = None,
    extra_vars: ExtraVars = None,
    as_json: AsJson = False,
    state: State = None,
) -> None:
    """What would change on each server (check mode, with diffs); exit 2 if anything would."""
    try:
        result = _run(Pipeline(inventory, state=state), project, playbook, True, limit, tags,
                      extra_vars, as_json)
    except PydriverError as exc:
        fail(exc)
    _summary(result, as_json)
    if not result.ok:
        raise typer.Exit(1)
    raise typer.Exit(2 if result.changed else 0)


@servers_app.command("apply")
def apply_cmd(
    inventory: Inventory = DEFAULT_INVENTORY,
    project: Project = Path("."),
    playbook: Playbook = "site.yml",
    limit: Limit = None,
    tags: Tags = None,
    extra_vars: ExtraVars = None,
    as_json: AsJson = False,
    state: State = None,
) -> None:
    """Provision the servers; exit 1 if any task failed or a server was unreachable."""
    from pydriver.deploy import audit
    from pydriver.deploy.lock import apply_lock, operator

    pipe = Pipeline(inventory, state=state)
    try:
        with apply_lock(pipe.state, inventory):
            result = _run(pipe, project, playbook, False, limit, tags, extra_vars,
                          as_json)
            sot = pipe.sot
            audit.append(pipe.state, {
                "event": "servers-apply", "operator": operator(),
                "inventory": str(inventory.resolve()), "sot_digest": sot.digest,
                "sot_commit": sot.commit, "playbook": playbook,
                "limit": limit, "tags": tags or [], "ok": result.ok,
                "servers": result.as_dict()["hosts"],
            })
    except PydriverError as exc:
        fail(exc)
    _summary(result, as_json)
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(servers_app, name="servers")
