"""The CLI as a user runs it: a real process, exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Edit

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # this checkout's pydriver, from whichever directory the command runs in
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "pydriver.cli.main", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120, env=env)


def test_validate_ok(example: Path) -> None:
    r = run("validate", "--inventory", str(example))
    assert r.returncode == 0, r.stderr
    assert "16 sites, 3 hubs, 19 routers" in r.stdout


def test_validate_lists_every_error_and_exits_1(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "capacity_mbps: 200", "capacity_mbps: lots")
    edit("region.yml", "pfs: true", "pfs: false")
    (inv / "sites" / "zz.yml").write_text("id: [\n")
    r = run("validate", "--inventory", str(inv))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert "inventory/sites/dinkes.yml:" in r.stderr
    assert "inventory/region.yml:" in r.stderr and "PFS" in r.stderr
    assert "inventory/sites/zz.yml:" in r.stderr
    assert "3 problem(s) found" in r.stderr


def test_validate_json(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "hub: hub-drc-01", "hub: hub-x")
    r = run("validate", "--inventory", "inventory", "--format", "json", cwd=inv.parent)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["ok"] is False
    (p,) = data["problems"]
    assert p["file"] == "inventory/sites/dinkes.yml" and p["line"] > 1 and p["column"] > 1
    assert p["code"] == "reference"


def test_missing_inventory_is_an_error(tmp_path: Path) -> None:
    r = run("validate", "--inventory", str(tmp_path / "nope"))
    assert r.returncode == 1 and "inventory directory not found" in r.stderr


def test_render_writes_one_directory_per_router(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    r = run("render", "--inventory", str(example), "--out", str(out))
    assert r.returncode == 0, r.stderr
    dirs = sorted(p.name for p in out.iterdir())
    assert len(dirs) == 19 and "rtr-dinkes" in dirs
    assert (out / "rtr-pkm-tanjung" / "swanctl.conf").is_file()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert run("render", "--inventory", str(example), "--out", str(out)).returncode == 0
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_render_refuses_bad_inventory_and_writes_nothing(inv: Path, edit: Edit,
                                                         tmp_path: Path) -> None:
    edit("sites/dinkes.yml", "hub: hub-drc-01", "hub: hub-x")
    out = tmp_path / "build"
    r = run("render", "--inventory", str(inv), "--out", str(out))
    assert r.returncode == 1 and not out.exists()


def _ends(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run in a process of its own, ending through the CLI's way out."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env=env)


def test_the_way_out_runs_what_is_due_at_exit_and_keeps_the_code(tmp_path: Path) -> None:
    """The process ends without tearing its heap down, but after the handlers registered
    to run at exit (a temporary folder's clean-up among them), with its output flushed
    and its exit code."""
    r = _ends("import atexit, sys, tempfile\n"
              "from pydriver.cli.main import leave\n"
              "kept = tempfile.TemporaryDirectory(dir='.')\n"
              "open('made', 'w').write(kept.name)\n"
              "atexit.register(lambda: open('atexit-ran', 'w').write('yes'))\n"
              "sys.stdout.write('x' * 200000)\n"
              "leave(2)\n", tmp_path)
    assert r.returncode == 2, r.stderr
    assert len(r.stdout) == 200000
    assert (tmp_path / "atexit-ran").read_text() == "yes"
    assert not Path((tmp_path / "made").read_text()).exists()


def test_the_way_out_waits_for_a_thread_still_at_work(tmp_path: Path) -> None:
    r = _ends("import threading, time\n"
              "from pydriver.cli.main import leave\n"
              "def work():\n"
              "    time.sleep(0.5)\n"
              "    open('done', 'w').write('yes')\n"
              "threading.Thread(target=work).start()\n"
              "leave(None)\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "done").read_text() == "yes"
    r = _ends("from pydriver.cli.main import leave\nleave('a message')\n", tmp_path)
    assert r.returncode == 1 and "a message" in r.stderr


def test_output_that_cannot_be_written_is_never_a_success(tmp_path: Path) -> None:
    """A plan written to a full disk must not end with 0 and half a file."""
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
           "PYTHONPATH": os.pathsep.join(
               [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-c", "import sys\n"
                            "from pydriver.cli.main import leave\n"
                            "sys.stdout.write('x' * 100)\nleave(0)\n"],
                           stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                           timeout=120, env=env)
    assert r.returncode == 120
    assert "could not be written" in r.stderr
