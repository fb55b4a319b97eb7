"""A lab of real linux_frr routers: a topology in, running routers (and their logins) out.

``up`` journals every resource before creating it and tears everything down if any step
fails; ``teardown(state_dir)`` needs nothing but the journal, so it also cleans a lab whose
process was killed. A lab description (``lab.json``) lets another process attach to a
running lab for ``status`` and ``down``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from pydriver.deploy.statefile import read_json
from pydriver.errors import LabError
from pydriver.lab.netns import cmd, rootfs, router, wiring
from pydriver.lab.netns.journal import Journal, locked
from pydriver.lab.netns.model import LabEndpoint, NetnsRouter, NetnsTopology

DESCRIPTION = "netns-lab.json"
UP_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class RouterRecord:
    """What a lab keeps about a running router (enough to reach and stop it)."""

    name: str
    netns: str
    anchor: int
    tree: str
    mgmt_host: str
    daemons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RouterStatus:
    name: str
    netns: bool
    processes: tuple[tuple[str, bool], ...]  # (daemon, running), zebra..charon

    @property
    def healthy(self) -> bool:
        return self.netns and all(ok for _, ok in self.processes)


def preflight() -> str | None:
    """Why this machine cannot run the lab (None when it can): not root, or packages missing."""
    if os.geteuid() != 0:
        return "real FRR routers in network namespaces need root"
    need = cmd.missing()
    if need:
        return f"missing Debian packages: {' '.join(need)} (see .ci/netns-deps.sh)"
    return None


class NetnsLab:
    def __init__(self) -> None:
        self.state_dir: Path | None = None
        self.routers: tuple[RouterRecord, ...] = ()
        self.username = "root"
        self.password = ""

    @classmethod
    def attach(cls, state_dir: Path) -> NetnsLab:
        """The lab described in ``state_dir`` (brought up by this or another process)."""
        path = state_dir / DESCRIPTION
        if not path.is_file():
            raise LabError(f"no netns lab is recorded in {state_dir}")
        raw = read_json(path, LabError, "the netns lab's description")
        lab = cls()
        lab.state_dir = state_dir
        try:
            lab.username, lab.password = raw["username"], raw["password"]
            lab.routers = tuple(RouterRecord(**{**r, "daemons": tuple(r["daemons"])})
                                for r in raw["routers"])
        except (KeyError, TypeError, ValueError):
            raise LabError(f"{path}: not a netns lab description (edited or cut short?); "
                           "remove the lab with 'pydriver lab down'") from None
        strings = [lab.username, lab.password] + [
            v for r in lab.routers for v in (r.name, r.netns, r.tree, r.mgmt_host, *r.daemons)]
        if not all(isinstance(v, str) for v in strings) or not all(
                type(r.anchor) is int and r.anchor > 1 for r in lab.routers):
            raise LabError(f"{path}: not a netns lab description (a value of the wrong type)")
        return lab

    def up(self, topology: NetnsTopology, state_dir: Path) -> list[LabEndpoint]:
        why = preflight()
        if why:
            raise LabError(why)
        topology.check()
        with locked(state_dir):
            journal = Journal(state_dir)
            if journal.exists():
                raise LabError(f"{state_dir} already records a netns lab; tear it down first")
            for r in topology.routers:
                if Path("/run/netns", router.netns_name(r.name)).exists():
                    raise LabError(f"namespace {router.netns_name(r.name)} already exists "
                                   "(another lab is running)")
            if wiring.link_exists(topology.mgmt_bridge):
                raise LabError(f"bridge {topology.mgmt_bridge} already exists (another lab "
                               "is running)")
            self.state_dir = state_dir
            self.username, self.password = topology.username, topology.password
            try:
                self.routers = self._up(journal, topology, state_dir)
            except BaseException:
                _teardown(state_dir)
                raise
        return self.endpoints()

    def _up(self, journal: Journal, topology: NetnsTopology,
            state_dir: Path) -> tuple[RouterRecord, ...]:
        journal.add("statedir", "routers")
        journal.add("statedir", "keys")
        hostkey = rootfs.host_key(state_dir / "keys")
        hashed = rootfs.password_hash(topology.password)
        wiring.build(journal, topology)

        def start(r: NetnsRouter) -> RouterRecord:
            tree = rootfs.RouterTree(state_dir / "routers" / r.name)
            rootfs.build(tree, r.system_name, r.mgmt_host, hostkey, topology.username, hashed,
                         r.daemons)
            anchor = router.start_anchor(r.name, tree, r.system_name)
            router.start_daemons(r.name, anchor, tree, r.daemons)
            return RouterRecord(r.name, router.netns_name(r.name), anchor, str(tree.root),
                                r.mgmt_host, r.daemons)

        with ThreadPoolExecutor(max_workers=min(8, len(topology.routers))) as pool:
            records = tuple(pool.map(start, topology.routers))
        _wait_ssh([r.mgmt_host for r in records], time.monotonic() + UP_TIMEOUT)
        description = {"username": topology.username, "password": topology.password,
                       "routers": [asdict(r) for r in records]}
        path = state_dir / DESCRIPTION
        path.write_text(json.dumps(description, indent=2), encoding="utf-8")
        os.chmod(path, 0o600)
        return records

    def endpoints(self) -> list[LabEndpoint]:
        return [LabEndpoint(r.name, r.mgmt_host, 22, self.username, self.password)
                for r in self.routers]

    def record(self, name: str) -> RouterRecord:
        for r in self.routers:
            if r.name == name:
                return r
        raise LabError(f"the lab has no router {name}")

    def host_path(self, name: str, router_path: str) -> Path:
        """Where a router's private file (e.g. /etc/frr/frr.conf) lives on the host."""
        return rootfs.RouterTree(Path(self.record(name).tree)).host_path(router_path)

    def run(self, name: str, command: str, timeout: float = 20.0,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a shell command as root on the router, as its console would (not over SSH)."""
        r = self.record(name)
        if not Path(f"/proc/{r.anchor}").exists():
            raise LabError(f"router {name} is not running")
        return cmd.run([*router.enter(r.anchor), "/bin/sh", "-c", command], timeout=timeout,
                       check=check)

    def status(self) -> list[RouterStatus]:
        out = []
        for r in self.routers:
            tree = rootfs.RouterTree(Path(r.tree))
            alive = Path("/run/netns", r.netns).exists()
            procs = [(d, _pid_alive(tree.host_path(f"/run/frr/{d}.pid"), r.netns))
                     for d in ("zebra", *r.daemons)]
            procs.append(("sshd", _pid_alive(tree.host_path("/run/sshd.pid"), r.netns)))
            procs.append(("charon", _pid_alive(tree.host_path("/run/charon.pid"), r.netns)))
            out.append(RouterStatus(r.name, alive, tuple(procs)))
        return out

    def down(self) -> None:
        if self.state_dir is not None:
            teardown(self.state_dir)
        self.routers = ()


def _pid_alive(pid_file: Path, netns: str) -> bool:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    return pid in router.netns_pids(netns)


def _wait_ssh(hosts: list[str], deadline: float) -> None:
    for host in hosts:
        while True:
            try:
                with socket.create_connection((host, 22), timeout=0.5) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise LabError(f"sshd on {host}:22 does not answer")
            time.sleep(0.02)


def teardown(state_dir: Path) -> None:
    """Remove everything the journal in ``state_dir`` records; safe to repeat, and after a crash.

    Order matters: processes first (a process keeps its namespace alive), then namespaces
    (which takes their veths and bridges along), then root-namespace links, then directories.
    """
    if not state_dir.is_dir():
        return
    with locked(state_dir):
        _teardown(state_dir)


def _teardown(state_dir: Path) -> None:
    journal = Journal(state_dir)
    records = journal.records()
    problems: list[str] = []
    for rec in reversed(records):
        try:
            if rec.kind == "netns":
                router.kill_all(rec.name)
                if Path("/run/netns", rec.name).exists():
                    cmd.run(["ip", "netns", "del", rec.name])
            elif rec.kind == "link":
                wiring.delete_link(rec.name)
            elif rec.kind == "statedir" and (state_dir / rec.name).exists():
                shutil.rmtree(state_dir / rec.name)
        except (LabError, OSError) as exc:
            problems.append(str(exc))
    if problems:
        raise LabError("the netns lab was not removed completely:\n  " +
                       "\n  ".join(problems))
    (state_dir / DESCRIPTION).unlink(missing_ok=True)
    journal.remove()
