"""Lab fixtures: a small copy of the example region, its lab, and the secrets to push."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ("dinkes", "dishub", "bpkad", "kec-ampenan", "bpbd", "pkm-tanjung", "wifi-alun-alun")


def secret_env(inventory: Path) -> dict[str, str]:
    """A value for every env: reference the inventory uses (lab values, never real ones)."""
    text = "\n".join(p.read_text() for p in inventory.rglob("*.yml"))
    names = set(re.findall(r"env:([A-Z][A-Z0-9_]*)", text))
    codes = [p.stem.upper().replace("-", "_") for p in (inventory / "sites").glob("*.yml")]
    names |= {f"JIP_PSK_{c}" for c in codes}
    names.discard("JIP_PSK_")
    return {n: f"lab-{n.lower().replace('_', '-')}" for n in sorted(names)}


@dataclass
class Lab:
    inventory: Path
    state: Path
    env: dict[str, str]
    cwd: Path

    def cli(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pydriver.cli.main", *args, "--inventory",
             str(self.inventory)] if args[0] not in ("lab",) else
            [sys.executable, "-m", "pydriver.cli.main", *args],
            cwd=self.cwd, env={**self.env, **(env or {})}, capture_output=True, text=True,
            timeout=timeout)


def make_inventory(dest: Path, sites: tuple[str, ...] = SUBSET) -> Path:
    inv = dest / "inventory"
    (inv / "sites").mkdir(parents=True)
    for name in ("region.yml", "servers.yml"):
        shutil.copy(ROOT / "inventory" / name, inv / name)
    for code in sites:
        shutil.copy(ROOT / "inventory" / "sites" / f"{code}.yml", inv / "sites" / f"{code}.yml")
    return inv


@pytest.fixture(scope="module")
def ios_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The subset's IOS-XE routers emulated (one emulated minute = 2 s), hubs applied."""
    from pydriver.lab import manage

    base = tmp_path_factory.mktemp("ioslab")
    inv = make_inventory(base)
    state = base / ".pydriver"
    env = {**os.environ, **secret_env(inv), "PYDRIVER_STATE": str(state),
           "PYDRIVER_OPERATOR": "lab-test"}
    old = {k: os.environ.get(k) for k in ("PYDRIVER_STATE",)}
    os.environ["PYDRIVER_STATE"] = str(state)
    try:
        manage.up(inv, state, {"linux_frr", "mikrotik_routeros"}, minute_seconds=2.0)
        yield Lab(inv, state, env, base)
    finally:
        manage.down(state)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
