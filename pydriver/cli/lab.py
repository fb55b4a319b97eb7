"""`pydriver lab up|status|down`: a lab twin of every router of the inventory."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from pydriver import pipeline
from pydriver.cli.common import Inventory, err, fail, out
from pydriver.errors import PydriverError
from pydriver.lab import manage
from pydriver.tasks.connect import state_dir

lab_app = typer.Typer(help="A lab to push to: emulated RouterOS/IOS-XE, real FRR in netns.",
                      no_args_is_help=True)


@lab_app.command("up")
def lab_up(
    inventory: Inventory = pipeline.DEFAULT_INVENTORY,
    skip_platform: Annotated[list[str] | None, typer.Option(
        "--skip-platform", help="Leave this platform's routers out (e.g. linux_frr).")] = None,
    minute_seconds: Annotated[float, typer.Option(
        hidden=True, help="Length of an emulated IOS minute (tests shorten it).")] = 60.0,
) -> None:
    """Every router of the inventory gets a factory-default lab twin; prints where."""
    try:
        routers = manage.up(inventory, state_dir(), set(skip_platform or ()), minute_seconds)
    except PydriverError as exc:
        fail(exc)
    for r in routers:
        out.print(f"{r.name:28} {r.platform:18} ssh {r.username}@{r.host} -p {r.port}")
    if skip_platform:
        err.print(f"left out: {', '.join(skip_platform)} (plan and apply skip them)")
    out.print(f"lab up: {len(routers)} routers; 'pydriver lab down' removes everything")


@lab_app.command("status")
def lab_status(
    as_json: Annotated[bool, typer.Option("--json", help="JSON list, one object per router.")
                       ] = False,
) -> None:
    """Where each lab router listens (with lab credentials)."""
    routers = manage.status(state_dir())
    if as_json:
        print(json.dumps([asdict(r) for r in routers], indent=2))
        return
    if not routers:
        out.print("no lab is running")
        return
    for r in routers:
        out.print(f"{r.name:28} {r.platform:18} {r.device_type:18} {r.host}:{r.port}")


@lab_app.command("down")
def lab_down() -> None:
    """Stop the lab; always leaves nothing behind."""
    try:
        manage.down(state_dir())
    except PydriverError as exc:
        fail(exc)
    out.print("lab down")
