"""`pydriver interconnect export`: what this region publishes for its neighbours.

One file per interconnect, named ``<our code>_to_<their code>.yml``; the neighbour copies it
into its ``peers/`` folder and runs ``pydriver validate --peers peers/``. Files are written
only when their bytes change, and nothing else in the folder is touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pydriver.cli.common import Inventory, out
from pydriver.cli.common import fail as _fail
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline

group = typer.Typer(no_args_is_help=True,
                    help="Interconnects with the regions of the other tiers.")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="interconnect")


@group.command("export")
def export(
    inventory: Inventory = DEFAULT_INVENTORY,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "published"),
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Write this region's side of every interconnect (no secrets). Exit 0 ok, 1 an error."""
    if fmt not in ("text", "json"):
        _fail(PydriverError(f"--format {fmt!r}: expected text or json"))
    changed: list[str] = []
    try:
        files = Pipeline(inventory).published()
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(files.items()):
            path = out_dir / name
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                changed.append(name)
    except PydriverError as exc:
        _fail(exc, fmt)
    except OSError as exc:
        _fail(PydriverError(f"cannot write {out_dir}: {exc.strerror}"), fmt)
    if fmt == "json":
        print(json.dumps({"ok": True, "out": str(out_dir), "files": sorted(files),
                          "changed": changed}, indent=2))
    else:
        out.print(f"published {len(files)} interconnect file(s) into {out_dir}/ "
                  f"({len(changed)} changed)", markup=False)
