"""What every command shares: consoles, the --inventory option, error formatting.

Everything printed may carry text from the source of truth (names, descriptions, hosts)
or from a router, so nothing here lets rich read it as markup or emoji codes: a site named
``[blink]x`` is printed as written, and ``[/x]`` cannot break the output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from pydriver.errors import Problem, PydriverError, RenderError, SourceError

err = Console(stderr=True, highlight=False, emoji=False)
out = Console(highlight=False, emoji=False)

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


def problems_of(exc: PydriverError) -> tuple[Problem, ...]:
    """Any error as located problems (one unlocated problem when it has no location)."""
    if isinstance(exc, SourceError):
        return exc.problems
    if isinstance(exc, RenderError):
        return (exc.problem(),)
    return (Problem(None, str(exc), type(exc).__name__),)


def fail(exc: PydriverError, fmt: str = "text") -> NoReturn:
    """Print a PydriverError the way a person (or, with json, a machine) needs it; exit 1."""
    if fmt == "json":
        print(json.dumps({"ok": False, "problems": [p.as_dict() for p in problems_of(exc)]},
                         indent=2))
    elif isinstance(exc, SourceError):
        for p in exc.problems:
            err.print(f"[red]error[/red] {escape(str(p))}", soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s) found", soft_wrap=True)
    else:
        err.print(f"[red]error[/red] {escape(str(exc))}", soft_wrap=True)
    raise typer.Exit(1)
