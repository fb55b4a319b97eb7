"""The architecture document (Peraturan BSSN 4/2021 Pasal 33 ayat (1) huruf a), built from
the validated network and the derived intent: the region, the data centres and their
zones, the topology, the address plan and how each address derives from a site id, the
routing and tunnel design, the crypto policy and the management zone.

Nothing here is written by hand: every table is read off the source of truth, so the
document describes the network the routers are configured from, not a drawing that was
right once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pydriver.intent.model import DeviceIntent
from pydriver.report.bssn.doc import Block, Fields, Figure, Heading, Para, Pre, Table
from pydriver.report.bssn.topology import link_label
from pydriver.sot import ipam
from pydriver.sot.models import TIER_RANK, DataCenter, Interconnect, Network, ServerRole

T = Callable[[str], str]


def _region(net: Network, t: T) -> list[Block]:
    r = net.region
    csirt = ", ".join(x for x in (r.csirt.name, r.csirt.email, r.csirt.phone or "") if x)
    return [Heading(2, t("arch.region"), "region"), Fields((
        (t("arch.region.code"), r.code), (t("arch.region.name"), r.name),
        (t("arch.region.level"), r.level), (t("arch.region.domain"), r.domain),
        (t("arch.region.asn"), str(r.asn)),
        (t("arch.region.site_asn"), f"{r.site_asn_base} + id"),
        (t("arch.region.overbooking"), f"{r.overbooking:g}"),
        (t("arch.region.timezone"), r.timezone), (t("arch.region.csirt"), csirt)))]


def _datacenter(dc: DataCenter, intents: Mapping[str, DeviceIntent], t: T) -> list[Block]:
    z = dc.zones
    zones: list[tuple[str, str]] = [(t("arch.zone.core"), str(z.core)),
                                    (t("arch.zone.server"), str(z.server)),
                                    (t("arch.zone.management"), str(z.management))]
    if z.dmz:
        zones.append((t("arch.zone.dmz"), str(z.dmz)))
    hubs = tuple((h.hostname, h.platform.value, h.model,
                  str(intents[h.hostname].loopback) if h.hostname in intents else "",
                  str(h.management)) for h in dc.hubs)
    return [
        Heading(3, f"{dc.name} ({dc.code}, {t('arch.dc.role.' + dc.role)})"),
        Fields(((t("arch.col.address"), dc.address or "-"),)),
        Heading(4, t("arch.dc.zones")),
        Table((t("arch.col.zone"), t("arch.col.prefix")), tuple(zones), css="zones"),
        Heading(4, t("arch.dc.uplinks")),
        Table((t("arch.col.name"), t("arch.col.isp"), t("arch.col.contract"),
               t("arch.col.mbps")),
              tuple((u.name, u.isp, u.contract, u.mbps) for u in dc.uplinks),
              numeric=frozenset({3}), css="uplinks"),
        Heading(4, t("arch.dc.hubs")),
        Table((t("arch.col.hostname"), t("arch.col.platform"), t("arch.col.model"),
               t("arch.col.loopback"), t("arch.col.mgmt")), hubs, css="hubs"),
    ]


def _addressing(net: Network, intents: Mapping[str, DeviceIntent], t: T) -> list[Block]:
    p = net.pools
    pools = ((p.loopback, "loopback"), (p.transit, "transit"), (p.site_lan, "site_lan"),
             (p.management, "management"))
    rules = (("block", t("arch.rule.block.how").format(prefix=p.site_block)),
             ("zones", t("arch.rule.zones.how")), ("loopback", t("arch.rule.loopback.how")),
             ("transit", t("arch.rule.transit.how")), ("vlan", t("arch.rule.vlan.how")),
             ("asn", t("arch.rule.asn.how")))
    sites = []
    for s in sorted(net.sites, key=lambda s: s.id):
        intent = intents.get(s.router.hostname)
        zones = "; ".join(f"{z.kind} {z.prefix}" for z in intent.zones) if intent else ""
        transit = "; ".join(f"{link.name} {ipam.transit(p, s.id, n)}"
                            for n, link in enumerate(s.links))
        sites.append((s.id, s.code, s.name, str(ipam.site_block(p, s.id)), zones,
                      str(ipam.site_loopback(p, s.id)), net.region.site_asn_base + s.id,
                      transit))
    return [
        Heading(2, t("arch.addressing"), "addressing"), Para(t("arch.addressing.intro")),
        Table((t("arch.col.pool"), t("arch.col.prefix"), t("arch.col.use")),
              tuple((name, str(net_), t(f"arch.pool.{name}")) for net_, name in pools),
              css="pools"),
        Table((t("arch.col.what"), t("arch.col.rule")),
              tuple((t(f"arch.rule.{k}"), how) for k, how in rules), css="derivation"),
        Heading(3, t("arch.sites")),
        Table((t("arch.col.id"), t("arch.col.code"), t("arch.col.name"), t("arch.col.lan"),
               t("arch.col.zones"), t("arch.col.loopback"), t("arch.col.asn"),
               t("arch.col.transit")), tuple(sites), numeric=frozenset({0, 6}),
              css="sites"),
    ]


def _routing(net: Network, intents: Mapping[str, DeviceIntent], t: T) -> list[Block]:
    bgp = []
    for host in sorted(intents):
        b = intents[host].bgp
        neighbours = "; ".join(f"{n.address} AS{n.remote_as} ({n.description})"
                               for n in b.neighbors)
        bgp.append((host, b.asn, str(b.router_id), neighbours,
                    ", ".join(str(x) for x in b.networks)))
    links = []
    for s in sorted(net.sites, key=lambda s: s.id):
        intent = intents.get(s.router.hostname)
        for n, link in enumerate(s.links):
            tunnel = next((tun for tun in (intent.tunnels if intent else ())
                           if tun.link == link.name), None)
            encap = t(f"arch.encap.{tunnel.encapsulation}") if tunnel else ""
            links.append((s.code, link.name, t(f"arch.medium.{link.medium.value}"), link.hub,
                          t(f"arch.link.{link.role}"), link.capacity_mbps,
                          link.provider or "", link_label(s, n, intents, t), encap,
                          tunnel.crypto_name if tunnel else "",
                          str(ipam.transit(net.pools, s.id, n))))
    return [
        Heading(2, t("arch.routing"), "routing"), Para(t("arch.routing.intro")),
        Para(t("arch.tunnels.intro")),
        Heading(3, t("arch.tunnels")),
        Table((t("arch.col.site"), t("arch.col.link"), t("arch.col.medium"), t("arch.col.hub"),
               t("arch.col.link_role"), t("arch.col.capacity"), t("arch.col.provider"),
               t("arch.col.tunnel"), t("arch.col.encap"), t("arch.col.crypto"),
               t("arch.col.transit")), tuple(links), numeric=frozenset({5}), css="links"),
        Heading(3, t("arch.bgp")),
        Table((t("arch.col.router"), t("arch.col.asn"), t("arch.col.router_id"),
               t("arch.col.neighbors"), t("arch.col.networks")), tuple(bgp),
              numeric=frozenset({1}), css="bgp"),
    ]


def tiers_diagram(net: Network, this: str) -> str:
    """The federation as this region sees it: its peers above and below, one line a tier,
    each interconnect between them with its medium, capacity, transit and both hubs."""
    r = net.region
    rows = [(TIER_RANK[ic.peer.tier], f"{ic.peer.tier:<10} {ic.peer.code:<6} "
             f"{ic.peer.hub}", ic) for ic in net.interconnects]
    lines: list[str] = []
    for _rank, text, ic in sorted((x for x in rows if x[0] < TIER_RANK[r.level]),
                                  key=lambda x: (x[0], x[1])):
        lines += [text, _edge(ic)]
    lines.append(f"{r.level:<10} {r.code:<6} {r.name} ({this})")
    for _rank, text, ic in sorted((x for x in rows if x[0] > TIER_RANK[r.level]),
                                  key=lambda x: (x[0], x[1])):
        lines += [_edge(ic), text]
    return "\n".join(lines)


def _edge(ic: Interconnect) -> str:
    return (f"{'':<10} {'|':<6} {ic.hub} <-> {ic.peer.hub}: {ic.medium.value} "
            f"{ic.capacity_mbps} Mbps, {ic.transit}")


def _tiers(net: Network, t: T) -> list[Block]:
    if not net.interconnects:
        return []
    rows = tuple((ic.name, f"{ic.peer.code} ({ic.peer.tier})", ic.peer.asn, ic.hub,
                  ic.peer.hub, t(f"arch.medium.{ic.medium.value}"), ic.capacity_mbps,
                  str(ic.transit), ", ".join(map(str, ic.exports)),
                  ", ".join(map(str, ic.peer.exports)), ic.max_prefix)
                 for ic in net.interconnects)
    return [Heading(2, t("arch.tiers"), "tiers"), Para(t("arch.tiers.intro")),
            Pre(tiers_diagram(net, t("arch.tiers.this"))),
            Table((t("arch.col.name"), t("arch.col.peer"), t("arch.col.asn"),
                   t("arch.col.hub"), t("arch.col.peer_hub"), t("arch.col.medium"),
                   t("arch.col.capacity"), t("arch.col.transit"), t("arch.col.exports"),
                   t("arch.col.accepts"), t("arch.col.max_prefix")), rows,
                  numeric=frozenset({2, 6, 10}), css="interconnects")]


def _crypto(net: Network, t: T) -> list[Block]:
    def yes(flag: bool) -> str:
        return t("yes") if flag else t("no")

    rows = tuple((name, f"IKEv{p.ike_version}: {', '.join(p.ike_encryption)} / "
                        f"{', '.join(p.ike_integrity)}",
                  ", ".join(p.esp_encryption) + (f" / {', '.join(p.esp_integrity)}"
                                                 if p.esp_integrity else ""),
                  ", ".join(str(g) for g in p.dh_groups), yes(p.pfs),
                  f"IKE {p.ike_lifetime} / ESP {p.esp_lifetime}")
                 for name, p in sorted(net.crypto_profiles.items()))
    return [Heading(2, t("arch.crypto"), "crypto"), Para(t("arch.crypto.intro")),
            Table((t("arch.col.profile"), t("arch.col.ike"), t("arch.col.esp"),
                   t("arch.col.dh"), t("arch.col.pfs"), t("arch.col.lifetime")), rows,
                  css="crypto")]


def _management(net: Network, t: T) -> list[Block]:
    b = net.baseline
    services = []
    for role in ServerRole:
        servers = [s for s in net.servers if role in s.roles]
        if servers:
            services.append((role.value, ", ".join(
                f"{s.name} {s.address} ({s.datacenter}, {s.zone})" for s in servers)))
    return [
        Heading(2, t("arch.management"), "management"), Para(t("arch.management.intro")),
        Fields(((t("arch.mgmt.pool"), str(net.pools.management)),
                (t("arch.mgmt.snmp"), b.snmp.user))),
        Heading(3, t("arch.mgmt.zones")),
        Table((t("arch.col.datacenter"), t("arch.col.prefix")),
              tuple((dc.name, str(dc.zones.management)) for dc in net.datacenters),
              css="management"),
        Heading(3, t("arch.mgmt.services")),
        Table((t("arch.col.service"), t("arch.col.servers")), tuple(services), css="services"),
        Heading(3, t("arch.mgmt.admins")),
        Table((t("arch.col.account"), t("arch.col.full_name")),
              tuple((a.name, a.full_name) for a in b.admins), css="admins"),
        Heading(3, t("arch.mgmt.banner")), Pre(b.banner),
    ]


def architecture(net: Network, intents: Mapping[str, DeviceIntent], topology_svg: str,
                 t: T, header: list[Block]) -> list[Block]:
    """The whole document; ``header`` (title, date, source of truth) comes first."""
    blocks: list[Block] = [*header, *_region(net, t), Heading(2, t("arch.dc"), "datacenters")]
    for dc in net.datacenters:
        blocks += _datacenter(dc, intents, t)
    blocks += [Heading(2, t("arch.topology"), "topology"),
               Figure(topology_svg, "topology.svg", t("arch.topology.legend"))]
    blocks += _addressing(net, intents, t)
    blocks += _routing(net, intents, t)
    blocks += _tiers(net, t)
    blocks += _crypto(net, t)
    blocks += _management(net, t)
    return blocks
