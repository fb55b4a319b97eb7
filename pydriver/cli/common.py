"""What every command shares: consoles, the --inventory option, error formatting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from pydriver.errors import PydriverError, SourceError

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

Inventory = Annotated[
    Path,
    typer.Option("--inventory", "-i", help="Source-of-truth directory.", show_default=True),
]
State = Annotated[
    Path | None,
    typer.Option("--state", envvar="PYDRIVER_STATE", show_default=False,
                 help="Where the inventory's lab, apply lock and audit log live "
                      "[default: .pydriver beside the inventory]."),
]


def fail(exc: PydriverError, fmt: str = "text") -> NoReturn:
    """Print a PydriverError the way a person (or, with json, a machine) needs it; exit 1."""
    if fmt == "json" and isinstance(exc, SourceError):
        print(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]},
                         indent=2))
    elif isinstance(exc, SourceError):
        for p in exc.problems:
            err.print(f"[red]error[/red] {p}", markup=True, soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s) found", soft_wrap=True)
    else:
        err.print(f"[red]error[/red] {exc}", soft_wrap=True)
    raise typer.Exit(1)
