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


# A province asks for site blocks and zones tens of thousands of times, and a cache keyed
# by the Pools model would hash its four networks (Python code each) on every call: the
# caches are keyed by the site LAN pool's integers instead, worked out once per Pools.
_Lan = tuple[int, int, int]  # site_lan's first address, its prefix length, site_block
_lans: dict[int, tuple[Pools, _Lan]] = {}


def _lan(pools: Pools) -> _Lan:
    held = _lans.get(id(pools))
    if held is not None and held[0] is pools:  # the entry keeps ``pools`` alive: same id
        return held[1]
    lan = (int(pools.site_lan.network_address), pools.site_lan.prefixlen, pools.site_block)
    if len(_lans) >= 64:
        _lans.clear()
    _lans[id(pools)] = (pools, lan)
    return lan


def site_block(pools: Pools, site_id: int) -> IPv4Network:
    """The site's LAN block (remembered: asked for by its zones, its shaping and its hub)."""
    return _site_block(_lan(pools), site_id)


@lru_cache(maxsize=1 << 16)
def _site_block(lan: _Lan, site_id: int) -> IPv4Network:
    first, length, block = lan
    size = 1 << (32 - block)
    count = (1 << (32 - length)) // size
    if site_id >= count:
        raise PoolExhausted(
            f"site_lan pool {IPv4Network((first, length))} holds {count - 1} /{block} site "
            f"blocks (ids 1..{count - 1}); site id {site_id} does not fit")
    return IPv4Network((first + site_id * size, block))


def zone_prefix(pools: Pools, site_id: int, kind: ZoneKind) -> IPv4Network:
    """The zone's quarter of the site's block (arithmetic: a hub renders thousands)."""
    return _zone_prefix(_lan(pools), site_id, kind)


@lru_cache(maxsize=1 << 16)
def _zone_prefix(lan: _Lan, site_id: int, kind: ZoneKind) -> IPv4Network:
    first, _, block = lan
    size = 1 << (32 - block)
    _site_block(lan, site_id)  # raises when the site is outside the pool
    quarter = size // 4
    return IPv4Network((first + site_id * size + ZONE_SLOTS.index(kind) * quarter,
                        block + 2))


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
