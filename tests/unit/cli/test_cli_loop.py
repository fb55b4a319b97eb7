"""The daily loop's rough edges: version, completion, JSON everywhere, the lab named as the
target, lab commands that take --inventory, lab-only secrets as shell exports."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.pipeline import Pipeline


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_version_and_completion() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.startswith("pydriver ")
    code, out, _ = invoke("--help")
    assert "--install-completion" in out and "--show-completion" in out


@pytest.fixture
def lab_state(inv: Path, tmp_path: Path) -> Path:
    """A lab's connection overrides sending every router to a closed local port."""
    state = tmp_path / "state"
    (state / "lab").mkdir(parents=True)
    (state / "lab" / "overrides.json").write_text(json.dumps(
        {h: {"host": "127.0.0.1", "port": 9, "username": "x", "password": "x"}
         for h in Pipeline(inv).intents}))
    return state


def test_plan_drift_and_backup_say_the_target_is_the_lab(inv: Path, lab_state: Path,
                                                          tmp_path: Path) -> None:
    code, out, _ = invoke("plan", "--inventory", str(inv), "--state", str(lab_state))
    assert code == 1  # every router unreachable
    assert "Target: the LAB (19 twin routers of " in out.splitlines()[0]
    code, out, _ = invoke("drift", "--inventory", str(inv), "--state", str(lab_state),
                          "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["target"].startswith("the LAB") and len(data["skipped"]) == 19
    code, out, _ = invoke("backup", "--inventory", str(inv), "--state", str(lab_state),
                          "--format", "json", "--backups", str(tmp_path / "b"))
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["backed_up"] == []


def test_render_json(inv: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("render", "--inventory", str(inv), "--out", str(tmp_path / "b"),
                          "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["routers"] == 19
    assert {f["router"] for f in data["files"]} >= {"rtr-dinkes", "hub-pusdatin-02"}
    assert all(f["changed"] for f in data["files"])
    _, again, _ = invoke("render", "--inventory", str(inv), "--out", str(tmp_path / "b"),
                         "--format", "json")
    assert not any(f["changed"] for f in json.loads(again)["files"])


def test_lab_status_and_down_take_the_inventory(inv: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.delenv("PYDRIVER_STATE", raising=False)
    code, out, _ = invoke("lab", "status", "--inventory", str(inv))
    assert code == 0 and "no lab is running" in out
    code, out, _ = invoke("lab", "status", "--inventory", str(inv), "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = invoke("lab", "down", "--inventory", str(inv))
    assert code == 0 and "lab down" in out


def test_lab_env_prints_lab_only_values_a_shell_can_eval(inv: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIP_")}
    r = subprocess.run([sys.executable, "-m", "pydriver.cli.main", "lab", "env", "--inventory",
                        str(inv)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    exports = [line for line in r.stdout.splitlines() if line.startswith("export ")]
    assert "export JIP_PSK_DINKES=lab-" in r.stdout and len(exports) > 10
    shown = subprocess.run(["bash", "-c", f"eval {shlex.quote(r.stdout)}; "
                                          "echo \"$JIP_RADIUS_SECRET\""],
                           capture_output=True, text=True, env=env, check=True)
    assert shown.stdout.startswith("lab-")
    set_one = {**env, "JIP_RADIUS_SECRET": "from-the-environment"}
    r = subprocess.run([sys.executable, "-m", "pydriver.cli.main", "lab", "env", "--inventory",
                        str(inv)], capture_output=True, text=True, env=set_one, timeout=120)
    assert "JIP_RADIUS_SECRET" not in r.stdout  # what the environment has is left alone
