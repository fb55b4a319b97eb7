"""Derive every router's DeviceIntent from the Network: addresses, tunnels, BGP, queues.

Routing design (the choice, and why): eBGP, hub-and-spoke. The hubs share the region's
private ASN and peer iBGP with each other over the data-centre core; every site has its own
private 4-byte ASN (``site_asn_base + id``) and peers eBGP with the hub at the far end of each
of its links, over the tunnel (or directly over own fibre). eBGP per site gives per-site
policy at the hub for free (a prefix filter per neighbour accepts only that site's block and
loopback, so a misconfigured site cannot attract another's traffic), needs no IGP across the
ISP's network, and AS-path loop prevention keeps two-hub sites sane. Hubs originate the
default route to the sites: the internet is bought centrally and leaves at the data centre,
where the hub source-NATs the site LANs onto its uplink. A site's backup link is
depreferred both ways: local-pref 50 on what it learns over the backup, and its own AS
prepended twice on what it announces there.

Both ends of every tunnel come from one site link, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network

from pydriver.bulk import stage
from pydriver.intent.interconnect import Naming, hub_end
from pydriver.intent.model import (
    Admin,
    Baseline,
    Bgp,
    DeviceIntent,
    Interface,
    Neighbor,
    Shaping,
    SiteQos,
    StaticRoute,
    Tunnel,
    Zone,
)
from pydriver.sot import ipam, secrets
from pydriver.sot.models import Hub, Link, Medium, Network, Platform, Site, ZoneKind

ANY = IPv4Network("0.0.0.0/0")


Platforms = Callable[[Platform], Naming]


def _region_baseline(net: Network) -> Baseline:
    """The baseline every router of the region shares (its SNMP location aside)."""
    base = net.baseline

    def addrs(names: tuple[str, ...]) -> tuple[IPv4Address, ...]:
        return tuple(net.server(n).address for n in names)

    def ph(ref: str) -> str:
        return secrets.parse(ref).placeholder

    monitoring = tuple(s.address for s in net.servers if "monitoring" in s.roles)
    csirt = net.region.csirt
    return Baseline(
        domain=net.region.domain,
        timezone=net.region.timezone,
        ntp=addrs(base.ntp),
        syslog=addrs(base.syslog),
        dns=addrs(base.dns),
        radius=addrs(base.radius),
        radius_secret=ph(base.radius_secret),
        snmp_user=base.snmp.user,
        snmp_auth=ph(base.snmp.auth_secret),
        snmp_priv=ph(base.snmp.priv_secret),
        snmp_location="",
        contact=f"{csirt.name} <{csirt.email}>",
        admins=tuple(Admin(a.name, a.full_name, ph(a.secret)) for a in base.admins),
        # lines end at "\n" only: another character Python counts as a line break is
        # text, and each platform writes it safely within its line
        banner=tuple(base.banner.rstrip("\n").split("\n")),
        management=net.management_zones(),
        internal=net.intranet(),
        monitoring=monitoring,
    )


def _hub_underlay(hub: Hub, link: Link) -> tuple[str, IPv4Address]:
    iface = hub.interfaces.metro if link.medium is Medium.ISP_METRO else hub.interfaces.wan
    assert iface is not None and iface.address is not None, "validated by semantic"
    return iface.name, iface.address.ip


def _site_prefixes(net: Network, site: Site) -> tuple[IPv4Network, ...]:
    """What a site announces: its zones and its loopback."""
    zones = tuple(ipam.zone_prefix(net.pools, site.id, z.kind) for z in site.zones)
    return (*zones, ipam.host_route(ipam.site_loopback(net.pools, site.id)))


class _Builder:
    def __init__(self, net: Network, platforms: Platforms) -> None:
        self.net = net
        self.platforms = platforms
        # what every router of the region shares, worked out once (not once per site)
        self.common = _region_baseline(net)
        # every site link looks its hub up; a scan per lookup would be quadratic in a nation
        self.hub_named = {h.hostname: h for h in net.hubs()}
        self.hub_tunnels: dict[str, list[Tunnel]] = defaultdict(list)
        self.hub_fibre: dict[str, list[Interface]] = defaultdict(list)
        self.hub_neighbors: dict[str, list[Neighbor]] = defaultdict(list)
        self.hub_shaping: dict[str, list[Shaping]] = defaultdict(list)

    # -- sites -----------------------------------------------------------------------------
    def site(self, site: Site) -> DeviceIntent:
        net, pools = self.net, self.net.pools
        platform = site.router.platform
        loopback = ipam.site_loopback(pools, site.id)
        asn = ipam.site_asn(net.region.site_asn_base, site.id)
        prefixes = _site_prefixes(net, site)
        interfaces: list[Interface] = []
        tunnels: list[Tunnel] = []
        neighbors: list[Neighbor] = []
        statics: list[StaticRoute] = []
        tunnel_peers: list[IPv4Address] = []
        for n, link in enumerate(site.links):
            hub = self.hub_named[link.hub]
            hub_end, site_end = ipam.transit_ends(pools, site.id, n)
            backup = link.role == "backup"
            crypto_name = link.crypto_profile or hub.crypto_profile
            crypto = net.crypto_profiles[crypto_name]
            desc = f"{link.medium.value} {link.provider or ''} to {hub.hostname}".replace("  ", " ")
            shaping_iface: str
            underlay: IPv4Address | None = None
            if link.medium.needs_tunnel:
                assert link.address is not None and link.gateway is not None
                hub_iface, hub_ip = _hub_underlay(hub, link)
                psk_ref = link.psk or secrets.format_site_ref(net.baseline.tunnel_psk, site.code)
                psk = secrets.parse(psk_ref).placeholder
                encap = self.platforms(platform).encapsulation
                block = ipam.site_block(pools, site.id)
                site_ts = (block, ipam.host_route(loopback), site_end.network)
                number = site.id * ipam.LINKS_PER_SITE + n
                interfaces.append(Interface(link.interface, "link", desc, link.address))
                statics.append(StaticRoute(ipam.host_route(hub_ip), link.gateway,
                                           f"underlay to {hub.hostname}"))
                tunnel_peers.append(hub_ip)
                tunnels.append(Tunnel(
                    name=self.platforms(platform).tunnel_name(site.code, link.name, n, number,
                                                              hub_side=False), number=number,
                    peer=hub.hostname, site=site.code, link=link.name, backup=backup,
                    encapsulation=encap, underlay_interface=link.interface,
                    local_underlay=link.address.ip, remote_underlay=hub_ip,
                    inner=site_end, remote_inner=hub_end.ip, crypto_name=crypto_name,
                    crypto=crypto, psk=psk, local_ts=site_ts, remote_ts=(ANY,)))
                hub_tunnel = Tunnel(
                    name=self.platforms(hub.platform).tunnel_name(site.code, link.name, n, number,
                                                                  hub_side=True), number=number,
                    peer=site.router.hostname, site=site.code, link=link.name, backup=backup,
                    encapsulation=encap, underlay_interface=hub_iface, local_underlay=hub_ip,
                    remote_underlay=link.address.ip, inner=hub_end, remote_inner=site_end.ip,
                    crypto_name=crypto_name, crypto=crypto, psk=psk, local_ts=(ANY,),
                    remote_ts=site_ts)
                self.hub_tunnels[hub.hostname].append(hub_tunnel)
                shaping_iface = hub_tunnel.name
                underlay = link.address.ip
            else:
                vlan = ipam.fibre_vlan(site.id)
                fibre = hub.interfaces.fibre
                assert fibre is not None
                interfaces.append(Interface(link.interface, "link", desc, site_end))
                hub_if = Interface(self.platforms(hub.platform).vlan_interface(fibre.name, vlan),
                                   "fibre",
                                   f"own fibre to {site.code}", hub_end, vlan, fibre.name)
                self.hub_fibre[hub.hostname].append(hub_if)
                shaping_iface = hub_if.name
            multihop = False  # every transit /30 is connected, on every platform
            neighbors.append(Neighbor(
                address=hub_end.ip, remote_as=net.region.asn, description=hub.hostname,
                backup=backup, multihop=multihop,
                update_source=str(site_end.ip) if multihop else None))
            self.hub_neighbors[hub.hostname].append(Neighbor(
                address=site_end.ip, remote_as=asn, description=f"{site.code} {link.name}",
                default_originate=True,
                accept=(*((p, p.prefixlen) for p in prefixes),),
                filter_name=f"SITE-{site.code.upper()}-IN", multihop=multihop,
                update_source=str(hub_end.ip) if multihop else None))
            self.hub_shaping[hub.hostname].append(Shaping(
                site=site.code, name=f"site-{site.code}", target=ipam.site_block(pools, site.id),
                interface=shaping_iface, underlay=underlay,
                guaranteed_mbps=site.bandwidth.guaranteed_mbps,
                max_mbps=site.bandwidth.max_mbps, priority=site.bandwidth.priority))
        zones = tuple(
            Zone(z.kind.value, z.interface, ipam.zone_gateway(pools, site.id, z.kind),
                 ipam.zone_prefix(pools, site.id, z.kind), z.description or z.kind.value)
            for z in sorted(site.zones, key=lambda z: ipam.ZONE_SLOTS.index(z.kind)))
        for z in zones:
            interfaces.append(self._zone_interface(z))
        vicon = next((z.prefix for z in zones if z.kind == ZoneKind.VICON), None)
        return DeviceIntent(
            hostname=site.router.hostname, platform=platform, model=site.router.model,
            role="site", title=site.name, site_code=site.code, loopback=loopback,
            management=site.router.management or loopback, interfaces=tuple(interfaces),
            zones=zones, tunnels=tuple(tunnels),
            bgp=Bgp(asn, loopback, prefixes, tuple(neighbors)),
            static_routes=tuple(statics), shaping=(),
            qos=SiteQos(site.bandwidth.max_mbps, vicon, tuple(z.prefix for z in zones)),
            nat_sources=(), wan_interface=None, wan_mbps=None,
            baseline=self._baseline(site.name), tunnel_peers=tuple(tunnel_peers),
            bgp_peers=tuple(nb.address for nb in neighbors))

    def _baseline(self, location: str) -> Baseline:
        """The baseline of one router: the region's, with its own SNMP location."""
        prefix = self.net.baseline.snmp.location_prefix
        return replace(self.common,
                       snmp_location=", ".join(x for x in (prefix, location) if x))

    @staticmethod
    def _zone_interface(zone: Zone) -> Interface:
        """A zone on ``parent.N`` is VLAN N of ``parent`` (a bridge's name is only a name).

        Validation has checked every name against its platform's grammar, which takes a
        '.N' suffix only when N is a VLAN id 1-4094 in ASCII digits, so the tag is read
        here without a second guess; a name that slipped past it is kept whole, never
        turned into an exception half-way through building the network."""
        name = zone.interface
        parent, dot, tag = name.rpartition(".")
        if dot and parent and not name.startswith(("br-", "bridge")) and \
                tag.isascii() and tag.isdigit():
            return Interface(name, "zone", zone.description, zone.gateway, int(tag), parent)
        return Interface(name, "zone", zone.description, zone.gateway)

    # -- hubs ------------------------------------------------------------------------------
    def hub(self, hub: Hub) -> DeviceIntent:
        net = self.net
        dc = net.datacenter_of(hub)
        ifs = hub.interfaces
        loopback = ipam.hub_loopback(net.pools, hub.id)
        interfaces = [Interface(ifs.mgmt.name, "mgmt", "management zone", ifs.mgmt.address),
                      Interface(ifs.wan.name, "wan", f"internet uplink {ifs.wan.uplink}",
                                ifs.wan.address),
                      Interface(ifs.core.name, "core", f"{dc.code} core", ifs.core.address)]
        if ifs.metro is not None:
            interfaces.append(Interface(ifs.metro.name, "metro", "ISP metro aggregation",
                                        ifs.metro.address))
        if ifs.fibre is not None:
            interfaces.append(Interface(ifs.fibre.name, "fibre", "own fibre aggregation"))
        ends = [hub_end(net, ic, self.platforms(hub.platform))
                for ic in net.interconnects if ic.hub == hub.hostname]
        interfaces += sorted([*self.hub_fibre[hub.hostname], *(e.vlan for e in ends if e.vlan)],
                             key=lambda i: i.vlan or 0)
        zones = [dc.zones.server, dc.zones.management] + ([dc.zones.dmz] if dc.zones.dmz else [])
        assert ifs.wan.gateway is not None
        statics = [StaticRoute(ANY, ifs.wan.gateway, f"internet via {ifs.wan.uplink}")]
        statics += [StaticRoute(z, dc.zones.core_gateway, f"{dc.code} zone") for z in zones]
        for other in net.datacenters:
            if other is not dc:
                statics.append(StaticRoute(other.zones.core, dc.zones.core_gateway,
                                           f"{other.code} core over the DC interconnect"))
        neighbors = [
            Neighbor(address=o.interfaces.core.address.ip, remote_as=net.region.asn,
                     description=o.hostname, ebgp=False)
            for o in net.hubs() if o is not hub and o.interfaces.core.address is not None]
        tunnels = sorted([*self.hub_tunnels[hub.hostname], *(e.tunnel for e in ends if e.tunnel)],
                         key=lambda t: t.number)
        site_neighbors = sorted([*self.hub_neighbors[hub.hostname], *(e.neighbor for e in ends)],
                                key=lambda nb: nb.address)
        uplink = next(u for u in dc.uplinks if u.name == ifs.wan.uplink)
        return DeviceIntent(
            hostname=hub.hostname, platform=hub.platform, model=hub.model, role="hub",
            title=dc.name, site_code=None, loopback=loopback, management=hub.management,
            interfaces=tuple(interfaces), zones=(), tunnels=tuple(tunnels),
            bgp=Bgp(net.region.asn, loopback,
                    (*zones, ipam.host_route(loopback)), (*neighbors, *site_neighbors)),
            static_routes=tuple(statics),
            shaping=tuple(sorted([*self.hub_shaping[hub.hostname], *(e.shaping for e in ends)],
                                 key=lambda s: s.site)),
            qos=None, nat_sources=(net.pools.site_lan,), wan_interface=ifs.wan.name,
            wan_mbps=uplink.mbps, baseline=self._baseline(dc.name),
            tunnel_peers=tuple(t.remote_underlay for t in tunnels),
            bgp_peers=tuple(nb.address for nb in (*neighbors, *site_neighbors)))


@stage
def build(net: Network, platforms: Platforms) -> dict[str, DeviceIntent]:
    """Every router's intent, keyed by hostname, hubs first, then sites by id."""
    builder = _Builder(net, platforms)
    sites = {s.router.hostname: builder.site(s) for s in net.sites}
    hubs = {h.hostname: builder.hub(h) for h in net.hubs()}
    return {**hubs, **sites}

