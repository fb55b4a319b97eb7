"""Every option of every command, given random text: a clear error or a result, never a
traceback.

The commands run in-process (typer's runner) against a copy of the example inventory,
with a lab connection-override file that points every router at a closed port on
127.0.0.1, so a command that reaches for a router fails at once and never leaves the
machine. Options naming a path get the random text below a temporary directory. Commands
that start a lab or run Ansible against servers (``lab up``, ``lab rehearse``,
``servers plan|apply``) are left out: they bring up processes, and their options are
parsed by the same code paths the other commands test.
"""

from __future__ import annotations

import json
import os
import shutil
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.pipeline import Pipeline
from tests.conftest import EXAMPLE

LEFT_OUT = {("lab", "up"), ("lab", "rehearse"), ("servers", "plan"), ("servers", "apply")}
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
               max_size=40)


Command = Any  # typer's (vendored) click command and option classes


def _commands(group: Command, path: tuple[str, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], Command]]:
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*path, name))
        elif (*path, name) not in LEFT_OUT:
            yield (*path, name), cmd


def _valued(opt: Command) -> bool:
    # --inventory and --state choose the world itself (--state also where the lab's
    # connection overrides are): random values there would send commands to the real
    # management addresses of the example
    return bool(opt.param_type_name == "option" and not opt.is_flag
                and opt.name not in ("inventory", "state"))


COMMAND: Command = typer.main.get_command(app)
OPTIONS = [(path, opt) for path, cmd in _commands(COMMAND) for opt in cmd.params if _valued(opt)]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An inventory copy, and a lab override file sending every router to a closed port; the
    working directory is the copy's, so nothing is written into the checkout."""
    base = tmp_path_factory.mktemp("cli-options")
    shutil.copytree(EXAMPLE, base / "inventory")
    state = base / "state"
    (state / "lab").mkdir(parents=True)
    hosts = Pipeline(base / "inventory").intents
    (state / "lab" / "overrides.json").write_text(json.dumps(
        {h: {"host": "127.0.0.1", "port": 9, "username": "x", "password": "x"}
         for h in hosts}))
    old = os.environ.get("PYDRIVER_STATE")
    os.environ["PYDRIVER_STATE"] = str(state)
    cwd = os.getcwd()
    os.chdir(base)  # defaults relative to the working directory (backups/) land here
    try:
        yield base
    finally:
        os.chdir(cwd)
        if old is None:
            os.environ.pop("PYDRIVER_STATE", None)
        else:
            os.environ["PYDRIVER_STATE"] = old


def _value(opt: Command, text: str, base: Path) -> str:
    annotation = opt.type_descriptor.annotation
    if annotation is Path or "Path" in str(annotation):
        return str(base / "out" / (text.replace("/", "_").replace("\\", "_")[:40] or "x"))
    return text


IDS = [f"{' '.join(p)} {o.opts[0]}" for p, o in OPTIONS]
SETTINGS = {"deadline": None, "derandomize": True,
            "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.mark.parametrize(("path", "opt"), OPTIONS, ids=IDS)
@settings(max_examples=2, **SETTINGS)  # type: ignore[arg-type]
@given(text=TEXT)
def test_random_option_value_is_an_error_or_a_result(
        world: Path, path: tuple[str, ...], opt: Command, text: str) -> None:
    _invoke(world, path, opt, text)


@pytest.mark.slow
@pytest.mark.parametrize(("path", "opt"), OPTIONS, ids=IDS)
@settings(max_examples=40, **SETTINGS)  # type: ignore[arg-type]
@given(text=TEXT)
def test_many_random_option_values(
        world: Path, path: tuple[str, ...], opt: Command, text: str) -> None:
    _invoke(world, path, opt, text)


def _invoke(world: Path, path: tuple[str, ...], opt: Command, text: str) -> None:
    args = [*path, opt.opts[0], _value(opt, text, world)]
    if any(p.name == "inventory" for p in _find(path).params):
        args += ["--inventory", str(world / "inventory")]
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"{args!r} raised:\n{tb}")
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)


def _find(path: tuple[str, ...]) -> Command:
    cmd = COMMAND
    for name in path:
        cmd = cmd.commands[name]
    return cmd


def test_every_command_is_covered() -> None:
    """The test above reaches every command that is not left out on purpose."""
    reached = {path for path, _ in OPTIONS}
    every = {path for path, cmd in _commands(COMMAND) if any(_valued(o) for o in cmd.params)}
    assert reached == every and len(every) >= 6, sorted(every)
