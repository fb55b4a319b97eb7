"""Starting one router's processes inside its namespaces, and finding them again.

A small anchor process holds the router's mount and UTS namespaces (inside its network
namespace): it binds the router's private tree over the Debian paths, sets the hostname
(vtysh takes its prompt from uname(), not from frr.conf), then sleeps. Every daemon is then
started with ``nsenter`` into the anchor's namespaces, with FRR's and strongSwan's packaged
default paths, which is what makes plain ``vtysh``, ``frr-reload.py`` and ``swanctl`` work
in an SSH session. No watchfrr: the lab starts each daemon itself.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import subprocess
import time
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run
from pydriver.lab.netns.rootfs import RouterTree

FRR_BIN = "/usr/lib/frr"
CHARON = "/usr/lib/ipsec/charon"
START_TIMEOUT = 10.0


NETNS_PREFIX = "pd-"


def netns_name(router: str) -> str:
    return f"{NETNS_PREFIX}{router}"


def start_anchor(router: str, tree: RouterTree, hostname: str | None = None) -> int:
    """Start the namespace holder; return its pid once the mounts and hostname are in place.

    ``setsid -f`` detaches it (and every daemon below) from the calling process: the lab
    outlives the process that brought it up, and no caller is left to reap its children.
    """
    script = (f"set -e\n{tree.mount_script()}\nhostname {shlex.quote(hostname or router)}\n"
              'echo "ready $$"\nexec sleep infinity\n')
    err = tree.root / "anchor.err"
    with err.open("wb") as err_fh:
        proc = subprocess.Popen(
            ["setsid", "-f", "ip", "netns", "exec", netns_name(router), "unshare", "--mount",
             "--uts", "--propagation", "private", "--", "/bin/sh", "-c", script],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err_fh, close_fds=True)
    assert proc.stdout is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT)
        words = proc.stdout.readline().split() if ready else []
    finally:
        proc.stdout.close()
        proc.wait()
    if len(words) != 2 or words[0] != b"ready" or not words[1].isdigit():
        raise LabError(f"router {router}: its namespaces could not be set up: "
                       f"{err.read_text(errors='replace').strip()}")
    return int(words[1])


def enter(anchor: int) -> list[str]:
    """The command prefix that runs a program as part of the router (all its namespaces)."""
    return ["nsenter", "-t", str(anchor), "-n", "-m", "-u", "--"]


def start_daemons(router: str, anchor: int, tree: RouterTree, daemons: tuple[str, ...]) -> None:
    """zebra first (the others connect to it), then the rest, then load frr.conf, sshd, charon."""
    pre = enter(anchor)
    for d in ("zebra", *daemons):
        extra = ["-s", "90000000"] if d == "zebra" else []
        run([*pre, f"{FRR_BIN}/{d}", "-d", "-u", "frr", "-g", "frr", "-P", "0",
             "-f", f"/etc/frr/{d}.conf", *extra])
    _wait_for(router, [tree.host_path(f"/run/frr/{d}.vty") for d in ("zebra", *daemons)])
    run([*pre, "vtysh", "-b"])
    run([*pre, "/usr/sbin/sshd", "-f", str(tree.sshd_config)])
    with (tree.root / "charon.out").open("ab") as log:
        subprocess.run(["setsid", "-f", *pre, CHARON], stdin=subprocess.DEVNULL, stdout=log,
                       stderr=log, close_fds=True, check=True, timeout=START_TIMEOUT)
    _wait_for(router, [tree.host_path("/run/charon.vici"), tree.host_path("/run/sshd.pid")])


def _wait_for(router: str, paths: list[Path]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        absent = [p for p in paths if not p.exists()]
        if not absent:
            return
        if time.monotonic() > deadline:
            raise LabError(f"router {router}: not started in {START_TIMEOUT:g} s "
                           f"(missing {', '.join(p.name for p in absent)})")
        time.sleep(0.02)


def netns_pids(netns: str) -> list[int]:
    """Every process whose network namespace is ``netns`` (daemons, anchors, SSH sessions)."""
    done = run(["ip", "netns", "pids", netns], check=False)
    return [int(p) for p in done.stdout.split() if p.isdigit()]


def kill_all(netns: str, grace: float = 3.0) -> None:
    """TERM every process in the namespace, then KILL what is left; wait until none remain.

    Sessions that sshd forked outlive the listener and would keep a deleted namespace
    alive, so the namespace's own process list is the authority, not pid files.
    """
    for sig, wait in ((15, grace), (9, grace)):
        pids = netns_pids(netns)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while netns_pids(netns) and time.monotonic() < deadline:
            time.sleep(0.02)
    left = netns_pids(netns)
    if left:
        raise LabError(f"processes {left} in {netns} survived SIGKILL")
