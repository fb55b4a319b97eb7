"""The netns lab's pure parts (no root needed): topology checks, the journal, the router's
private file tree and its accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.errors import LabError
from pydriver.lab.netns import (
    NetnsInterface,
    NetnsLink,
    NetnsRouter,
    NetnsSegment,
    NetnsTopology,
)
from pydriver.lab.netns.journal import Journal
from pydriver.lab.netns.rootfs import RouterTree, accounts, factory_frr_conf

HUB = NetnsRouter("hub", "10.10.99.3/24", (NetnsInterface("eth1", ("203.0.113.10/29",), "wan"),))
SITE = NetnsRouter("site", "10.10.99.4/24", (NetnsInterface("eth1", ("198.51.100.2/30",), "wan"),
                                             NetnsInterface("eth2", ("10.64.0.1/24",))))


def _problems(topology: NetnsTopology) -> str:
    with pytest.raises(LabError) as err:
        topology.check()
    return str(err.value)


def test_a_sound_topology_passes_and_knows_its_wiring() -> None:
    t = NetnsTopology((HUB, SITE), links=(NetnsLink(("hub", "eth1"), ("site", "eth1")),))
    t.check()
    assert t.wired() == {("hub", "eth1"), ("site", "eth1")}  # site eth2 becomes a LAN bridge
    assert SITE.mgmt_host == "10.10.99.4"


@pytest.mark.parametrize(("topology", "message"), [
    (NetnsTopology((NetnsRouter("a-very-long-name", "10.10.99.5/24"),)), "at most 11"),
    (NetnsTopology((HUB, HUB)), "router hub appears twice"),
    (NetnsTopology((NetnsRouter("r", "10.10.98.5/24"),)), "not in the management network"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5"),)), "not in the management network"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5/24", (NetnsInterface("eth0"),)),)),
     "'eth0' is not usable"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5/24", (NetnsInterface("x" * 16),)),)),
     "at most 15 characters"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5/24", (NetnsInterface("e1", kind="dsl"),)),)),
     "kind 'dsl'"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5/24", (NetnsInterface("e1", ("1.2.3",)),)),)),
     "'1.2.3' is not an IPv4 address"),
    (NetnsTopology((NetnsRouter("r", "10.10.99.5/24", daemons=("ripd",)),)), "unknown daemon"),
    (NetnsTopology((HUB,), links=(NetnsLink(("hub", "eth1"), ("nope", "eth1")),)),
     "nope:eth1 names an unknown router"),
    (NetnsTopology((HUB,), links=(NetnsLink(("hub", "eth9"), ("hub", "eth1")),)),
     "hub:eth9: the router has no such interface"),
    (NetnsTopology((HUB, SITE), links=(NetnsLink(("hub", "eth1"), ("site", "eth1")),),
                   segments=(NetnsSegment("inet", (("hub", "eth1"),)),)),
     "hub:eth1 is wired twice"),
    (NetnsTopology((HUB,), segments=(NetnsSegment("Internet!", (("hub", "eth1"),)),)),
     "segment name 'Internet!'"),
    (NetnsTopology((HUB,), mgmt_bridge="pd-mgmt-bridge"), "mgmt_bridge 'pd-mgmt-bridge'"),
    (NetnsTopology((HUB,), username="Root User"), "not a valid login name"),
    (NetnsTopology(()), "at least one router"),
])
def test_an_unusable_topology_is_refused_before_anything_exists(
        topology: NetnsTopology, message: str | None) -> None:
    text = _problems(topology)
    assert text.startswith("the lab topology is not usable")
    if message is not None:
        assert message in text, text


def test_journal_survives_a_torn_last_line(tmp_path: Path) -> None:
    j = Journal(tmp_path)
    assert j.records() == [] and not j.exists()
    j.add("netns", "pd-a")
    j.add("link", "pdm-a")
    with j.path.open("a") as fh:
        fh.write('{"kind": "netns", "na')  # killed mid-write
    assert [(r.kind, r.name) for r in j.records()] == [("netns", "pd-a"), ("link", "pdm-a")]
    with pytest.raises(LabError):
        j.add("mount", "/x")
    j.remove()
    assert not j.exists()


def test_router_paths_map_to_the_private_tree(tmp_path: Path) -> None:
    tree = RouterTree(tmp_path / "r")
    assert tree.host_path("/etc/frr/frr.conf") == tmp_path / "r/etc/frr/frr.conf"
    assert tree.host_path("/etc/nftables.conf") == tmp_path / "r/etc/nftables.conf"
    assert tree.host_path("/run/frr/zebra.pid") == tmp_path / "r/run/frr/zebra.pid"
    assert tree.host_path("/etc/pydriver/tc.sh") == tmp_path / "r/etc/pydriver/tc.sh"
    assert tree.host_path("/etc/frrx") == tmp_path / "r/etc/frrx"  # /etc is all private
    assert tree.host_path("/root/.bash_history") == tmp_path / "r/root/.bash_history"
    with pytest.raises(ValueError):
        tree.host_path("/usr/bin/vtysh")  # the host's own file: never the router's
    with pytest.raises(ValueError):
        tree.host_path("/running")


def test_mount_script_refuses_paths_that_break_mount_options(tmp_path: Path) -> None:
    script = RouterTree(tmp_path / "r").mount_script()
    assert script.startswith("mount -t overlay overlay -o lowerdir=/etc,upperdir=")
    assert script.splitlines()[-1].endswith(" /run")  # last: it hides the host's /run
    with pytest.raises(LabError, match="commas or colons"):
        RouterTree(tmp_path / "a,b").mount_script()


def test_accounts_copy_no_host_secret_and_add_only_the_lab_login() -> None:
    passwd, shadow = accounts("pydriver", "$6$salt$hash")
    users = [ln.split(":") for ln in passwd.splitlines()]
    assert ["pydriver", "x", "0", "0", "pydriver lab", "/root", "/bin/bash"] in users
    hashes = {ln.split(":")[0]: ln.split(":")[1] for ln in shadow.splitlines()}
    assert hashes.pop("pydriver") == "$6$salt$hash"
    assert set(hashes.values()) == {"*"}  # root and every system account: locked
    passwd, shadow = accounts("root", "$6$x$y")
    assert passwd.count("\nroot:") + passwd.startswith("root:") == 1
    assert "root:$6$x$y:" in shadow


def test_factory_frr_conf_holds_only_the_hostname() -> None:
    text = factory_frr_conf("site-a")
    assert "hostname site-a" in text and "service integrated-vtysh-config" in text
    assert "router" not in text and "interface" not in text
