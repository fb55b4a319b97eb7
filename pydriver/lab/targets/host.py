"""The host side of the targets lab: the tools it needs, its processes, its mounts.

Processes and mounts are found from /proc, never from remembered pids: a lab abandoned by a
crashed process is found again by the paths it used (a target's root directory, the proxy's
configuration directory), which stay unique to one lab and cannot be reused by an unrelated
process the way a pid can.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run

TOOLS = {
    "debootstrap": "debootstrap",
    "systemd-nspawn": "systemd-container",
    "systemctl": "systemd",
    "apt-cacher-ng": "apt-cacher-ng",
    "zstd": "zstd",
    "tar": "tar",
    "ip": "iproute2",
    "ssh": "openssh-client",
    "ssh-keygen": "openssh-client",
    "mount": "mount",
    "umount": "mount",
    "nsenter": "util-linux",
    "chroot": "coreutils",
}
FILES = {"/usr/share/keyrings/debian-archive-keyring.gpg": "debian-archive-keyring"}


def missing() -> list[str]:
    """Debian packages the lab needs that are not installed (empty when all are there)."""
    need = {pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None}
    need |= {pkg for path, pkg in FILES.items() if not Path(path).exists()}
    return sorted(need)


def preflight() -> str | None:
    """Why this machine cannot run the targets lab (None when it can)."""
    if os.geteuid() != 0:
        return "real Debian targets (systemd-nspawn, a bridge, overlay mounts) need root"
    need = missing()
    if need:
        return f"missing Debian packages: {' '.join(need)} (see .ci/servers-deps.sh)"
    try:
        filesystems = Path("/proc/filesystems").read_text(encoding="utf-8")
    except OSError:
        filesystems = ""
    if "overlay" not in filesystems.split():
        if shutil.which("modprobe"):
            run(["modprobe", "overlay"], check=False)
        if "overlay" not in Path("/proc/filesystems").read_text(encoding="utf-8").split():
            return "the kernel has no overlay filesystem (targets are overlay copies)"
    return None


# -- processes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proc:
    """A process seen in /proc: pid, argv, mount namespace, pid in its own pid namespace."""

    pid: int
    argv: tuple[str, ...]
    mnt_ns: str
    ns_pid: int


def processes() -> list[Proc]:
    out: list[Proc] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
            mnt_ns = os.readlink(f"/proc/{pid}/ns/mnt")
            status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        except OSError:
            continue  # gone, or a kernel thread
        ns_pid = pid
        for line in status.splitlines():
            if line.startswith("NSpid:"):
                ns_pid = int(line.split()[-1])
                break
        argv = tuple(a.decode(errors="replace") for a in raw.split(b"\0") if a)
        out.append(Proc(pid, argv, mnt_ns, ns_pid))
    return out


def mentions(proc: Proc, marker: str) -> bool:
    """The process was started with ``marker`` (or a path below it) in an argument."""
    return any(a == marker or a.endswith("=" + marker) or (marker + "/") in a
               for a in proc.argv)


def owned(marker: str, procs: Iterable[Proc] | None = None) -> list[Proc]:
    """Every process of the lab resource ``marker`` (an absolute path): those started with it
    in an argument (systemd-nspawn, apt-cacher-ng), and those whose mount namespace has a
    mount from below it (the programs of a container booted on an overlay there; their
    root directory reads as "/" from here, so it cannot tell them apart).
    """
    own_ns = os.readlink("/proc/self/ns/mnt")
    seen: dict[str, bool] = {}
    out = []
    for p in processes() if procs is None else procs:
        if mentions(p, marker):
            out.append(p)
            continue
        if p.mnt_ns == own_ns:
            continue
        if p.mnt_ns not in seen:
            try:
                text = Path(f"/proc/{p.pid}/mountinfo").read_text(encoding="utf-8")
            except OSError:
                continue  # gone: look again at the next process of that namespace
            seen[p.mnt_ns] = (marker + "/") in text
        if seen[p.mnt_ns]:
            out.append(p)
    return out


def signal_all(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def wait_gone(markers: list[str], deadline: float) -> list[Proc]:
    """Poll until no process of ``markers`` is left or the deadline passes; the survivors."""
    while True:
        procs = processes()
        left = [p for m in markers for p in owned(m, procs)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


# -- mounts ------------------------------------------------------------------------------


def _unescape(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as three octal digits."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mounts_under(path: Path) -> list[str]:
    """Mount points at or below ``path`` in this mount namespace, deepest first."""
    top = str(path.resolve()) if path.exists() else str(path)
    found: list[str] = []
    for line in Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines():
        point = _unescape(line.split()[4])
        if point == top or point.startswith(top.rstrip("/") + "/"):
            found.append(point)
    return sorted(set(found), key=lambda p: (-p.count("/"), p))


def unmount_all(path: Path, deadline: float) -> None:
    """Unmount everything at or below ``path``; a busy mount is retried until the deadline,
    then detached (it is gone from the tree, and frees itself when its last user exits)."""
    while True:
        left = mounts_under(path)
        if not left:
            return
        for point in left:
            run(["umount", point], check=False)
        if time.monotonic() > deadline:
            for point in mounts_under(path):
                run(["umount", "--lazy", point], check=False)
            if mounts_under(path):
                raise LabError(f"cannot unmount {', '.join(mounts_under(path))}")
            return
        if mounts_under(path):
            time.sleep(0.05)


def remove_tree(path: Path) -> None:
    """Delete a directory the lab made, refusing while anything is mounted below it.

    ``shutil.rmtree`` crosses mount points: a build directory with the host's /dev or /proc
    still bound into it would take the host's files along.
    """
    if not path.exists() and not path.is_symlink():
        return
    still = mounts_under(path)
    if still:
        raise LabError(f"refusing to delete {path}: still mounted: {', '.join(still)}")
    shutil.rmtree(path)
