"""`pydriver` entry point: every command takes --inventory, every error exits 1 cleanly.

Exit codes follow Terraform's: 0 ok / nothing to do, 1 error, 2 changes present. The CLI is
the only place that prints; library code raises PydriverError subclasses with context.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pydriver.cli import apply as apply_cmd
from pydriver.cli import ops
from pydriver.cli.common import Inventory, err, out
from pydriver.cli.common import fail as _fail
from pydriver.cli.lab import lab_app
from pydriver.cli.servers import servers_app
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline
from pydriver.render.render import write

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="pydriver: the regional government intranet (JIP) as code.",
)


@app.command()
def validate(
    inventory: Inventory = DEFAULT_INVENTORY,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    require_secrets: Annotated[bool, typer.Option(
        "--require-secrets", help="Also check that every secret reference resolves.")] = False,
) -> None:
    """Check the source of truth; list every problem with file:line:column."""
    pipe = Pipeline(inventory, require_secrets=require_secrets)
    try:
        net = pipe.network
        intents = pipe.intents
        assert pipe.rendered  # a template that cannot render is a validation failure too
    except PydriverError as exc:
        _fail(exc, fmt)
    if fmt == "json":
        print(json.dumps({"ok": True, "sites": len(net.sites), "hubs": len(net.hubs()),
                          "routers": len(intents)}, indent=2))
    else:
        out.print(f"ok: {len(net.sites)} sites, {len(net.hubs())} hubs, "
                  f"{len(intents)} routers, {len(net.servers)} servers")


@app.command("render")
def render_cmd(
    inventory: Inventory = DEFAULT_INVENTORY,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "build"),
) -> None:
    """Render every router's configuration: one directory per router, byte-identical."""
    try:
        configs = Pipeline(inventory).rendered
        paths = write(configs, out_dir)
    except PydriverError as exc:
        _fail(exc)
    except OSError as exc:
        err.print(f"[red]error[/red] cannot write {out_dir}: {exc.strerror}")
        raise typer.Exit(1) from None
    out.print(f"rendered {len(configs)} routers, {len(paths)} files into {out_dir}/")


ops.register(app)
apply_cmd.register(app)
app.add_typer(lab_app, name="lab")
app.add_typer(servers_app, name="servers")


def run() -> None:
    """Console-script entry: never let a traceback reach the user for a PydriverError."""
    try:
        app()
    except PydriverError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    run()
