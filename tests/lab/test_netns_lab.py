"""One hub and two sites as real FRR/strongSwan routers, configured over SSH from the
hand-written reference files in netns_fixtures/ exactly as pydriver's linux_frr driver
would (SFTP the files, then frr-reload.py, swanctl, nft, tc), then checked end to end:
IKE SAs, BGP sessions, pings through the tunnels, the firewall and the shaping classes.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from pydriver.lab.netns import (
    LabEndpoint,
    NetnsInterface,
    NetnsLab,
    NetnsRouter,
    NetnsSegment,
    NetnsTopology,
    teardown,
)
from tests.conftest import machine_lock, poll
from tests.lab.conftest import NETNS

pytestmark = NETNS

FIXTURES = Path(__file__).parent / "netns_fixtures"
FILES = {
    "nftables.conf": "/etc/nftables.conf",
    "frr.conf": "/etc/frr/frr.conf",
    "swanctl.conf": "/etc/swanctl/swanctl.conf",
    "tc.sh": "/etc/pydriver/tc.sh",
}
# Firewall first (nothing is ever open that the policy does not allow), IKE last (it
# starts at once on the sites and must find FRR's ipsec0 addresses in place).
APPLY = (
    "nft -c -f /etc/nftables.conf && nft -f /etc/nftables.conf",
    "/usr/lib/frr/frr-reload.py --reload /etc/frr/frr.conf",  # logs to /var/log/frr
    "swanctl --load-all --noprompt",
    "sh /etc/pydriver/tc.sh",
)
CONVERGE_TIMEOUT = 30.0
TOPOLOGY = NetnsTopology(
    routers=(
        NetnsRouter("hub-frr", "10.10.99.3/24", (
            NetnsInterface("eth1", ("203.0.113.10/29",), "wan"),
            NetnsInterface("eth2", ("10.10.10.1/24",), "lan"))),
        NetnsRouter("site-a", "10.10.99.61/24", (
            NetnsInterface("eth1", ("198.51.100.2/30",), "wan"),
            NetnsInterface("eth2", ("10.64.244.1/24",), "lan"))),
        NetnsRouter("site-b", "10.10.99.62/24", (
            NetnsInterface("eth1", ("198.51.100.6/30",), "wan"),
            NetnsInterface("eth2", ("10.64.248.1/24",), "lan"))),
    ),
    segments=(
        NetnsSegment("inet-hub", (("hub-frr", "eth1"),), ("203.0.113.9/29",)),
        NetnsSegment("inet-a", (("site-a", "eth1"),), ("198.51.100.1/30",)),
        NetnsSegment("inet-b", (("site-b", "eth1"),), ("198.51.100.5/30",)),
    ),
)
BGP_SESSIONS = {"hub-frr": 2, "site-a": 1, "site-b": 1}
TIMES: dict[str, float] = {}


class Shell:
    """An SSH session as pydriver's linux_frr driver opens it (Netmiko ``linux``)."""

    def __init__(self, ep: LabEndpoint) -> None:
        self.name = ep.name
        self.conn: Any = ConnectHandler(device_type=ep.device_type, host=ep.host, port=ep.port,
                                        username=ep.username, password=ep.password,
                                        fast_cli=True)

    def run(self, command: str, timeout: float = 30) -> tuple[int, str]:
        out = str(self.conn.send_command(f"{command}; echo __rc=$?", read_timeout=timeout))
        found = re.search(r"__rc=(\d+)\s*$", out)
        assert found, f"{self.name}: no exit status in {out!r}"
        return int(found.group(1)), out[:found.start()]

    def ok(self, command: str) -> str:
        rc, out = self.run(command)
        assert rc == 0, f"{self.name}: {command} -> {rc}\n{out}"
        return out

    def upload(self, path: str, text: str) -> None:
        """As the linux_frr driver does: write beside the file, then rename over it."""
        sftp = self.conn.remote_conn_pre.open_sftp()
        try:
            with sftp.open(path + ".pydriver-new", "w") as fh:
                fh.write(text)
        finally:
            sftp.close()
        self.ok(f"mv {path}.pydriver-new {path}")

    def close(self) -> None:
        self.conn.disconnect()


