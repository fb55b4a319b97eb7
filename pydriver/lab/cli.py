"""`pydriver lab up|status|down`: a lab twin of every router of the inventory."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pydriver.cli.common import Inventory, State, err, fail, out
from pydriver.errors import LabError, PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline, default_state
from pydriver.plan.model import Plan
from pydriver.sot.models import Platform

# imported where used, not here: every command's start pays for the imports of all (see main)
if TYPE_CHECKING:
    from pydriver.lab import federation

lab_app = typer.Typer(help="A lab to push to: emulated RouterOS/IOS-XE, real FRR in netns.",
                      no_args_is_help=True)

BootFrom = Annotated[str, typer.Option(
    "--from", help="factory: factory-default twins; backups: each twin boots from its "
    "router's last backup")]
Backups = Annotated[Path, typer.Option("--backups",
                                       help="Backup git repository (--from backups).")]
MaxRefused = Annotated[int, typer.Option(
    "--max-refused", min=0, help="Backup lines a twin may refuse before the lab is not "
    "brought up (--from backups).")]
AllowMissing = Annotated[bool, typer.Option(
    "--allow-missing", help="A router with no backup gets a factory-default twin (noted) "
    "instead of failing (--from backups).")]


@lab_app.command("up")
def lab_up(
    inventory: Inventory = DEFAULT_INVENTORY,
    skip_platform: Annotated[list[str] | None, typer.Option(
        "--skip-platform", help="Leave this platform's routers out (a platform name).")] = None,
    minute_seconds: Annotated[float, typer.Option(
        hidden=True, help="Length of an emulated IOS minute (tests shorten it).")] = 60.0,
    source: BootFrom = "factory",
    backup_dir: Backups = Path("backups"),
    max_refused: MaxRefused = 0,
    allow_missing: AllowMissing = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON list, one object per twin: "
                                          "where it listens, how it booted.")] = False,
    state: State = None,
) -> None:
    """Every router of the inventory gets a lab twin (factory default, or booted from its
    backup with --from backups); prints where.

    On a running lab only the routers it has no twin for yet are added (a new site)."""
    from pydriver.lab import from_backups, manage
    from pydriver.lab.secrets import lab_environment

    pipe = Pipeline(inventory, state=state)
    running = {r.name for r in manage.status(pipe.state)}
    skip = set(skip_platform or ())
    try:
        boot = from_backups.prepare(pipe, source, backup_dir, skip, max_refused=max_refused,
                                    allow_missing=allow_missing)
        routers = manage.up(pipe, pipe.state, skip, minute_seconds, boot=boot)
        missing = lab_environment(pipe)
    except from_backups.TwinBootError as exc:
        if as_json:
            print(json.dumps([b.as_dict() for b in exc.boots], indent=2))
        fail(exc)
    except PydriverError as exc:
        fail(exc)
    booted = {b.name: b for b in manage.boots(pipe.state)}
    if as_json:
        print(json.dumps([{**asdict(r), **(booted[r.name].as_dict() if r.name in booted else
                                           {"source": "factory", "lines": 0, "refused": []})}
                          for r in routers], indent=2))
        return
    for b in booted.values():
        (err if b.refused or b.source != "backup" else out).print(
            from_backups.summary(b), soft_wrap=True, markup=False)
    for r in routers:
        out.print(f"{r.name:28} {r.platform:18} ssh {r.username}@{r.host} -p {r.port}",
                  markup=False)
    if running:
        added = sorted({r.name for r in routers} - running)
        out.print(f"the lab was running: twins added: {', '.join(added) or 'none'}; "
                  "the others kept as they were", markup=False)
    if skip_platform:
        err.print(f"left out: {', '.join(skip_platform)} (plan and apply skip them)",
                  markup=False)
    out.print(f"lab up: {len(routers)} routers (state in {manage.lab_dir(pipe.state)}); "
              f"'pydriver lab down --inventory {inventory}' removes everything", markup=False,
              soft_wrap=True)
    if missing:
        out.print(f"{len(missing)} secret(s) of the inventory are not set here; for the lab "
                  f"only: eval \"$(pydriver lab env --inventory {inventory})\"", markup=False,
                  soft_wrap=True)


@lab_app.command("env")
def lab_env(
    inventory: Inventory = DEFAULT_INVENTORY,
) -> None:
    """Lab-only values for the secrets the environment does not set, as shell exports
    (eval "$(pydriver lab env)"). Never use them on a real router."""
    from pydriver.lab.secrets import lab_environment

    try:
        values = lab_environment(Pipeline(inventory))
    except PydriverError as exc:
        fail(exc)
    print("# lab-only secret values (derived from each name; not for real routers)")
    for name, value in values.items():
        print(f"export {name}={shlex.quote(value)}")
    if not values:
        print("# every secret the inventory refers to is set in this environment already")


@lab_app.command("status")
def lab_status(
    inventory: Inventory = DEFAULT_INVENTORY,
    as_json: Annotated[bool, typer.Option("--json", help="JSON list, one object per router.")
                       ] = False,
    state: State = None,
) -> None:
    """Where each lab router listens (with lab credentials)."""
    from pydriver.lab import manage

    routers = manage.status(default_state(inventory, state))
    if as_json:
        print(json.dumps([asdict(r) for r in routers], indent=2))
        return
    if not routers:
        out.print("no lab is running")
        return
    for r in routers:
        out.print(f"{r.name:28} {r.platform:18} {r.device_type:18} {r.host}:{r.port}",
                  markup=False)


@lab_app.command("down")
def lab_down(
    inventory: Inventory = DEFAULT_INVENTORY,
    state: State = None,
) -> None:
    """Stop the lab; always leaves nothing behind."""
    from pydriver.lab import manage

    try:
        manage.down(default_state(inventory, state))
    except PydriverError as exc:
        fail(exc)
    out.print("lab down")


@lab_app.command("rehearse")
def lab_rehearse(
    inventory: Inventory = DEFAULT_INVENTORY,
    skip_platform: Annotated[list[str] | None, typer.Option(
        "--skip-platform", help="Leave this platform's routers out.")] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Leave the lab running afterwards.")
                    ] = False,
    source: BootFrom = "factory",
    backup_dir: Backups = Path("backups"),
    max_refused: MaxRefused = 0,
    allow_missing: AllowMissing = False,
    state: State = None,
    with_other: Annotated[Path | None, typer.Option(
        "--with", help="Another region's inventory (a neighbour of another tier): both "
        "regions' routers on one lab, each applied, the interconnects checked.")] = None,
) -> None:
    """The whole job on a lab twin: lab up, plan, apply with post-checks, lab down.

    Secrets the environment does not provide get lab-only values, so the rehearsal runs on
    a fresh machine; linux_frr routers are left out (with a note) when not root.
    """
    import os

    from pydriver.lab import federation, from_backups, manage
    from pydriver.lab.secrets import lab_environment

    skip = set(skip_platform or ())
    netns = Platform.LINUX_FRR.value  # the lab runs these as real routers in namespaces
    if os.geteuid() != 0 and netns not in skip:
        err.print(f"not root: {netns} routers are left out of the lab (they run as real FRR "
                  "routers in network namespaces, which needs root)")
        skip.add(netns)
    pipe = Pipeline(inventory, state=state)
    state = pipe.state
    regions = [federation.Region(inventory, pipe)]
    try:
        if with_other is not None:
            regions.append(federation.Region(with_other, Pipeline(with_other, state=state)))
        env = {**os.environ, "PYDRIVER_STATE": str(state)}
        for region in regions:
            env.update(lab_environment(region.pipe))
    except PydriverError as exc:
        fail(exc)
    if manage.status(state):
        fail(LabError(f"a lab is already running (state in {manage.lab_dir(state)}); "
                      "rehearse brings its own up and down: run 'pydriver lab down' first"))
    try:
        boot = from_backups.prepare(pipe, source, backup_dir, skip, max_refused=max_refused,
                                    allow_missing=allow_missing)
        routers = manage.up(pipe, state, skip, boot=boot)
        out.print(f"lab up: {len(routers)} routers")
        for b in manage.boots(state):
            out.print(from_backups.summary(b), soft_wrap=True, markup=False)
        if len(regions) > 1:
            joined, notes = federation.join(regions[1], regions[0], state, skip)
            for note in notes:
                err.print(note, markup=False, soft_wrap=True)
            out.print(f"region {regions[1].code} joins the lab: {len(joined)} routers in all")
        ordered = federation.higher_first(regions)
        for region in ordered:
            _rehearse_one(region, state, env, len(regions) > 1)
        for region in ordered:
            _plan_again(region, env, len(regions) > 1)
        checks = federation.interconnect_checks(regions, state) if len(regions) > 1 else []
        for name, ok in checks:
            out.print(f"{'ok  ' if ok else 'FAIL'} {name}", markup=False, soft_wrap=True)
        if not all(ok for _, ok in checks):
            raise typer.Exit(1)
    except PydriverError as exc:
        fail(exc)
    finally:
        if not keep:
            manage.down(state)
            out.print("lab down")


def _cli(args: list[str], env: dict[str, str], capture: bool = True
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pydriver.cli.main", *args], env=env,
                          check=False, capture_output=capture, text=True)


def _rehearse_one(region: federation.Region, state: Path, env: dict[str, str],
                  named: bool) -> None:
    """Plan (saved in the lab's state) and apply one region; exit 1 when it fails."""
    inv = ["--inventory", str(region.inventory)]
    tag = f"region {region.code}: " if named else ""
    plan_file = state / "lab" / (f"rehearsal-plan-{region.code}.json" if named
                                 else "rehearsal-plan.json")
    plan = _cli(["plan", *inv, "--out", str(plan_file)], env)
    if plan.returncode not in (0, 2):
        print(plan.stdout, end="")
        err.print(plan.stderr, end="", markup=False)
        raise typer.Exit(1)
    # apply shows the plan's summary and risks next; every command is in the file
    changes = len(Plan.load(plan_file).changes)
    out.print(f"{tag}plan: {changes} routers to change (the whole plan: {plan_file})",
              markup=False, soft_wrap=True)
    if _cli(["apply", str(plan_file), *inv], env, capture=False).returncode != 0:
        raise typer.Exit(1)


def _plan_again(region: federation.Region, env: dict[str, str], named: bool) -> None:
    again = _cli(["plan", "--inventory", str(region.inventory)], env)
    tag = f"region {region.code}: " if named else ""
    out.print(tag + "second plan: " + ("no changes - the lab matches the source of truth"
                                       if again.returncode == 0 else "changes remain"))
    if again.returncode != 0:
        print(again.stdout, end="")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
