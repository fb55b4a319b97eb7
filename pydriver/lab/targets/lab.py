"""A lab of real Debian targets for the Ansible roles: servers in, running targets out.

``up`` journals every resource before creating it (the bridge, the proxy, each overlay mount
and each container) and tears everything down if any step fails. ``teardown(state_dir)``
needs nothing but the journal, so it also cleans up after a process that was killed; it
finishes by deleting the state directory, which belongs to the lab alone. A description
(``targets-lab.json``) lets another process attach to a running lab for ``status`` and
``down``: ``TargetLab(state_dir)`` reads it when it is there.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import time
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run
from pydriver.lab.netns.journal import Journal, locked
from pydriver.lab.targets import host, image, machine, network, proxy
from pydriver.lab.targets.model import (
    USER,
    LabStatus,
    Plan,
    Target,
    TargetSpec,
    TargetStatus,
    UpTimings,
    plan,
)

JOURNAL = "targets-lab.jsonl"
KINDS = ("link", "rule", "mount", "proc")
DESCRIPTION = "targets-lab.json"
BOOT_TIMEOUT = 120.0  # seven targets booting at once on two shared cores, with margin
STOP_TIMEOUT = 15.0  # a clean poweroff of every target, before SIGKILL


def journal(state_dir: Path) -> Journal:
    return Journal(state_dir, JOURNAL, KINDS)


class TargetLab:
    """The targets lab whose state lives in ``state_dir`` (one lab per directory).

    The image cache defaults to ``$PYDRIVER_TARGET_CACHE`` or ~/.cache/pydriver/targets.
    """

    def __init__(self, state_dir: Path, cache_dir: Path | None = None, *,
                 recipe: image.ImageRecipe = image.RECIPE, bridge: str = network.BRIDGE,
                 boot_timeout: float = BOOT_TIMEOUT) -> None:
        self.state_dir = state_dir.absolute()
        self.cache_dir = cache_dir or image.cache_dir()
        self.recipe = recipe
        self.bridge = bridge
        self.boot_timeout = boot_timeout
        self.timings: UpTimings | None = None
        self._targets: tuple[Target, ...] = ()
        self._children: list[subprocess.Popen[bytes]] = []  # reaped by down()
        described = self.state_dir / DESCRIPTION
        if described.is_file():
            raw = json.loads(described.read_text(encoding="utf-8"))
            self.bridge = raw["bridge"]
            self._targets = tuple(_target(t) for t in raw["targets"])

    @property
    def targets(self) -> tuple[Target, ...]:
        return self._targets

    def target(self, name: str) -> Target:
        for t in self._targets:
            if t.name == name:
                return t
        raise LabError(f"the targets lab has no target {name}")

    # -- up ------------------------------------------------------------------------------

    def up(self, servers: Sequence[TargetSpec | tuple[str, str | IPv4Interface]],
           reserved: Collection[IPv4Address] = (), admin: IPv4Address | None = None,
           ) -> tuple[Target, ...]:
        """Boot one target per server and return once every target's sshd answers.

        ``reserved`` are addresses the lab must not take for its gateways (routers and other
        hosts of the source of truth in the same zones). ``admin``, if given, is the address
        this host reaches the targets from (see ``network.create``).
        """
        why = host.preflight()
        if why:
            raise LabError(why)
        checked = plan(servers, reserved)
        with locked(self.state_dir):
            if any(self.state_dir.iterdir()):
                raise LabError(f"{self.state_dir} is not empty (a lab is recorded there, or "
                               "it is not a lab's directory); bring that lab down first")
            try:
                network.check_free(self.bridge, [s.address.ip for s in checked.specs]
                                   + ([admin] if admin is not None else []),
                                   list(checked.gateways.values()))
                self._targets = self._up(checked, admin)
            except BaseException:
                _teardown(self.state_dir)
                self._targets = ()
                self._reap()
                raise
        return self._targets

    def _up(self, checked: Plan, admin: IPv4Address | None) -> tuple[Target, ...]:
        started = time.monotonic()
        j = journal(self.state_dir)
        image_path, built = image.ensure(self.recipe, self.cache_dir)
        t_image = time.monotonic()
        # the image and every target's changes live in memory: the lab is thrown away, and a
        # virtual disk makes unpacking and dpkg many times slower
        fs = self.state_dir / "fs"
        fs.mkdir()
        j.add("mount", str(fs))
        run(["mount", "-t", "tmpfs", "-o", "mode=0755", "pydriver-targets", str(fs)])
        lower = fs / "image"
        image.unpack(image_path, lower)
        t_unpack = time.monotonic()

        ssh_dir = self.state_dir / "ssh"
        ssh_dir.mkdir(mode=0o700)
        key = ssh_dir / "id_ed25519"
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pydriver-targets-lab",
             "-f", str(key)])
        authorized = key.with_suffix(".pub").read_text(encoding="utf-8")

        gateways = list(checked.gateways.values())
        network.create(j, self.bridge, self.state_dir, gateways,
                       [s.address for s in checked.specs], admin)
        self._children.append(proxy.start(j, self.state_dir, self.cache_dir / "apt-cacher-ng",
                                          [g.ip for g in gateways]))
        t_network = time.monotonic()

        def prepare(spec: TargetSpec) -> list[str]:
            d = _dir(self.state_dir, spec.name)
            machine.mount(j, d, lower)
            gw = checked.gateway(spec).ip
            return machine.personalise(d, spec.name, spec.address, gw, proxy.url(gw),
                                       authorized)

        with ThreadPoolExecutor(max_workers=min(4, len(checked.specs))) as pool:
            host_keys = list(pool.map(prepare, checked.specs))
        known = ssh_dir / "known_hosts"
        known.write_text("".join(f"{s.address.ip} {k}\n"
                                 for s, keys in zip(checked.specs, host_keys, strict=True)
                                 for k in keys), encoding="utf-8")

        boots: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
        for spec in checked.specs:
            proc = machine.boot(j, _dir(self.state_dir, spec.name), spec.name, self.bridge)
            self._children.append(proc)
            boots[spec.name] = (proc, time.monotonic())
        deadline = time.monotonic() + self.boot_timeout
        boot_times: dict[str, float] = {}
        for spec in checked.specs:  # sshd answers in boot order or near it: poll in turn
            proc, t0 = boots[spec.name]
            machine.wait_ssh(spec.name, spec.address.ip, proc,
                             _dir(self.state_dir, spec.name), deadline)
            boot_times[spec.name] = round(time.monotonic() - t0, 3)

        targets = tuple(Target(s.name, s.address, checked.gateway(s).ip, USER, key, known)
                        for s in checked.specs)
        description = {"bridge": self.bridge,
                       "targets": [{**asdict(t), "interface": str(t.interface),
                                    "gateway": str(t.gateway), "ssh_key": str(t.ssh_key),
                                    "known_hosts": str(t.known_hosts)} for t in targets]}
        (self.state_dir / DESCRIPTION).write_text(json.dumps(description, indent=2),
                                                  encoding="utf-8")
        end = time.monotonic()
        self.timings = UpTimings(round(t_image - started, 3), built,
                                 round(t_unpack - t_image, 3), round(t_network - t_unpack, 3),
                                 boot_times, round(end - started, 3))
        return targets

    # -- running lab -----------------------------------------------------------------------

    def status(self) -> LabStatus:
        procs = host.processes()
        out = []
        for t in self._targets:
            d = _dir(self.state_dir, t.name)
            alive = machine.leader(d, procs) is not None
            out.append(TargetStatus(t.name, alive, alive and machine.ssh_answers(t.address),
                                    machine.memory_kib(d, procs)))
        marker = str(proxy.conf_dir(self.state_dir))
        return LabStatus(network.owner(self.bridge) == str(self.state_dir),
                         any(host.mentions(p, marker) for p in procs), tuple(out))

    def run(self, name: str, command: str, timeout: float = 60.0,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a shell command as root in the target, as its console would (not over SSH)."""
        self.target(name)
        pid = machine.leader(_dir(self.state_dir, name))
        if pid is None:
            raise LabError(f"target {name} is not running")
        return run(["nsenter", f"--target={pid}", "--mount", "--uts", "--ipc", "--net",
                    "--pid", "--root", "--wd", "/bin/sh", "-c", command],
                   timeout=timeout, check=check)

    def down(self) -> None:
        try:
            teardown(self.state_dir)
        finally:
            self._targets = ()
            self._reap()

    def _reap(self) -> None:
        """Collect the exit status of the processes this object started (no zombies)."""
        for child in self._children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=1)
        self._children = [c for c in self._children if c.returncode is None]


