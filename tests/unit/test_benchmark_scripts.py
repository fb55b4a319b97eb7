"""The benchmark scripts still run, end to end, at the smallest size.

They are not tests, and nothing else runs them: ``apply_fleet.py`` was once refused by its
own inventory for weeks after the example changed, and its figures could not be taken
again. Each script runs here as a network engineer runs it, into a folder of its own
(``PYDRIVER_BENCH_RESULTS``: the committed figures are never overwritten), and its JSON is
read back for what its table claims. Timings are not checked: they say nothing at this
size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.common import RESULTS_ENV

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(tmp_path: Path, script: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    """``python benchmarks/<script> args``, its generated inventories, temporary folders
    and user cache under ``tmp_path``; the JSON it wrote."""
    results = tmp_path / "results"
    env = {**os.environ, RESULTS_ENV: str(results), "TMPDIR": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, f"benchmarks/{script}", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    written = sorted(results.glob("*.json"))
    assert len(written) == 1, written
    data: dict[str, Any] = json.loads(written[0].read_text())
    assert data["machine"]["cpus"] >= 1
    return data


def test_pipeline_scale(tmp_path: Path) -> None:
    data = _run(tmp_path, "pipeline_scale.py", "--sizes", "100", "--workdir", str(tmp_path))
    (run,) = data["runs"]
    assert run["sites"] == 100 and run["routers"] > 100
    assert set(run["seconds"]) == set(data["stages"])
    assert run["command"]["first_wall"] > 0


def test_plan_scale(tmp_path: Path) -> None:
    data = _run(tmp_path, "plan_scale.py", "--sizes", "100", "--repeat", "1",
                "--workdir", str(tmp_path))
    (run,) = data["runs"]
    assert run["sites"] == 100
    for hub in run["hubs"].values():
        assert set(hub["scenarios"]) == set(data["scenarios"])
        assert all(s["commands"] > 0 for s in hub["scenarios"].values())


def test_plan_incremental(tmp_path: Path) -> None:
    data = _run(tmp_path, "plan_incremental.py", "--sizes", "100", "--repeat", "1",
                "--workdir", str(tmp_path))
    result = data["sizes"]["100"]
    assert result["equal"] is True  # the incremental plan is the full plan
    assert result["rendered_again"] <= 4 < result["routers"]


def test_render_peers(tmp_path: Path) -> None:
    data = _run(tmp_path, "render_peers.py", "--sizes", "100", "--skip-ansible",
                "--workdir", str(tmp_path))
    methods = {row["method"] for row in data["rows"]}
    assert {"pydriver", "nornir_jinja2"} <= methods


def test_invalid_scale(tmp_path: Path) -> None:
    data = _run(tmp_path, "invalid_scale.py", "--sizes", "100", "--every", "10",
                "--workdir", str(tmp_path))
    result = data["sizes"]["100"]
    assert result["broken_files"] == 10
    assert result["broken_files_not_named"] == []
    assert result["valid_problems"] == 0


def test_validate_before_after(tmp_path: Path) -> None:
    data = _run(tmp_path, "validate_before_after.py", ".", ".", "--sizes", "100",
                "--rounds", "1", "--workdir", str(tmp_path))
    runs = data["sizes"]["100"]
    assert set(runs) == {"before", "after"}
    assert len(runs["after"]["first_wall"]) == 1


@pytest.mark.lab
def test_apply_fleet(tmp_path: Path) -> None:
    data = _run(tmp_path, "apply_fleet.py", "--sites", "3", "--workers", "2",
                "--no-ansible", timeout=900)
    assert data["fleet"]["statuses"] == {"applied": 2}
    assert data["fleet"]["sessions"] == 2  # one SSH session per router
    assert data["push"]["lines"] > 100
