"""DeviceIntent: everything one router must be, in platform-neutral terms.

Frozen dataclasses, not pydantic: intent is built by code from an already-validated Network,
so it needs immutability and typing, not input validation. Templates read only these
objects, which keeps address arithmetic and policy decisions out of Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from pydriver.sot.models import CryptoProfile, Platform


@dataclass(frozen=True, slots=True)
class Interface:
    """A routed interface: physical port, VLAN sub-interface or LAN zone."""

    name: str
    role: str  # "mgmt" | "wan" | "metro" | "core" | "fibre" | "zone" | "link"
    description: str
    address: IPv4Interface | None = None
    vlan: int | None = None  # 802.1Q tag for sub-interfaces
    parent: str | None = None  # the port a VLAN sub-interface rides on


@dataclass(frozen=True, slots=True)
class Zone:
    """A LAN zone of a site (staff, cctv, guest_wifi, vicon)."""

    kind: str
    interface: str
    gateway: IPv4Interface
    prefix: IPv4Network
    description: str


@dataclass(frozen=True, slots=True)
class Tunnel:
    """One end of an encrypted tunnel; the other end is built from the same site link.

    ``encapsulation`` is ``gre-ipsec`` (GRE protected by transport-mode IPsec; RouterOS and
    IOS-XE) or ``ipsec-tunnel`` (tunnel-mode IPsec with traffic selectors; linux_frr).
    """

    name: str
    number: int  # stable per site link: site id * 4 + link index
    peer: str  # hostname of the other end
    site: str  # site code
    link: str  # site link name
    backup: bool
    encapsulation: str
    underlay_interface: str
    local_underlay: IPv4Address
    remote_underlay: IPv4Address
    inner: IPv4Interface
    remote_inner: IPv4Address
    crypto_name: str
    crypto: CryptoProfile
    psk: str  # placeholder text, never the value
    local_ts: tuple[IPv4Network, ...] = ()
    remote_ts: tuple[IPv4Network, ...] = ()
    # a hub waits for its sites to start their SAs; between two regions' hubs one must
    # start: the lower tier's (the interconnect's initiator)
    initiator: bool = False


@dataclass(frozen=True, slots=True)
class Neighbor:
    """A BGP neighbour as one router configures it."""

    address: IPv4Address
    remote_as: int
    description: str
    ebgp: bool = True
    default_originate: bool = False
    backup: bool = False  # site side: lower local-pref in, prepend out
    accept: tuple[tuple[IPv4Network, int], ...] = ()  # hub side: (prefix, le) accepted
    filter_name: str = ""  # name of the inbound prefix filter (empty: accept all)
    update_source: str | None = None
    multihop: bool = False
    # interconnects between regions: only the declared exports go out, the peer's declared
    # exports come in (any prefix inside them), and at most max_prefix of them
    export: tuple[tuple[IPv4Network, int], ...] = ()  # (prefix, le) sent
    export_filter: str = ""  # name of the outbound prefix filter (empty: no filter)
    max_prefix: int | None = None


@dataclass(frozen=True, slots=True)
class Bgp:
    asn: int
    router_id: IPv4Address
    networks: tuple[IPv4Network, ...]
    neighbors: tuple[Neighbor, ...]


@dataclass(frozen=True, slots=True)
class StaticRoute:
    prefix: IPv4Network
    gateway: IPv4Address
    description: str


#: the share (percent) of every shaped link guaranteed to video conferences: the vicon
#: zone's DSCP EF (and AF41, which endpoints may choose) is trusted and served first, up to
#: this share, at the site, at every hub and across every interconnect
VICON_SHARE = 30
#: the DSCP values of video conference traffic (EF for media, AF41 for interactive video)
VICON_DSCP = (46, 34)


def vicon_mbps(mbps: int) -> int:
    """The guaranteed video-conference share of ``mbps`` (at least 1 Mbps)."""
    return max(1, -(-mbps * VICON_SHARE // 100))


@dataclass(frozen=True, slots=True)
class Shaping:
    """Per-site shaping at a hub: guaranteed and max rate, priority 1 (high) .. 8."""

    site: str
    name: str  # queue/class name
    target: IPv4Network  # the site's LAN block
    interface: str  # hub-side interface toward the site (tunnel or fibre VLAN)
    underlay: IPv4Address | None  # the site's underlay address (tunnels) for WAN classifiers
    guaranteed_mbps: int
    max_mbps: int
    priority: int

    @property
    def vicon_mbps(self) -> int:
        """What video conferences are guaranteed inside this site's (or peer's) share."""
        return vicon_mbps(self.guaranteed_mbps)


@dataclass(frozen=True, slots=True)
class SiteQos:
    """At a site: video conference first, the rest shares what is left."""

    total_mbps: int
    vicon: IPv4Network | None
    lan: tuple[IPv4Network, ...]

    @property
    def vicon_mbps(self) -> int:
        return vicon_mbps(self.total_mbps)


@dataclass(frozen=True, slots=True)
class Admin:
    name: str
    full_name: str
    secret: str  # placeholder


@dataclass(frozen=True, slots=True)
class Baseline:
    """The security baseline every router gets (BSSN 4/2021 Pasal 33)."""

    domain: str
    timezone: str
    ntp: tuple[IPv4Address, ...]
    syslog: tuple[IPv4Address, ...]
    dns: tuple[IPv4Address, ...]
    radius: tuple[IPv4Address, ...]
    radius_secret: str  # placeholder
    snmp_user: str
    snmp_auth: str  # placeholder
    snmp_priv: str  # placeholder
    snmp_location: str
    contact: str
    admins: tuple[Admin, ...]
    banner: tuple[str, ...]
    management: tuple[IPv4Network, ...]  # only these may reach the router's management plane
    internal: tuple[IPv4Network, ...]  # the intranet: what guest Wi-Fi must never reach
    monitoring: tuple[IPv4Address, ...]


@dataclass(frozen=True, slots=True)
class DeviceIntent:
    """All a template needs to render one router."""

    hostname: str
    platform: Platform
    model: str
    role: str  # "hub" | "site"
    title: str  # human name: site or data-centre name
    site_code: str | None
    loopback: IPv4Address
    management: IPv4Address
    interfaces: tuple[Interface, ...]
    zones: tuple[Zone, ...]
    tunnels: tuple[Tunnel, ...]
    bgp: Bgp
    static_routes: tuple[StaticRoute, ...]
    shaping: tuple[Shaping, ...]
    qos: SiteQos | None
    nat_sources: tuple[IPv4Network, ...]  # hubs: LANs that leave to the internet here
    wan_interface: str | None  # hubs: where the internet uplink is
    wan_mbps: int | None
    baseline: Baseline
    tunnel_peers: tuple[IPv4Address, ...]  # underlay addresses allowed to speak IKE/ESP
    bgp_peers: tuple[IPv4Address, ...]  # addresses allowed to speak BGP

    @property
    def is_hub(self) -> bool:
        return self.role == "hub"

    @property
    def vicon_share(self) -> int:
        """Percent of a shaped link guaranteed to video conferences (same on every router)."""
        return VICON_SHARE

    @property
    def vicon_dscp(self) -> tuple[int, ...]:
        return VICON_DSCP

    @property
    def wan_vicon_mbps(self) -> int:
        """A hub's guaranteed video-conference share of its internet uplink."""
        return vicon_mbps(self.wan_mbps or 0)

    def initiated(self) -> frozenset[str]:
        """The interconnect sessions this router starts, by the names post-checks give
        their far ends (the peer region's hub, the interconnect's label): the lower tier's
        hub must bring them up after a change, as a site must bring up its links."""
        return frozenset(name for t in self.tunnels if t.initiator for name in (t.peer, t.site))
