"""``lab rehearse --with``: the province and a kabupaten on one lab. The fabric decides the
cross-region tunnel and BGP from both ends' configurations; the province (higher tier)
applies first, the kabupaten's hub starts the SA and must bring the session up. With the
two sides' keys different, that check fails and the kabupaten's hub is rolled back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pydriver.lab.secrets import lab_value
from tests.lab.conftest import ROOT, make_inventory

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def regions(base: Path) -> tuple[Path, Path]:
    province = make_inventory(base / "prov", sites=("dinkes",))
    kab = base / "kab" / "inventory"
    shutil.copytree(ROOT / "examples" / "kabupaten-lombok-barat" / "inventory", kab)
    for site in kab.glob("sites/*.yml"):
        if site.stem != "bpbd":
            site.unlink()
    return province, kab


def rehearse(province: Path, kab: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pydriver.cli.main", "lab", "rehearse", "--inventory",
         str(province), "--with", str(kab), "--skip-platform", "linux_frr"],
        capture_output=True, text=True, timeout=900, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(province.parent)})


def test_both_regions_on_one_lab(tmp_path: Path) -> None:
    province, kab = regions(tmp_path)
    r = rehearse(province, kab)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "region 52.01 joins the lab" in r.stdout
    # the higher tier first, then the lower; both converge
    assert r.stdout.index("region 52: plan:") < r.stdout.index("region 52.01: plan:")
    for code in ("52", "52.01"):
        assert f"region {code}: second plan: no changes" in r.stdout
    assert "ok   region 52 hub-pusdatin-01: BGP to region 52.01 hub-lobar-01 (10.253.1.2)" \
        in r.stdout
    assert "ok   region 52.01 hub-lobar-01: BGP to region 52 hub-pusdatin-01 (10.253.1.1)" \
        in r.stdout
    # the province's vicon bridge zone crosses, and nothing else of the province does
    assert "ok   region 52.01 hub-lobar-01: learned 10.10.10.0/24 from region 52" in r.stdout
    assert "ok   region 52.01 hub-lobar-01: nothing else of region 52's 10.64.0.0/12" \
        in r.stdout
    assert "ok   region 52 hub-pusdatin-01: learned 172.21.128.0/18 from region 52.01" \
        in r.stdout
    assert "FAIL" not in r.stdout
    assert lab_value("JIP_PSK_IC_NTB_LOBAR") not in r.stdout + r.stderr


def test_a_mismatched_key_is_a_failed_check_and_a_rollback(tmp_path: Path) -> None:
    province, kab = regions(tmp_path)
    region = kab / "region.yml"
    region.write_text(region.read_text().replace("env:JIP_PSK_IC_NTB_LOBAR",
                                                 "env:LOBAR_PSK_IC_NTB"))
    r = rehearse(province, kab)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "region 52: second plan" not in r.stdout  # stopped at the failed apply
    hub = [line for line in r.stdout.splitlines() if line.startswith("hub-lobar-01:")]
    assert hub and hub[0].startswith("hub-lobar-01: rolled-back"), r.stdout
    assert "FAIL bgp 10.253.1.1 (ic-provinsi-ntb 52): not established" in r.stdout
    assert "restored byte-identical to its pre-change config" in r.stdout
    assert "lab down" in r.stdout
