"""down() and teardown(state_dir) leave nothing behind: no namespace, link, process or mount,
also with an SSH session still open, after a failed up, and after the process that brought
the lab up was killed.

These labs use their own management bridge and network, so they can run while the
reference lab of test_netns_lab.py is up (e.g. under pytest-xdist).
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest

from pydriver.errors import LabError
from pydriver.lab.netns import (
    NetnsInterface,
    NetnsLab,
    NetnsLink,
    NetnsRouter,
    NetnsSegment,
    NetnsTopology,
    teardown,
)
from tests.lab.conftest import NETNS

pytestmark = NETNS

ROUTERS = ("td-a", "td-b")
BRIDGE = "pdmgmt7"
TOPOLOGY = NetnsTopology(
    routers=(
        NetnsRouter("td-a", "10.10.97.1/24", (
            NetnsInterface("eth1", ("192.0.2.1/30",), "fibre"),
            NetnsInterface("eth2", ("198.51.100.202/30",), "wan"),
            NetnsInterface("eth3", ("10.97.0.1/24",), "lan"))),
        NetnsRouter("td-b", "10.10.97.2/24", (
            NetnsInterface("eth1", ("192.0.2.2/30",), "fibre"),)),
    ),
    links=(NetnsLink(("td-a", "eth1"), ("td-b", "eth1")),),
    segments=(NetnsSegment("td-inet", (("td-a", "eth2"),), ("198.51.100.201/30",)),),
    mgmt_bridge_address="10.10.97.250/24",
    mgmt_bridge=BRIDGE,
    username="pydriver",  # a second uid-0 login, not root
    password="td-secret",
)


@pytest.fixture
def state() -> Iterator[Path]:
    base = Path(tempfile.gettempdir()) / "pydriver-netns-tests"
    base.mkdir(parents=True, exist_ok=True)
    path = base / "teardown"
    # One such lab per machine: pytest-xdist may run these tests in two workers.
    with (base / "teardown.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        teardown(path)  # a run killed half-way is cleaned here
        yield path
        teardown(path)


def _lab_pids() -> set[int]:
    """Every process of the lab: the namespaces' own lists, as the kernel sees them."""
    pids: set[int] = set()
    for r in ROUTERS:
        out = subprocess.run(["ip", "netns", "pids", f"pd-{r}"], capture_output=True,
                             text=True, check=True).stdout
        pids |= {int(p) for p in out.split()}
    return pids


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has left its namespaces; only its parent reaps it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _assert_nothing_left(state: Path, pids: set[int]) -> None:
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                           check=True).stdout
    for name in (*(f"pd-{r}" for r in ROUTERS), f"{BRIDGE}-inet"):
        assert name not in netns.split(), netns
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True,
                           check=True).stdout
    for name in (BRIDGE, *(f"pdm-{r}" for r in ROUTERS)):
        assert f" {name}:" not in links and f" {name}@" not in links, links
    alive = {p for p in pids if _running(p)}
    assert not alive, f"still running: {alive}"
    found = subprocess.run(["pgrep", "-f", str(state)], capture_output=True, text=True)
    assert found.stdout.strip() == "", found.stdout  # e.g. sshd -f <state>/.../sshd_config
    assert str(state) not in Path("/proc/self/mountinfo").read_text()
    left = sorted(p.name for p in state.iterdir()) if state.exists() else []
    assert left == [], left


def test_down_leaves_nothing_even_with_a_session_open(state: Path) -> None:
    lab = NetnsLab()
    endpoints = lab.up(TOPOLOGY, state)
    assert all(s.healthy for s in lab.status())
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ep = endpoints[0]
    client.connect(ep.host, username=ep.username, password=ep.password, look_for_keys=False,
                   allow_agent=False)
    try:
        # A session process that outlives the sshd listener keeps a namespace alive.
        _, out, _ = client.exec_command("id -u; hostname; ip -o link show eth1; sleep 60 &")
        assert [out.readline().strip() for _ in range(2)] == ["0", "td-a"]
        assert "eth1@" in out.readline()
        # The link is a real cable: td-b answers on it; the LAN is an empty, live bridge.
        assert lab.run("td-a", "ping -c1 -W1 192.0.2.2").returncode == 0
        assert "LOWER_UP" in lab.run("td-a", "ip link show eth3").stdout
        assert lab.run("td-a", "ping -c1 -W1 198.51.100.201").returncode == 0
        pids = _lab_pids()
        assert len(pids) >= 2 * 6  # anchor, zebra, staticd, bgpd, sshd, charon per router
        lab.down()
    finally:
        client.close()
    _assert_nothing_left(state, pids)
    assert lab.status() == []


def test_a_failed_up_removes_what_it_made(state: Path) -> None:
    """The kernel refuses a duplicate address half-way through; up() cleans before raising."""
    bad = NetnsTopology(
        routers=(TOPOLOGY.routers[0],
                 NetnsRouter("td-b", "10.10.97.2/24", (
                     NetnsInterface("eth1", ("192.0.2.2/30", "192.0.2.2/30"), "fibre"),))),
        links=TOPOLOGY.links, segments=TOPOLOGY.segments,
        mgmt_bridge_address=TOPOLOGY.mgmt_bridge_address, mgmt_bridge=BRIDGE)
    with pytest.raises(LabError, match=r"already assigned|File exists"):
        NetnsLab().up(bad, state)
    _assert_nothing_left(state, set())


def test_an_abandoned_lab_is_removed_by_teardown(state: Path) -> None:
    """The process that brought the lab up dies by SIGKILL; teardown needs only the journal."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from test_netns_teardown import TOPOLOGY
        from pydriver.lab.netns import NetnsLab
        NetnsLab().up(TOPOLOGY, Path({str(state)!r}))
        print("up", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == -9 and done.stdout.strip() == "up", done.stderr
    pids = _lab_pids()
    assert pids, "the abandoned lab should still be running"
    teardown(state)
    _assert_nothing_left(state, pids)
