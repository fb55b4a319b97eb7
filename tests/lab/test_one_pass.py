"""One pass through the stages, and the plan as the payload, proved on emulated routers.

Every command reads the inventory exactly once (the loader is counted in-process), and
``apply plan.json`` sends the routers exactly the saved plan's commands: what the emulated
IOS-XE router received between entering the revert-timer config mode and confirming is the
plan's command list, line for line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pydriver import pipeline as pipeline_module
from pydriver.cli.main import app
from pydriver.lab import manage
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from pydriver.sot.loader import Source
from pydriver.sot.secrets import PLACEHOLDER
from tests.lab.conftest import Lab, lab_env, make_inventory, secret_env

pytestmark = pytest.mark.lab

SITES = ("dinkes", "dishub", "bpkad")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("onepass")
    inv = make_inventory(base, SITES)
    state = base / ".pydriver"
    old = os.environ.get("PYDRIVER_STATE")
    os.environ["PYDRIVER_STATE"] = str(state)
    try:
        manage.up(Pipeline(inv), state, {"linux_frr", "mikrotik_routeros"}, minute_seconds=2.0)
        yield Lab(inv, state, lab_env(inv, state), base)
    finally:
        manage.down(state)
        if old is None:
            os.environ.pop("PYDRIVER_STATE", None)
        else:
            os.environ["PYDRIVER_STATE"] = old


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch, lab: Lab) -> list[Path]:
    """Every inventory load of the next commands (the loader the pipeline calls)."""
    seen: list[Path] = []
    real = pipeline_module.load  # type: ignore[attr-defined]

    def counted(root: Path, cache: Path | None = None) -> Source:
        seen.append(root)
        result: Source = real(root, cache=cache)
        return result

    monkeypatch.setattr(pipeline_module, "load", counted)
    for name, value in secret_env(lab.inventory).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYDRIVER_OPERATOR", "lab-test")
    monkeypatch.chdir(lab.cwd)
    return seen


def run(lab: Lab, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--inventory", str(lab.inventory)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_every_command_reads_the_inventory_once(lab: Lab, loads: list[Path]) -> None:
    backups = lab.cwd / "one-pass-backups"
    plan_file = lab.cwd / "one-pass-plan.json"
    commands = [
        ("validate",), ("render", "--out", str(lab.cwd / "one-pass-build")),
        ("plan", "--out", str(plan_file), "--limit", "role:hub"),
        ("drift",), ("backup", "--backups", str(backups)),
        ("plan", "--from", "backups", "--backups", str(backups)),
        ("apply", str(plan_file), "--json", "--revert-after", "30"),
        ("apply", "--limit", "role:hub", "--json", "--revert-after", "30"),
        ("servers", "inventory"),
    ]
    counts = {}
    for args in commands:
        loads.clear()
        code, output = run(lab, *args)
        assert code in (0, 2), f"{args}: exit {code}\n{output}"
        counts[" ".join(args[:1 + (args[0] == "plan" and "--from" in args)])] = len(loads)
    assert set(counts.values()) == {1}, counts


def test_apply_sends_exactly_the_saved_plan(lab: Lab, loads: list[Path]) -> None:
    host = "rtr-dishub"
    plan_file = lab.cwd / "dishub-plan.json"
    code, output = run(lab, "apply", "--limit", "role:hub", "--revert-after", "30")
    assert code == 0, output  # its hub first (a site's checks need it), if not done already
    code, output = run(lab, "plan", "--limit", host, "--out", str(plan_file))
    assert code == 2, output
    plan = Plan.load(plan_file)
    assert [r.host for r in plan.changes] == [host]
    lab.faults(host, log=[])
    code, output = run(lab, "apply", str(plan_file), "--json", "--revert-after", "30")
    assert code == 0, output
    assert json.loads(output[output.index("["):])[0]["status"] == "applied"
    log = [line.strip() for line in lab.control("faults", name=host, set={}, log_tail=10**6)["log"]]
    start = next(i for i, line in enumerate(log) if line.startswith("configure terminal revert"))
    received, in_config, by_file = [], True, False
    for line in log[start + 1:log.index("configure confirm")]:
        if line.startswith("configure terminal"):
            in_config = True
        elif line.startswith("copy ") and line.endswith(" running-config"):
            in_config = by_file = True  # the file's lines follow as the router merges them
        elif line == "end" or line.startswith("delete "):  # the file is deleted once merged
            in_config = False
        elif in_config and line:
            received.append(line)
    secrets = secret_env(lab.inventory)
    # a merged file's banner reaches the router's log by its first line (the text is read
    # with it, as IOS reads a banner from a file); typed, every line is logged
    def lines(cmd: str) -> list[str]:
        parts = cmd.split("\n")
        return parts[:1] if by_file and cmd.startswith("banner ") else parts

    sent = [line.strip() for cmd in plan.router(host).commands for line in lines(cmd)]
    filled = [PLACEHOLDER.sub(lambda m: secrets[m["ref"].removeprefix("env:")], line)
              for line in sent]
    assert received == filled
