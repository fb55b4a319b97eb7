"""The scale benchmarks' inventory generator: sound, deterministic, shaped like the example.

Benchmarks are only worth their figures if what they measure is a network pydriver accepts,
with the mix of the example province; and two runs must measure the same network.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.generate import datacenter_count, generate, hub_load, site_block
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Medium, Platform


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.yml"))}


def test_a_generated_inventory_validates_and_has_the_examples_mix(tmp_path: Path) -> None:
    net = Pipeline(generate(200, tmp_path / "inv")).network
    assert len(net.sites) == 200
    assert [s.id for s in net.sites] == list(range(1, 201))
    platforms = Counter(s.router.platform for s in net.sites)
    assert platforms.most_common(1)[0][0] is Platform.MIKROTIK_ROUTEROS
    assert set(platforms) == set(Platform)
    media = {link.medium for s in net.sites for link in s.links}
    assert media == set(Medium)
    assert len({s.kind for s in net.sites}) == 6
    assert {h.platform for h in net.hubs()} == set(Platform)
    load = hub_load(tmp_path / "inv")
    assert next(iter(load)) in ("hub-pusdatin-01", "hub-drc-01")  # the main hubs are biggest


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    a = files(generate(60, tmp_path / "a", seed=7))
    assert a == files(generate(60, tmp_path / "b", seed=7))
    assert a != files(generate(60, tmp_path / "c", seed=8))


def test_pools_and_data_centres_grow_with_the_nation() -> None:
    assert site_block(1000) == 22
    assert site_block(10_000) == 24
    assert site_block(30_000) == 25
    assert [datacenter_count(n) for n in (100, 1000, 3000, 10_000, 30_000)] == [2, 2, 3, 5, 10]


def test_the_fleet_benchmarks_inventory_validates(tmp_path: Path) -> None:
    """``apply_fleet.py`` trims the example to one IOS-XE hub and its sites: a change to
    the example (its interconnects with other tiers once) must not leave it refused."""
    from benchmarks.apply_fleet import HUB, make_inventory

    net = Pipeline(make_inventory(tmp_path, 3), cache=False).network
    assert [h.hostname for h in net.hubs()] == [HUB]
    assert [s.router.hostname for s in net.sites] == ["rtr-kel-001", "rtr-kel-002",
                                                       "rtr-kel-003"]
    assert net.interconnects == ()
