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
from typing import Any

import pytest

from pydriver.lab import control, manage
from pydriver.lab.model import LAB_SECRET
from pydriver.lab.netns import preflight
from pydriver.pipeline import Pipeline
from pydriver.platforms.registry import driver

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ("dinkes", "dishub", "bpkad", "kec-ampenan", "bpbd", "pkm-tanjung", "wifi-alun-alun")

#: what the real FRR routers in namespaces need (root, FRR, strongSwan): a netns test module
#: carries this mark, and is skipped with the reason when the machine cannot run it
NETNS_WHY_NOT = preflight()
NETNS = [pytest.mark.netns,
         pytest.mark.skipif(NETNS_WHY_NOT is not None, reason=NETNS_WHY_NOT or "")]


def secret_env(inventory: Path) -> dict[str, str]:
    """A value for every env: reference the inventory uses (lab values, never real ones)."""
    text = "\n".join(p.read_text() for p in inventory.rglob("*.yml"))
    names = set(re.findall(r"env:([A-Z][A-Z0-9_]*)", text))
    codes = [p.stem.upper().replace("-", "_") for p in (inventory / "sites").glob("*.yml")]
    names |= {f"JIP_PSK_{c}" for c in codes}
    names.discard("JIP_PSK_")
    return {n: f"lab-{n.lower().replace('_', '-')}" for n in sorted(names)}


def lab_env(inventory: Path, state: Path) -> dict[str, str]:
    """What the CLI runs with in a lab test: lab secrets, the lab's own state directory."""
    return {**os.environ, **secret_env(inventory), "PYDRIVER_STATE": str(state),
            "PYDRIVER_OPERATOR": "lab-test"}


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

    def control(self, op: str, **args: Any) -> Any:
        """One request to the running lab's daemon (fault knobs, counters, consoles, fabric)."""
        return control.request(manage.control_socket(self.state), op, **args)

    def faults(self, host: str, **knobs: Any) -> dict[str, Any]:
        return manage.faults(self.state, host, **knobs)

    def fabric(self, query: str, host: str, *args: str) -> bool:
        """What the lab's network model says (ipsec_up, tunnel_up, bgp_established, ping)."""
        return bool(self.control("fabric", name=host, query=query, args=list(args)))

    def platform(self, host: str) -> str:
        return next(r.platform for r in manage.status(self.state) if r.name == host)

    def console(self, host: str, line: str) -> str:
        """What ``line`` prints on ``host``'s console (IOS: privileged, unpaged)."""
        first = ["enable", LAB_SECRET, "terminal length 0"] \
            if self.platform(host) == "cisco_ios" else []
        return str(self.control("run", name=host, lines=[*first, line])[-1])

    def running(self, host: str) -> str:
        """``host``'s running config, normalised as pydriver compares it (secrets in clear)."""
        ios = self.platform(host) == "cisco_ios"
        text = self.console(host, "show running-config" if ios else "/export show-sensitive")
        return driver(self.platform(host)).normalise(text)


def make_inventory(dest: Path, sites: tuple[str, ...] = SUBSET) -> Path:
    inv = dest / "inventory"
    (inv / "sites").mkdir(parents=True)
    for name in ("region.yml", "servers.yml", "waivers.yml", "registry.yml"):
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
    env = lab_env(inv, state)
    old = {k: os.environ.get(k) for k in ("PYDRIVER_STATE",)}
    os.environ["PYDRIVER_STATE"] = str(state)
    try:
        manage.up(Pipeline(inv), state, {"linux_frr", "mikrotik_routeros"}, minute_seconds=2.0)
        yield Lab(inv, state, env, base)
    finally:
        manage.down(state)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