def _dir(state_dir: Path, name: str) -> machine.MachineDir:
    return machine.MachineDir(state_dir / "fs" / "targets" / name)


def _target(raw: dict[str, str]) -> Target:
    return Target(raw["name"], IPv4Interface(raw["interface"]), IPv4Address(raw["gateway"]),
                  raw["user"], Path(raw["ssh_key"]), Path(raw["known_hosts"]))


def teardown(state_dir: Path) -> None:
    """Remove everything the journal in ``state_dir`` records, then the directory itself.

    Safe to repeat, and after a crash. Order matters: processes first (a container keeps its
    overlay busy), then mounts, then the bridge (its addresses and routes go with it), then
    the files.
    """
    state_dir = state_dir.absolute()
    if not state_dir.is_dir():
        return
    with locked(state_dir):
        _teardown(state_dir)


def _teardown(state_dir: Path) -> None:
    records = journal(state_dir).records()
    problems: list[str] = []
    markers = [r.name for r in records if r.kind == "proc"]
    if markers:
        # SIGTERM to systemd-nspawn powers its container off cleanly; to apt-cacher-ng, stops
        # it. A container whose systemd-nspawn is gone is asked directly (SIGRTMIN+3 is
        # systemd's poweroff). Whatever is left at the deadline is killed: the container's
        # leader first (its pid namespace dies with it), then everything else still there.
        procs = host.processes()
        host.signal_all((p.pid for m in markers for p in procs if host.mentions(p, m)),
                        signal.SIGTERM)
        host.signal_all((p.pid for m in markers for p in host.owned(m, procs)
                         if p.ns_pid == 1 and p.pid != 1), signal.SIGRTMIN + 3)
        left = host.wait_gone(markers, time.monotonic() + STOP_TIMEOUT)
        if left:
            host.signal_all((p.pid for p in left if p.ns_pid == 1), signal.SIGKILL)
            host.signal_all((p.pid for p in left), signal.SIGKILL)
            left = host.wait_gone(markers, time.monotonic() + 5)
        if left:
            problems.append("processes still running: " +
                            ", ".join(f"{p.pid} ({' '.join(p.argv[:1])})" for p in left))
    bridge = next((r.name for r in records if r.kind == "link"), network.BRIDGE)
    for rec in reversed(records):
        try:
            if rec.kind == "mount":
                host.unmount_all(Path(rec.name), time.monotonic() + 5)
            elif rec.kind == "rule" and network.owner(bridge) in (None, str(state_dir)):
                network.delete_rule(int(rec.name), bridge)
            elif rec.kind == "link":
                network.delete(rec.name, state_dir)
        except (LabError, OSError) as exc:
            problems.append(str(exc))
    if not problems:
        try:
            host.unmount_all(state_dir, time.monotonic() + 5)
            for entry in state_dir.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    host.remove_tree(entry)
                else:
                    entry.unlink()
            state_dir.rmdir()
        except (LabError, OSError) as exc:
            problems.append(str(exc))
    if problems:
        raise LabError("the targets lab was not removed completely:\n  " +
                       "\n  ".join(problems))
