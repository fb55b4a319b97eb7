"""A hub's end of each interconnect with a region of another tier.

An interconnect looks, from the hub, much like a site link: a tunnel (or an own-fibre VLAN),
an eBGP neighbour and a shaper. The differences are the point of the tiers: the neighbour
is another region's hubs (its ASN, not a site's), only the prefixes this region declared
are sent (an outbound filter: no transit for a third region, ever), only the prefixes the
peer declared are accepted (and at most ``max_prefix`` of them; never a default), and the
link is shaped to the agreed capacity. Both ends are computed from the same agreed data
(transit block, tiers), so two repositories that agree render two ends that fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Protocol

from pydriver.intent.model import Interface, Neighbor, Shaping, Tunnel
from pydriver.sot import secrets
from pydriver.sot.federation import higher_first, hub_underlay, transit_ends
from pydriver.sot.models import INTERCONNECT_TUNNEL_BASE, Interconnect, Medium, Network

#: interconnects are shaped just below the sites' top priority: video first, then the peer
PRIORITY = 2
#: any prefix inside a declared one may be exchanged (a region announces its zones)
ANY_LENGTH = 32


class Naming(Protocol):
    """What intent needs of a platform (its driver provides it): how it names things."""

    encapsulation: str

    def tunnel_name(self, site_code: str, link_name: str, index: int, number: int,
                    hub_side: bool) -> str: ...

    def vlan_interface(self, parent: str, vlan: int) -> str: ...


@dataclass(frozen=True, slots=True)
class HubEnd:
    """What one interconnect adds to its hub's intent."""

    tunnel: Tunnel | None
    vlan: Interface | None
    neighbor: Neighbor
    shaping: Shaping


def filter_name(ic: Interconnect, direction: str) -> str:
    return f"IC-{ic.name.upper()}-{direction}"


def hub_end(net: Network, ic: Interconnect, naming: Naming) -> HubEnd:
    """The hub's end of ``ic``; ``naming`` is the hub platform's naming (tunnel_name,
    vlan_interface, encapsulation)."""
    hub = net.hub(ic.hub)
    ours, theirs = transit_ends(ic.transit, net.region.level, ic.peer.tier)
    label = f"ic-{ic.name}"
    desc = f"interconnect {ic.peer.tier} {ic.peer.code} {ic.peer.hub}"
    tunnel: Tunnel | None = None
    vlan: Interface | None = None
    if ic.medium.needs_tunnel:
        local = hub_underlay(hub, ic.medium)
        assert local is not None and ic.peer.underlay is not None and ic.psk is not None
        iface = hub.interfaces.metro if ic.medium is Medium.ISP_METRO else hub.interfaces.wan
        assert iface is not None
        crypto_name = ic.crypto_profile or hub.crypto_profile
        number = INTERCONNECT_TUNNEL_BASE + ic.id
        tunnel = Tunnel(
            name=naming.tunnel_name(label, ic.name, 0, number, hub_side=True),
            number=number, peer=ic.peer.hub, site=label, link=ic.peer.code, backup=False,
            encapsulation=naming.encapsulation,
            underlay_interface=iface.name, local_underlay=local,
            remote_underlay=ic.peer.underlay, inner=ours, remote_inner=theirs.ip,
            crypto_name=crypto_name, crypto=net.crypto_profiles[crypto_name],
            psk=secrets.parse(ic.psk).placeholder,
            local_ts=(*ic.exports, ic.transit), remote_ts=(*ic.peer.exports, ic.transit),
            initiator=not higher_first(net.region.level, ic.peer.tier))
        shaped = tunnel.name
    else:
        fibre = hub.interfaces.fibre
        assert fibre is not None and ic.vlan is not None
        vlan = Interface(naming.vlan_interface(fibre.name, ic.vlan),
                         "fibre", desc, ours, ic.vlan, fibre.name)
        shaped = vlan.name
    neighbor = Neighbor(
        address=theirs.ip, remote_as=ic.peer.asn, description=f"{label} {ic.peer.code}",
        accept=tuple((p, ANY_LENGTH) for p in ic.peer.exports),
        filter_name=filter_name(ic, "IN"),
        export=tuple((p, ANY_LENGTH) for p in ic.exports),
        export_filter=filter_name(ic, "OUT"), max_prefix=ic.max_prefix)
    shaping = Shaping(site=label, name=label, target=ic.transit, interface=shaped,
                      underlay=ic.peer.underlay, guaranteed_mbps=ic.capacity_mbps,
                      max_mbps=ic.capacity_mbps, priority=PRIORITY)
    return HubEnd(tunnel, vlan, neighbor, shaping)


def exported(net: Network) -> tuple[IPv4Network, ...]:
    """Every prefix the region exports on some interconnect."""
    return tuple(sorted({p for ic in net.interconnects for p in ic.exports}))