@contextlib.contextmanager
def exclusive(name: str, timeout: float = 120.0) -> Iterator[None]:
    """One lab of this name per machine: pytest-xdist may run this module in two workers."""
    folder = Path(tempfile.gettempdir()) / "pydriver-netns-tests" / f"{name}-lock"
    with machine_lock(folder, timeout, f"the {name} lab"):
        yield


@pytest.fixture(scope="module")
def lab() -> Iterator[NetnsLab]:
    # A fixed state directory: a run killed half-way is cleaned by the next one.
    state = Path(tempfile.gettempdir()) / "pydriver-netns-tests" / "reference"
    with exclusive("reference"):
        teardown(state)
        started = time.monotonic()
        lab = NetnsLab()
        try:
            lab.up(TOPOLOGY, state)
            TIMES["up"] = time.monotonic() - started
            yield lab
        finally:
            lab.down()
            teardown(state)


@pytest.fixture(scope="module")
def shells(lab: NetnsLab) -> Iterator[dict[str, Shell]]:
    opened = {ep.name: Shell(ep) for ep in lab.endpoints()}
    try:
        yield opened
    finally:
        for s in opened.values():
            s.close()


@dataclass(frozen=True)
class Factory:
    """What a router showed before anything was pushed to it."""

    prompt: str
    running: str
    conns: str
    ruleset: str
    qdisc: str
    sizes: dict[str, str]
    frr_on_host: str
    frr_inside: str


@pytest.fixture(scope="module")
def factory(lab: NetnsLab, shells: dict[str, Shell]) -> dict[str, Factory]:
    """Each router's state as the lab built it, read before the push (``converged`` needs
    this first), so the test of it holds whichever test of the module runs first."""
    seen = {}
    for name, sh in shells.items():
        seen[name] = Factory(
            sh.conn.find_prompt(), sh.ok("vtysh -c 'show running-config'"),
            sh.ok("swanctl --list-conns").strip(), sh.ok("nft list ruleset").strip(),
            sh.ok("tc qdisc show"),
            {path: sh.ok(f"wc -c < {path}").strip() for path in
             ("/etc/swanctl/swanctl.conf", "/etc/nftables.conf", "/etc/pydriver/tc.sh")},
            lab.host_path(name, "/etc/frr/frr.conf").read_text().strip(),
            sh.ok("cat /etc/frr/frr.conf").replace("\r", "").strip())
    return seen


def test_factory_default(lab: NetnsLab, factory: dict[str, Factory]) -> None:
    assert all(s.healthy for s in lab.status()), lab.status()
    assert set(factory) == {"hub-frr", "site-a", "site-b"}
    for name, seen in factory.items():
        assert seen.prompt == f"root@{name}:~#"
        assert f"hostname {name}" in seen.running
        assert "router bgp" not in seen.running and "ip route" not in seen.running
        assert seen.conns == ""
        assert seen.ruleset == ""
        assert "htb" not in seen.qdisc
        for path, size in seen.sizes.items():
            assert size == "0", path
        # Each router sees only its own files behind the Debian paths.
        assert seen.frr_on_host == seen.frr_inside


def _ike_up(hub: Shell) -> str | None:
    out = hub.ok("swanctl --list-sas")
    for site in ("site-a", "site-b"):
        if not re.search(rf"^{site}: #\d+, ESTABLISHED", out, re.M) or \
                not re.search(rf"^\s+{site}: #\d+, reqid \d+, INSTALLED", out, re.M):
            return f"no IKE and child SA for {site}:\n{out}"
    return None


def _bgp_up(shells: dict[str, Shell]) -> str | None:
    for name, want in BGP_SESSIONS.items():
        raw = json.loads(shells[name].ok("vtysh -c 'show bgp summary json'"))
        peers = raw.get("ipv4Unicast", {}).get("peers", {})
        states = {p: v.get("state") for p, v in peers.items()}
        if len(states) != want or set(states.values()) != {"Established"}:
            return f"{name}: {states}"
    return None


def _ping(sh: Shell, source: str, destination: str) -> Callable[[], str | None]:
    def check() -> str | None:
        rc, out = sh.run(f"ping -c1 -W1 -I {source} {destination}")
        return None if rc == 0 else out

    return check


