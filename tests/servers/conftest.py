"""Real Debian targets for the Ansible roles: the inventory's servers, booted once per session.

Tests ask ``servers_lab`` for the servers they need (all of them by default); the session
keeps one lab up and reuses it for every test whose servers it already has. Only one targets
lab can run on a machine (the servers' addresses are the source of truth's), so a test that
needs its own lab first calls ``release()``. Everything is torn down at the end of the
session, whatever happened in the tests.

One machine, one targets lab: the session takes a machine-wide lock before its first lab, so
a second pytest process (another run, or an xdist worker) waits for it instead of failing on
the bridge, and a run that was killed half-way is torn down by the next one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from pydriver.lab.targets import (
    TargetLab,
    admin_address,
    preflight,
    reserved_addresses,
    target_specs,
    teardown,
)
from pydriver.lab.targets.network import BRIDGE, delete, owner
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Network
from tests.conftest import machine_lock

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
# Fixed, so the next run finds what a killed run left. Private to the user (root) that
# runs the lab: a folder someone else made or can write is refused, not trusted.
BASE = Path(tempfile.gettempdir()) / "pydriver-servers-tests"
# One per bridge and machine, whatever TMPDIR says; /run is root's (so is the lab).
LOCK = Path("/run") / f"pydriver-targets-{BRIDGE}-lock"
LOCK_WAIT = 1800.0  # a whole servers module of another process, with room to spare


class ServersLab:
    """The session's targets lab: brought up on demand, torn down at the end."""

    def __init__(self, base: Path, network: Network) -> None:
        self.base = base
        self.network = network
        self.lab: TargetLab | None = None
        self.names: frozenset[str] = frozenset()
        self.count = 0

    def up(self, names: Collection[str] | None = None) -> TargetLab:
        """A running lab with at least the servers in ``names`` (default: every server)."""
        want = frozenset(names) if names is not None else \
            frozenset(s.name for s in self.network.servers)
        if self.lab is not None and want <= self.names:
            return self.lab
        self.release()
        self.count += 1
        lab = TargetLab(self.base / f"lab{self.count}")
        lab.up(target_specs(self.network, want), reserved_addresses(self.network),
               admin_address(self.network))
        self.lab, self.names = lab, want
        return lab

    def release(self) -> None:
        if self.lab is not None:
            lab, self.lab, self.names = self.lab, None, frozenset()
            lab.down()

    def fresh_state_dir(self, name: str) -> Path:
        """``name`` under the session's folder, emptied of whatever an earlier test left."""
        teardown(self.base / name)
        return self.base / name


@pytest.fixture(scope="session")
def network() -> Network:
    return Pipeline(ROOT / "inventory").network


def private(base: Path) -> str | None:
    """Make ``base`` (mode 0700); why it cannot be trusted, if so: the labs' journals in it
    tell root what to unmount, kill and delete."""
    base.mkdir(mode=0o700, exist_ok=True)
    st = base.lstat()
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return f"{base} is not a folder of this user: remove it"
    base.chmod(0o700)  # ours, so only we could write in it; private from now on
    return None


def clear_leftovers(base: Path) -> None:
    """Tear down the labs an earlier, killed run left under ``base``, and their bridge.

    Called with the lock held, so no live test process owns any of them. A bridge made by
    a lab outside the tests' folder (an engineer's own, another checkout's) is left alone:
    ``up`` then refuses with the command that brings it down.
    """
    for state in sorted(p for p in base.iterdir() if p.is_dir()):
        teardown(state)
    made_by = owner(BRIDGE)
    if made_by and Path(made_by).is_relative_to(base):
        delete(BRIDGE, Path(made_by))  # its folder was gone: the bridge outlived it


@pytest.fixture(scope="session")
def servers_lab(network: Network) -> Iterator[ServersLab]:
    why = preflight()
    if why:
        pytest.skip(why)
    with machine_lock(LOCK, LOCK_WAIT, "the targets lab"):
        why = private(BASE)
        if why:
            pytest.skip(why)
        clear_leftovers(BASE)
        labs = ServersLab(BASE, network)
        try:
            yield labs
        finally:
            labs.release()


@pytest.fixture
def all_targets(servers_lab: ServersLab) -> TargetLab:
    """A lab with one target per server of the inventory."""
    return servers_lab.up()


def venv_env() -> dict[str, str]:
    """The environment for the venv's ansible: its bin first on PATH (ansible-runner too)."""
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
