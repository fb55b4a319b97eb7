"""The README's main job, end to end: the whole example region on a lab twin (emulated
RouterOS and IOS-XE, real FRR routers in network namespaces), planned, applied with its
post-checks, and planned again with nothing left to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pydriver.lab.netns.lab import preflight

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.lab, pytest.mark.netns]


@pytest.mark.skipif(os.geteuid() != 0, reason="linux_frr twins need root")
def test_rehearse_the_example_region(tmp_path: Path) -> None:
    why = preflight()
    if why:
        pytest.skip(why)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIP_")}
    env["PYDRIVER_STATE"] = str(tmp_path / ".pydriver")
    r = subprocess.run([sys.executable, "-m", "pydriver.cli.main", "lab", "rehearse",
                        "--inventory", str(ROOT / "inventory")], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "apply: 19 applied" in r.stdout
    assert "rtr-pkm-tanjung: applied" in r.stdout and "hub-pusdatin-02: applied" in r.stdout
    assert "second plan: no changes" in r.stdout
    assert "lab down" in r.stdout
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert "pd-f" not in netns  # the twins are gone
