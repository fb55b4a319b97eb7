"""`pydriver servers`: the inventory command, and nothing started when a secret is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("JIP_")}
    return subprocess.run([sys.executable, "-m", "pydriver.cli.main", "servers", *args],
                          cwd=ROOT, env={**base, **(env or {})}, capture_output=True,
                          text=True, timeout=120)


def test_inventory_prints_ansible_list_form() -> None:
    proc = _cli("inventory")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    # every value from the source of truth is marked unsafe, as ansible-inventory prints it
    assert data["_meta"]["hostvars"]["dns-01"]["ansible_host"] == \
        {"__ansible_unsafe": "10.10.10.53"}
    assert data["all"]["vars"]["jip_radius_secret"] == \
        "{{ lookup('ansible.builtin.env', 'JIP_RADIUS_SECRET') }}"
    assert data["dns"]["hosts"] == ["dns-01", "dns-02"]


def test_missing_secret_fails_before_ansible_starts(tmp_path: Path) -> None:
    proc = _cli("apply", "--limit", "ntp-01", env={"PYDRIVER_STATE": str(tmp_path)})
    assert proc.returncode == 1
    assert "env:JIP_ADMIN_LALU_AHMAD" in proc.stderr and "not set" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "audit.jsonl").exists()  # nothing ran, nothing recorded


def test_broken_source_of_truth_names_file_and_line(tmp_path: Path) -> None:
    inv = tmp_path / "inventory"
    (inv / "sites").mkdir(parents=True)
    (inv / "region.yml").write_text((ROOT / "inventory" / "region.yml").read_text())
    (inv / "servers.yml").write_text("servers:\n  - {name: ntp-01, address: 10.10.10.300}\n")
    proc = _cli("inventory", "--inventory", str(inv))
    assert proc.returncode == 1
    assert "servers.yml:2" in proc.stderr
