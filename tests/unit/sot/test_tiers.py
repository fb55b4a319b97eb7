"""The tiers one region checks alone: the registry, its place in it, its interconnects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pydriver.errors import Problem, SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot.loader import load
from tests.conftest import Edit

pytestmark = pytest.mark.usefixtures("in_tmp")


def problems(inv: Path) -> list[Problem]:
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).network
    return list(info.value.problems)


def at(found: list[Problem], needle: str) -> list[tuple[str, int]]:
    """(file, line) of every problem whose message holds ``needle``."""
    return [(p.location.file, p.location.line) for p in found
            if needle in p.message and p.location is not None]


def line_of(path: Path, text: str, after: str = "") -> int:
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def test_the_province_declares_its_interconnects(example: Path) -> None:
    net = Pipeline(example).network
    assert {(ic.peer.code, ic.peer.tier) for ic in net.interconnects} == {
        ("52.01", "kabupaten"), ("00", "pusat")}
    assert load(example).registry is not None


def test_overlapping_regions_are_named_on_both_entries(inv: Path, edit: Edit) -> None:
    edit("registry.yml", "pools: [172.22.0.0/16]", "pools: [172.21.128.0/20]")
    found = problems(inv)
    reg = inv / "registry.yml"
    first, second = line_of(reg, "172.21.0.0/16"), line_of(reg, "172.21.128.0/20")
    assert at(found, "region 52.01 pool 172.21.0.0/16 overlaps region 52.02") == [
        ("inventory/registry.yml", first)]
    assert at(found, "region 52.02 pool 172.21.128.0/20 overlaps region 52.01") == [
        ("inventory/registry.yml", second)]
    assert f"registry.yml:{second}:" in next(p.message for p in found if "52.01 pool" in p.message)


def test_export_outside_the_allocation_is_located(inv: Path, edit: Edit) -> None:
    edit("region.yml", "exports: [10.10.10.0/24]      #", "exports: [10.30.10.0/24]      #")
    found = problems(inv)
    assert at(found, "exported prefix 10.30.10.0/24 is outside region 52's allocation") == [
        ("inventory/region.yml", line_of(inv / "region.yml", "10.30.10.0/24"))]


def test_a_default_route_is_never_exported(inv: Path, edit: Edit) -> None:
    edit("region.yml", "exports: [172.16.10.0/24]", "exports: [0.0.0.0/0]")
    assert at(problems(inv), "a default route is never accepted") == [
        ("inventory/region.yml", line_of(inv / "region.yml", "0.0.0.0/0"))]


def test_pools_outside_the_allocation_and_wrong_tier(inv: Path, edit: Edit) -> None:
    edit("registry.yml", "pools: [10.10.0.0/16, 10.20.0.0/16,", "pools: [10.10.0.0/16,")
    edit("registry.yml", "    tier: provinsi\n", "    tier: kota\n")
    found = problems(inv)
    region = inv / "region.yml"
    assert at(found, "10.20.0.0/24 is outside region 52's allocation") == [
        ("inventory/region.yml", line_of(region, "core: 10.20.0.0/24"))]
    assert at(found, "level provinsi disagrees with registry.yml") == [
        ("inventory/region.yml", line_of(region, "level: provinsi"))]


def test_interconnect_without_registry(inv: Path) -> None:
    (inv / "registry.yml").unlink()
    assert at(problems(inv), "interconnects need the federation's registry.yml") == [
        ("inventory/region.yml", line_of(inv / "region.yml", "interconnects:"))]


def test_registry_beside_the_inventory_is_found(inv: Path) -> None:
    shutil.move(inv / "registry.yml", inv.parent / "registry.yml")
    source = load(inv)
    assert source.registry is not None and source.registry.file == "registry.yml"
    assert Pipeline(inv).network.interconnects


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("      hub: hub-lobar-01\n", "      hub: \"hub-lobar-01\\nreload\"\n",
     "peer.hub: expected a hostname"),
    ("    transit: 10.253.1.0/30 ", "    transit: 10.253.1.0/29 ", "must be one /30"),
    ("    transit: 10.253.1.0/30 ", "    transit: 10.99.1.0/30 ",
     "outside the federation's interconnect_transit"),
    ("    psk: env:JIP_PSK_IC_NTB_LOBAR\n", "    psk: \"hunter2 secret\"\n", "psk:"),
    ("    psk: env:JIP_PSK_IC_NTB_LOBAR\n", "", "needs 'psk'"),
    ("      tier: kabupaten\n", "      tier: provinsi\n", "are the same tier"),
    ("      asn: 65201\n", "      asn: 65301\n", "outside region 52.01's range"),
    ("    medium: isp_metro\n", "    medium: own_fibre\n", "needs the agreed 'vlan'"),
    ("    hub: hub-pusdatin-01\n    medium", "    hub: hub-nowhere\n    medium",
     "hub 'hub-nowhere'"),
])
def test_bad_interconnect_is_a_located_problem(inv: Path, edit: Edit, old: str, new: str,
                                               needle: str) -> None:
    edit("region.yml", old, new)
    found = problems(inv)
    hits = [p for p in found if needle in p.message]
    assert hits, found
    for p in hits:
        assert p.location is not None and p.location.file == "inventory/region.yml"
        assert p.location.line > line_of(inv / "region.yml", "interconnects:")
        assert "\n" not in p.message and "hunter2" not in p.message  # one line, no secret


def test_site_tunnels_stay_below_the_interconnects(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "id: 3\n", "id: 22500\n")
    found = [p for p in problems(inv) if "into the interconnects' tunnel numbers" in p.message]
    assert [(p.location.file, p.location.line) for p in found if p.location] == [
        ("inventory/sites/dinkes.yml", line_of(inv / "sites/dinkes.yml", "id: 22500"))]
    assert "ids up to 22499 fit" in found[0].message
