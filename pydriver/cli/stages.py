"""`pydriver validate` and `pydriver render`: the source of truth checked and rendered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pydriver.cli.common import Inventory, out
from pydriver.cli.common import fail as _fail
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command("render")(render_cmd)


def validate(
    inventory: Inventory = DEFAULT_INVENTORY,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    require_secrets: Annotated[bool, typer.Option(
        "--require-secrets", help="Also check that every secret reference resolves.")] = False,
    peers: Annotated[Path | None, typer.Option(
        "--peers", help="A folder of the neighbours' published interconnect files: check "
        "that both sides of every interconnect agree.")] = None,
) -> None:
    """Check the source of truth; list every problem with file:line:column."""
    if fmt not in ("text", "json"):
        _fail(PydriverError(f"--format {fmt!r}: expected text or json"))
    pipe = Pipeline(inventory, require_secrets=require_secrets)
    try:
        net = pipe.network
        intents = pipe.intents
        pipe.check_rendering()  # a template that cannot render is a validation failure too
        if peers is not None:
            pipe.check_peers(peers)
    except PydriverError as exc:
        _fail(exc, fmt)
    if fmt == "json":
        print(json.dumps({"ok": True, "sites": len(net.sites), "hubs": len(net.hubs()),
                          "routers": len(intents)}, indent=2))
    else:
        agreed = f", {len(net.interconnects)} interconnects agreed with {peers}" \
            if peers is not None else ""
        out.print(f"ok: {len(net.sites)} sites, {len(net.hubs())} hubs, "
                  f"{len(intents)} routers, {len(net.servers)} servers{agreed}", markup=False,
                  soft_wrap=True)


def render_cmd(
    inventory: Inventory = DEFAULT_INVENTORY,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "build"),
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Render every router's configuration: one directory per router, byte-identical.
    Exit 0 ok, 1 an error."""
    if fmt not in ("text", "json"):
        _fail(PydriverError(f"--format {fmt!r}: expected text or json"))
    try:
        # what the folder held, for the JSON's "changed" (text output does not say)
        before = {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()} \
            if fmt == "json" and out_dir.is_dir() else {}
        paths = Pipeline(inventory).write_rendered(out_dir)
    except PydriverError as exc:
        _fail(exc, fmt)
    except OSError as exc:
        _fail(PydriverError(f"cannot write {out_dir}: {exc.strerror}"), fmt)
    routers = len({p.parent for p in paths})
    if fmt == "json":
        print(json.dumps({
            "ok": True, "out": str(out_dir), "routers": routers,
            "files": [{"router": p.parent.name, "file": p.name, "path": str(p),
                       "changed": before.get(p) != p.read_bytes()} for p in paths],
        }, indent=2))
    else:
        out.print(f"rendered {routers} routers, {len(paths)} files into {out_dir}/",
                  markup=False)
