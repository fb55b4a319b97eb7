"""The address plan: every address derived from a stable site id and the region's pools.

Why arithmetic and not allocation: an allocator that hands out "the next free block" makes
addresses depend on the order sites were added, so deleting or inserting a site renumbers
others. Here each site owns fixed slots computed from its id alone:

* LAN block: the ``id``-th ``/site_block`` of ``pools.site_lan`` (block 0 is never used).
  The block is cut in four equal zones in a fixed order: staff, cctv, guest_wifi, vicon;
  the router takes the first host of each zone as its gateway.
* loopback: ``pools.loopback`` + 32 + id (the first 32 addresses are for hubs: + hub.id).
* transit: link ``n`` (0..3, in file order) of site ``id`` gets the /30 number
  ``id * 4 + n`` of ``pools.transit``; the hub takes the first host, the site the second.
* own-fibre VLAN at the hub: 1000 + id.
* BGP: the site's private ASN is ``region.site_asn_base + id``.

Adding a site (a new id) therefore never changes another site's addresses, and the
validate stage can tell exactly when a pool would be exhausted.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from pydriver.sot.models import Pools, ZoneKind

ZONE_SLOTS: tuple[ZoneKind, ...] = (
    ZoneKind.STAFF,
    ZoneKind.CCTV,
    ZoneKind.GUEST_WIFI,
    ZoneKind.VICON,
)
HUB_LOOPBACK_SLOTS = 32
LINKS_PER_SITE = 4
FIBRE_VLAN_BASE = 1000
MAX_VLAN = 4094


class PoolExhausted(ValueError):
    """A derived address would fall outside its pool."""


def _addresses(net: IPv4Network) -> int:
    """``num_addresses`` by arithmetic: the property builds two addresses per call."""
    return 1 << (32 - net.prefixlen)


@lru_cache(maxsize=1 << 16)
def site_block(pools: Pools, site_id: int) -> IPv4Network:
    """Remembered: a site's block is asked for by its zones, its shaping and its hub."""
    size = 1 << (32 - pools.site_block)
    count = _addresses(pools.site_lan) // size
    if site_id >= count:
        raise PoolExhausted(
            f"site_lan pool {pools.site_lan} holds {count - 1} /{pools.site_block} site blocks "
            f"(ids 1..{count - 1}); site id {site_id} does not fit")
    base = int(pools.site_lan.network_address) + site_id * size
    return IPv4Network((base, pools.site_block))


@lru_cache(maxsize=1 << 16)
def zone_prefix(pools: Pools, site_id: int, kind: ZoneKind) -> IPv4Network:
    """The zone's quarter of the site's block (arithmetic: a hub renders thousands)."""
    block = site_block(pools, site_id)
    size = _addresses(block) // 4
    return IPv4Network((int(block.network_address) + ZONE_SLOTS.index(kind) * size,
                        block.prefixlen + 2))


def zone_gateway(pools: Pools, site_id: int, kind: ZoneKind) -> IPv4Interface:
    net = zone_prefix(pools, site_id, kind)
    return IPv4Interface((int(net.network_address) + 1, net.prefixlen))


def _loopback(pools: Pools, offset: int, what: str) -> IPv4Address:
    if offset >= _addresses(pools.loopback) - 1:
        raise PoolExhausted(f"loopback pool {pools.loopback} has no slot for {what}")
    return pools.loopback.network_address + offset


def site_loopback(pools: Pools, site_id: int) -> IPv4Address:
    return _loopback(pools, HUB_LOOPBACK_SLOTS + site_id, f"site id {site_id}")


def hub_loopback(pools: Pools, hub_id: int) -> IPv4Address:
    return _loopback(pools, hub_id, f"hub id {hub_id}")


def transit(pools: Pools, site_id: int, link_index: int) -> IPv4Network:
    slot = site_id * LINKS_PER_SITE + link_index
    if (slot + 1) * 4 > _addresses(pools.transit):
        raise PoolExhausted(
            f"transit pool {pools.transit} has no /30 for link {link_index} of site id "
            f"{site_id}")
    return IPv4Network((int(pools.transit.network_address) + slot * 4, 30))


def transit_ends(pools: Pools, site_id: int, link_index: int) -> tuple[IPv4Interface,
                                                                       IPv4Interface]:
    """(hub end, site end) of a link's transit /30."""
    net = transit(pools, site_id, link_index)
    base = int(net.network_address)
    return IPv4Interface((base + 1, 30)), IPv4Interface((base + 2, 30))


def host_route(address: IPv4Address) -> IPv4Network:
    """``address``/32, from its integer: given an address object, ``IPv4Network`` formats
    it as text and parses that back."""
    return IPv4Network((int(address), 32))


def fibre_vlan(site_id: int) -> int:
    vlan = FIBRE_VLAN_BASE + site_id
    if vlan > MAX_VLAN:
        raise PoolExhausted(f"own-fibre VLAN {vlan} for site id {site_id} exceeds {MAX_VLAN}")
    return vlan


def site_asn(base: int, site_id: int) -> int:
    return base + site_id
