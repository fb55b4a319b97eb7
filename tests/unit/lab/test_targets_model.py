"""The targets lab's pure parts (no root needed): the request check, the gateways chosen in
each zone, the servers of the source of truth as targets, the image's cache key."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from pydriver.errors import LabError
from pydriver.lab.netns.journal import Journal
from pydriver.lab.targets import RECIPE, Target, TargetSpec, plan, reserved_addresses, target_specs
from pydriver.lab.targets.host import _unescape
from pydriver.lab.targets.lab import JOURNAL, KINDS
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Network


@pytest.fixture(scope="module")
def network() -> Network:
    return Pipeline(Path(__file__).resolve().parents[3] / "inventory").network


def test_every_server_becomes_a_target_in_its_zone(network: Network) -> None:
    specs = target_specs(network)
    assert [(s.name, str(s.address)) for s in specs] == [
        ("ntp-01", "10.10.10.11/24"), ("ntp-02", "10.20.10.11/24"),
        ("syslog-01", "10.10.10.31/24"), ("dns-01", "10.10.10.53/24"),
        ("dns-02", "10.20.10.53/24"), ("radius-01", "10.10.10.21/24"),
        ("monitor-01", "10.250.10.50/24")]
    assert [s.name for s in target_specs(network, ["monitor-01", "ntp-01"])] == \
        ["ntp-01", "monitor-01"]
    # the Linux hub managed from a management zone has a twin, asked for by name
    assert [(s.name, str(s.address)) for s in target_specs(network, ["hub-pusdatin-02",
                                                                      "ntp-01"])] == [
        ("ntp-01", "10.10.10.11/24"), ("hub-pusdatin-02", "10.250.10.13/24")]
    with pytest.raises(LabError, match="no server or Linux hub named web-01"):
        target_specs(network, ["web-01"])


def test_gateways_avoid_every_address_of_the_source_of_truth(network: Network) -> None:
    reserved = reserved_addresses(network)
    assert {IPv4Address("10.250.10.11"), IPv4Address("10.250.10.13"),
            IPv4Address("10.10.0.254"), IPv4Address("10.10.10.11")} <= reserved
    checked = plan(target_specs(network), reserved)
    assert {str(n): str(g) for n, g in checked.gateways.items()} == {
        "10.10.10.0/24": "10.10.10.254/24", "10.20.10.0/24": "10.20.10.254/24",
        "10.250.10.0/24": "10.250.10.254/24"}
    assert not {g.ip for g in checked.gateways.values()} & reserved


def test_a_taken_top_address_moves_the_gateway_down() -> None:
    checked = plan([("a", "192.168.5.254/24"), ("b", "192.168.5.10/24")],
                   reserved=[IPv4Address("192.168.5.253")])
    assert checked.gateways[IPv4Network("192.168.5.0/24")] == IPv4Interface("192.168.5.252/24")
    assert checked.gateway(checked.specs[1]).ip == IPv4Address("192.168.5.252")


def test_an_unusable_request_is_refused_with_every_reason() -> None:
    with pytest.raises(LabError) as err:
        plan([("ntp-01", "10.10.10.11/24"), ("ntp-01", "10.10.10.12/24"),
              ("Web_01", "10.10.10.11/24"), ("p2p", "10.9.0.1/31"),
              ("net", "10.8.0.0/24"), ("wide", "10.10.0.5/16")])
    text = str(err.value)
    assert text.startswith("the targets cannot be set up:")
    for part in ("ntp-01: listed twice", "'Web_01': a target name",
                 "Web_01: address 10.10.10.11 is also ntp-01's", "p2p: prefix /31",
                 "net: 10.8.0.0 is not a host address", "10.10.0.0/16 and 10.10.10.0/24 overlap"):
        assert part in text, text
    with pytest.raises(LabError, match="at least one server"):
        plan([])
    with pytest.raises(LabError, match="not an IPv4 address/prefix"):
        TargetSpec.of("x", "10.1.1.300/24")


def test_a_full_subnet_has_no_gateway() -> None:
    with pytest.raises(LabError, match="no free address left"):
        plan([("a", "10.0.0.1/30"), ("b", "10.0.0.2/30")])


def test_ssh_argv_logs_in_with_the_lab_key_and_checks_the_host_key(tmp_path: Path) -> None:
    t = Target("ntp-01", IPv4Interface("10.10.10.11/24"), IPv4Address("10.10.10.254"), "root",
               tmp_path / "id", tmp_path / "known")
    argv = t.ssh_argv("hostname")
    assert argv[:3] == ["ssh", "-i", str(tmp_path / "id")]
    assert f"UserKnownHostsFile={tmp_path / 'known'}" in argv
    assert "StrictHostKeyChecking=yes" in argv and "BatchMode=yes" in argv
    assert argv[-2:] == ["root@10.10.10.11", "hostname"]


def test_the_image_key_follows_the_recipe() -> None:
    assert RECIPE.key == replace(RECIPE).key
    assert len(RECIPE.key) == 16 and RECIPE.filename == f"bookworm-{RECIPE.key}.tar.zst"
    assert replace(RECIPE, packages=(*RECIPE.packages, "less")).key != RECIPE.key
    files = tuple((p, t + "# changed\n" if p.endswith("pydriver-lab.conf") else t, m)
                  for p, t, m in RECIPE.files)
    assert replace(RECIPE, files=files).key != RECIPE.key


def test_the_targets_journal_is_its_own(tmp_path: Path) -> None:
    j = Journal(tmp_path, JOURNAL, KINDS)
    j.add("mount", "/x/fs")
    j.add("proc", "/x/fs/targets/a")
    assert [(r.kind, r.name) for r in j.records()] == [("mount", "/x/fs"),
                                                       ("proc", "/x/fs/targets/a")]
    assert Journal(tmp_path).records() == []  # the netns lab's journal is another file
    with pytest.raises(LabError):
        j.add("netns", "pd-a")


def test_mountinfo_paths_are_unescaped() -> None:
    assert _unescape(r"/tmp/a\040b\011c\134d") == "/tmp/a b\tc\\d"