@pytest.fixture(scope="module")
def converged(shells: dict[str, Shell], factory: dict[str, Factory]) -> dict[str, float]:
    """The reference files pushed and applied over SSH, and the network converged (after
    the factory state was read)."""
    started = time.monotonic()
    for name in ("hub-frr", "site-a", "site-b"):  # the hub answers before sites initiate
        sh = shells[name]
        for fname, path in FILES.items():
            sh.upload(path, (FIXTURES / name / fname).read_text())
        for command in APPLY:
            sh.ok(command)
    TIMES["push"] = time.monotonic() - started
    poll("both IKE SAs up", lambda: _ike_up(shells["hub-frr"]), CONVERGE_TIMEOUT)
    poll("every BGP session established", lambda: _bgp_up(shells), CONVERGE_TIMEOUT)
    site_a = shells["site-a"]
    poll("site-a LAN -> DC server zone", _ping(site_a, "10.64.244.1", "10.10.10.1"),
          CONVERGE_TIMEOUT)
    poll("site-a LAN -> site-b LAN via the hub", _ping(site_a, "10.64.244.1", "10.64.248.1"),
          CONVERGE_TIMEOUT)
    TIMES["converge"] = time.monotonic() - started - TIMES["push"]
    return dict(TIMES)


def test_pushed_files_stay_inside_their_router(lab: NetnsLab, converged: dict[str, float],
                                               ) -> None:
    assert not list(Path("/etc").glob("**/*.pydriver-new"))
    assert "10.10.99.0/24" not in Path("/etc/nftables.conf").read_text()  # host file intact
    for name in ("hub-frr", "site-a", "site-b"):
        for fname, path in FILES.items():
            assert lab.host_path(name, path).read_text() == \
                (FIXTURES / name / fname).read_text(), (name, path)


def test_push_and_converge(converged: dict[str, float], shells: dict[str, Shell],
                           request: pytest.FixtureRequest) -> None:
    for what, seconds in converged.items():
        request.node.user_properties.append((f"{what}_seconds", round(seconds, 2)))
    site_a = shells["site-a"]
    # The site's routes into the tunnel came from BGP, not from charon.
    routes = site_a.ok("ip route show proto bgp")
    assert re.search(r"^default .*via 10\.254\.3\.209 dev ipsec0", routes, re.M), routes
    assert "10.64.248.0/22" in routes
    # Management stays out of band: the router still answers SSH with the tunnel up.
    assert "dev eth0" in site_a.ok("ip route get 10.10.99.250")


@pytest.mark.usefixtures("converged")
def test_reference_frr_conf_is_canonical(shells: dict[str, Shell]) -> None:
    """frr-reload finds nothing to change: a second apply of the same file sends nothing."""
    for name, sh in shells.items():
        out = sh.ok("/usr/lib/frr/frr-reload.py --test --stdout /etc/frr/frr.conf 2>&1 "
                    "| grep -v ' INFO: '")
        assert "Lines To Delete" not in out, f"{name}:\n{out}"
        added = out.split("Lines To Add", 1)[-1].split("\n")[2:] if "Lines To Add" in out \
            else []
        assert [ln for ln in added if ln.strip() and not ln.startswith("frr version")] == [], \
            f"{name}:\n{out}"


@pytest.mark.usefixtures("converged")
def test_firewall_drops_what_it_does_not_allow(shells: dict[str, Shell]) -> None:
    """BGP from the hub's WAN address (not a tunnel peer) is dropped, not refused."""
    hub = shells["hub-frr"]
    rc, out = hub.run("timeout 1 bash -c 'exec 3<>/dev/tcp/198.51.100.2/179'")
    assert rc == 124, f"expected a silent drop (timeout), got {rc}: {out}"
    rc, _ = hub.run("timeout 2 bash -c 'exec 3<>/dev/tcp/10.254.3.210/179'")
    assert rc == 0  # the same port through the tunnel, from the BGP peer address


@pytest.mark.usefixtures("converged")
def test_hub_shapes_each_site_in_its_own_class(shells: dict[str, Shell]) -> None:
    hub, site_a = shells["hub-frr"], shells["site-a"]

    def sent(classid: str) -> int:
        out = hub.ok(f"tc -s class show dev eth1 classid {classid}")
        found = re.search(r"Sent \d+ bytes (\d+) pkt", out)
        assert found, out
        return int(found.group(1))

    before = sent("1:61")
    site_a.ok("ping -c5 -i0.2 -W1 -I 10.64.244.1 10.10.10.1")
    assert sent("1:61") - before >= 5  # every reply left the WAN in site-a's class

