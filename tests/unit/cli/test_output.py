"""What the CLI prints when the source of truth is hostile: JSON on every failure path of
``validate --format json``, located render errors, and text that rich never reads as markup
or emoji codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pydriver.cli.common import fail
from pydriver.cli.main import app
from pydriver.errors import PlanError, RenderError
from pydriver.pipeline import Pipeline
from pydriver.platforms.base import PlatformDriver
from pydriver.sot.models import Platform
from tests.conftest import Edit

pytestmark = pytest.mark.usefixtures("in_tmp")


def validate(*args: str) -> Any:
    return CliRunner().invoke(app, ["validate", "--inventory", "inventory", *args])


@pytest.mark.parametrize("value", ["'[/x]'", "'[blink]x'", "'[red]x[/red]'", "':warning:'",
                                   "'[link=http://x]y[/link]'"])
def test_text_output_prints_values_as_written(inv: Path, edit: Edit, value: str) -> None:
    edit("sites/bappeda.yml", "hub: hub-pusdatin-01", f"hub: {value}")
    result = validate()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    shown = value.strip("'")
    assert f"(got '{shown}')" in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_json_on_source_errors(inv: Path, edit: Edit) -> None:
    edit("sites/bappeda.yml", "hub: hub-pusdatin-01", "hub: '[/x]'")
    result = validate("--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    (p,) = report["problems"]
    assert report["ok"] is False and p["file"] == "inventory/sites/bappeda.yml"
    assert p["line"] == 14 and p["column"] == 5 and p["code"] == "schema"


def test_json_when_the_inventory_is_missing(tmp_path: Path) -> None:
    result = validate("--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["ok"] is False
    assert report["problems"][0]["message"] == "inventory directory not found"


def test_json_on_success(inv: Path) -> None:
    result = validate("--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "sites": 16, "hubs": 3, "routers": 19}


def test_unknown_format_is_refused(inv: Path) -> None:
    result = validate("--format", "xml")
    assert result.exit_code == 1 and "expected text or json" in result.stderr


def test_every_error_is_json_with_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    for exc in (RenderError("rtr-x", "site.rsc.j2: boom [/x]"), PlanError("stale [b]plan")):
        with pytest.raises(typer.Exit) as info:
            fail(exc, "json")
        assert info.value.exit_code == 1
        report = json.loads(capsys.readouterr().out)
        (p,) = report["problems"]
        assert report["ok"] is False and "[" in p["message"]
    with pytest.raises(typer.Exit):
        fail(PlanError("stale [/b] plan :warning:"))
    assert "stale [/b] plan :warning:" in capsys.readouterr().err


class _MissingTemplates:
    """A real driver whose template files do not exist: rendering it fails."""

    files = (("config", "{role}.missing.j2"),)

    def __init__(self, real: PlatformDriver) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _BrokenIOS(Pipeline):
    @staticmethod
    def driver(platform: Platform | str) -> Any:
        real = Pipeline.driver(platform)
        return _MissingTemplates(real) if platform == Platform.CISCO_IOS else real


@pytest.mark.parametrize("how", ["rendered", "checked", "checked in workers"])
def test_render_errors_are_located_at_the_router(inv: Path, how: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether the configs are kept (render) or only checked (validate), in this process
    or in forked workers: the first router that cannot render, located in the source."""
    pipe = _BrokenIOS(inv)
    if how == "checked in workers":
        monkeypatch.setattr("pydriver.render.render.WORTH_FORKING", 1)
        monkeypatch.setenv("PYDRIVER_PROCESSES", "2")
    with pytest.raises(RenderError) as info:
        if how == "rendered":
            assert pipe.rendered
        else:
            pipe.check_rendering()
    exc = info.value
    assert exc.host == "hub-pusdatin-01" and exc.location is not None
    region = (inv / "region.yml").read_text().splitlines()
    line = next(n for n, text in enumerate(region, 1) if "hostname: hub-pusdatin-01" in text)
    assert (exc.location.file, exc.location.line) == ("inventory/region.yml", line)
    assert "site.missing.j2" not in exc.message and "hub.missing.j2" in exc.message
    assert str(exc).startswith(f"inventory/region.yml:{line}:")
