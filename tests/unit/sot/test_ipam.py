from __future__ import annotations

import shutil
from ipaddress import IPv4Network
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pydriver.pipeline import Pipeline
from pydriver.sot import ipam
from pydriver.sot.models import Pools, ZoneKind

POOLS = Pools(loopback=IPv4Network("10.255.0.0/21"), transit=IPv4Network("10.254.0.0/16"),
              site_lan=IPv4Network("10.64.0.0/12"), management=IPv4Network("10.250.0.0/16"))


@given(st.integers(1, 1023), st.integers(1, 1023))
def test_site_blocks_never_collide(a: int, b: int) -> None:
    if a != b:
        assert not ipam.site_block(POOLS, a).overlaps(ipam.site_block(POOLS, b))
        assert ipam.site_loopback(POOLS, a) != ipam.site_loopback(POOLS, b)
        assert not ipam.transit(POOLS, a, 0).overlaps(ipam.transit(POOLS, b, 3))


def test_zones_fill_the_block_in_fixed_order() -> None:
    block = ipam.site_block(POOLS, 7)
    zones = [ipam.zone_prefix(POOLS, 7, k) for k in ipam.ZONE_SLOTS]
    assert all(z.subnet_of(block) for z in zones)
    assert zones[0].network_address == block.network_address
    assert str(ipam.zone_gateway(POOLS, 7, ZoneKind.VICON)) == "10.64.31.1/24"


def test_exhaustion_is_detected() -> None:
    with pytest.raises(ipam.PoolExhausted, match="site id 1024 does not fit"):
        ipam.site_block(POOLS, 1024)


def test_adding_a_site_renumbers_nothing(example: Path, tmp_path: Path) -> None:
    before = Pipeline(example).intents
    inv = tmp_path / "inventory"
    shutil.copytree(example, inv)
    text = (inv / "sites" / "kec-ampenan.yml").read_text()
    text = text.replace("id: 9", "id: 40").replace("kec-ampenan", "kec-sekarbela")
    text = text.replace("192.0.2.18/30", "192.0.2.42/30").replace("192.0.2.17", "192.0.2.41")
    (inv / "sites" / "kec-sekarbela.yml").write_text(text)
    after = Pipeline(inv).intents
    assert set(after) - set(before) == {"rtr-kec-sekarbela"}
    for host, intent in before.items():
        if intent.role == "site":
            assert after[host] == intent, host
        else:  # hubs gain the new site's tunnel and neighbour, nothing else moves
            old = {t.name: t for t in intent.tunnels}
            assert all(old[t.name] == t for t in after[host].tunnels if t.name in old)
