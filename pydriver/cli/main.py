"""`pydriver` entry point: every command takes --inventory, every error exits 1 cleanly.

Exit codes follow Terraform's: 0 ok / nothing to do, 1 error, 2 changes present. The CLI is
the only place that prints; library code raises PydriverError subclasses with context.

Commands are registered one way, by entry point (group ``pydriver.cli``, each a
``register(app)`` function), as Nornir finds its plugins: the lab's commands live with the
lab, which production code never imports, and a site may add its own commands.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from importlib import import_module
from importlib.metadata import PackageNotFoundError, entry_points, version
from typing import Annotated, NoReturn

import typer

from pydriver.cli.common import err
from pydriver.errors import PydriverError

GROUP = "pydriver.cli"
# the order of the help; plugins after
ORDER = ("stages", "interconnect", "check", "report", "ops", "apply", "review", "lab",
         "servers")

app = typer.Typer(
    no_args_is_help=True,
    help="pydriver: the regional government intranet (JIP) as code.",
)


def _version(value: bool) -> None:
    if value:
        try:
            print(f"pydriver {version('pydriver')}")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            print("pydriver (not installed)")
        raise typer.Exit(0)


@app.callback()
def _main(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False,
) -> None:
    """pydriver: the regional government intranet (JIP) as code.

    Exit codes: 0 ok or nothing to do, 1 an error, 2 changes present (plan, drift, review,
    servers plan). Shell completion: --install-completion."""

# commands of this package: found even when the installed metadata predates one of them
# (an editable install not re-installed since the command was added)
BUILTIN = {"stages": "pydriver.cli.stages", "check": "pydriver.cli.check",
           "report": "pydriver.cli.report", "ops": "pydriver.cli.ops",
           "apply": "pydriver.cli.apply", "review": "pydriver.cli.review",
           "servers": "pydriver.cli.servers", "interconnect": "pydriver.cli.interconnect"}


def _register() -> None:
    """Every command plugin; one that cannot be loaded is named, not fatal (a broken or
    stale plugin must not take every other command down)."""
    loaded: set[str] = set()
    for ep in sorted(entry_points(group=GROUP), key=lambda ep: (
            ORDER.index(ep.name) if ep.name in ORDER else len(ORDER), ep.name)):
        try:
            ep.load()(app)
        except Exception as exc:
            err.print(f"warning: command plugin {ep.name!r} ({ep.value}) cannot be loaded: "
                      f"{type(exc).__name__}: {exc}", markup=False, soft_wrap=True)
            continue
        loaded.add(ep.value.partition(":")[0])
    for module in BUILTIN.values():
        if module not in loaded:
            import_module(module).register(app)


_register()


def run() -> None:
    """Console-script entry: never let a traceback reach the user for a PydriverError."""
    code: str | int | None = 0
    try:
        app()
    except PydriverError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}", markup=False)
        code = 1
    except SystemExit as done:  # how every command ends (typer's standalone mode)
        code = done.code
    leave(code)


def leave(code: str | int | None) -> NoReturn:
    """End the process with ``code`` without freeing its heap object by object.

    Why: the interpreter's teardown frees every object one at a time, and a command holds
    a region's documents, models, intents and configs: 0.25 s of a one-site plan at
    3,000 sites, spent after the answer is out. Everything meant to run at exit still
    runs first (the handlers registered with :mod:`atexit`: logging's flush, weakref
    finalizers such as temporary folders' clean-up) and the output is flushed. When
    anything else is still running (a thread that is not a daemon) or the code is not a
    number, the interpreter ends the process as usual."""
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if others or not isinstance(code, int | None):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader is gone (| head), or closed
            continue
        except OSError as exc:  # output lost (a full disk): never a success
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"error: the output could not be written: {exc}\n")
                sys.stderr.flush()
            os._exit(120)  # what the interpreter exits with when its last flush fails
    os._exit(code or 0)


if __name__ == "__main__":
    run()
