"""The federation's shared files: the national address registry and the published side of
an interconnect.

Each tier (pusat, provinsi, kabupaten/kota) keeps its own source of truth in its own
repository; what they must share is small and written down here. ``registry.yml`` gives
every region its address pools and ASN range, so no two regions can ever announce the same
prefix. A published interconnect file is the part of one region's declaration its peer needs
to check that both sides agree: addresses, ASNs, hubs, capacity, medium, crypto parameters
and exported prefixes; never a secret or a secret reference, never another interconnect.

A peer's published file arrives from another team's repository, so it is untrusted input
exactly like our own inventory: the same strict value types, unknown keys refused.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from pydantic import Field

from pydriver.sot.models import (
    TIER_RANK,
    TRANSIT_PREFIXLEN,
    Address,
    CryptoProfile,
    Hostname,
    Hub,
    Int,
    Medium,
    Model,
    Name,
    Prefix,
    RegionCode,
    Text,
    Tier,
)

REGISTRY_FILE = "registry.yml"
PUBLISHED_FORMAT = 1


class AsnRange(Model):
    first: Int = Field(ge=64512, le=65534)
    last: Int = Field(ge=64512, le=65534)


class RegistryRegion(Model):
    """One region's allocation: every prefix it may use or announce, and its hubs' ASNs."""

    code: RegionCode
    name: Text
    tier: Tier
    asn: AsnRange
    pools: tuple[Prefix, ...] = Field(min_length=1, max_length=64)


class Registry(Model):
    """The whole of registry.yml: one per federation, the same file in every repository."""

    federation: Text
    interconnect_transit: Prefix = Field(
        description="every interconnect's transit /30 is taken from here")
    regions: tuple[RegistryRegion, ...] = Field(min_length=1, max_length=1000)

    def region(self, code: str) -> RegistryRegion | None:
        return next((r for r in self.regions if r.code == code), None)


class PublishedRegion(Model):
    code: RegionCode
    name: Text
    tier: Tier
    asn: Int = Field(ge=64512, le=65534)


class PublishedEnd(Model):
    """One end of the interconnect as the publisher sees it."""

    hub: Hostname
    underlay: Address | None = None
    exports: tuple[Prefix, ...] = Field(min_length=1, max_length=64)


class PublishedPeer(PublishedEnd):
    """The other end, as the publisher believes it to be (checked against the receiver)."""

    asn: Int = Field(ge=64512, le=65534)


class PublishedInterconnect(Model):
    name: Name
    medium: Medium
    capacity_mbps: Int = Field(gt=0, le=10_000_000)
    transit: Prefix
    vlan: Int | None = None
    encapsulation: Name | None = None  # tunnel media: how the publisher's hub builds it
    crypto: CryptoProfile | None = None  # tunnel media: the parameters, never the key
    local: PublishedEnd
    peer: PublishedPeer


class Published(Model):
    """The whole of a published interconnect file (``interconnect export``)."""

    format: Literal[1]
    source: PublishedRegion = Field(description="the publishing region")
    to: RegionCode
    interconnect: PublishedInterconnect


def published_name(source: str, to: str) -> str:
    """The published file's name: who publishes, for whom."""
    return f"{source}_to_{to}.yml"


def higher_first(tier: str, peer_tier: str) -> bool:
    """Whether this side is the higher tier of the two (it takes the transit's first host)."""
    return TIER_RANK[tier] < TIER_RANK[peer_tier]


def transit_ends(transit: IPv4Network, tier: str, peer_tier: str
                 ) -> tuple[IPv4Interface, IPv4Interface]:
    """(our end, the peer's end) of an interconnect's transit /30: the higher tier takes
    the first host, the lower the second; both sides compute the same from the same data."""
    base = int(transit.network_address)
    first = IPv4Interface((base + 1, TRANSIT_PREFIXLEN))
    second = IPv4Interface((base + 2, TRANSIT_PREFIXLEN))
    return (first, second) if higher_first(tier, peer_tier) else (second, first)


def hub_underlay(hub: Hub, medium: Medium) -> IPv4Address | None:
    """Where a hub ends an interconnect's tunnel: its metro or its internet address (own
    fibre has no underlay: the agreed VLAN is the link)."""
    iface = hub.interfaces.metro if medium is Medium.ISP_METRO else hub.interfaces.wan
    if medium is Medium.OWN_FIBRE or iface is None or iface.address is None:
        return None
    return iface.address.ip
