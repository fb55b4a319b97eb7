"""Rules of the tiers that one region can check alone: its registry, its interconnects.

What both sides of an interconnect must agree on is checked by :mod:`peers` against the
other side's published file; here each region checks its own half before it publishes it:
the federation's registry is sound (no two regions' pools overlap, no two ASN ranges), the
region is in it and keeps to its allocation, and every interconnect is complete and
consistent (its hub, medium, transit block, exports inside the allocation, crypto and key
reference). Every problem is located in region.yml or registry.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network

from pydriver.errors import Location, Problem
from pydriver.sot.federation import REGISTRY_FILE, Registry
from pydriver.sot.loader import Document, PathKey
from pydriver.sot.models import (
    TIER_RANK,
    TRANSIT_PREFIXLEN,
    DataCenter,
    Hub,
    Interconnect,
    Medium,
    Pools,
    RegionFile,
)
from pydriver.sot.semantic import Platforms


def region_prefixes(pools: Pools, datacenters: tuple[DataCenter, ...]
                    ) -> list[tuple[PathKey, IPv4Network]]:
    """Every prefix the region uses, with where it is written: pools and data-centre zones."""
    out: list[tuple[PathKey, IPv4Network]] = [
        (("pools", name), getattr(pools, name))
        for name in ("loopback", "transit", "site_lan", "management")]
    for d, dc in enumerate(datacenters):
        for name in ("core", "server", "management", "dmz"):
            net = getattr(dc.zones, name)
            if net is not None:
                out.append((("datacenters", d, "zones", name), net))
    return out


def _inside(net: IPv4Network, pools: tuple[IPv4Network, ...]) -> bool:
    return any(net.subnet_of(p) for p in pools)


@dataclass
class _Checker:
    region: RegionFile
    doc: Document
    registry: Registry | None
    registry_doc: Document | None
    platforms: Platforms
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: PathKey, message: str, code: str = "tiers") -> None:
        self.problems.append(Problem(self.doc.where(path), message, code))

    def reg_at(self, path: PathKey, message: str, code: str = "registry") -> None:
        assert self.registry_doc is not None
        self.problems.append(Problem(self.registry_doc.where(path), message, code))

    def reg_where(self, path: PathKey) -> Location:
        assert self.registry_doc is not None
        return self.registry_doc.where(path)

    # -- the registry on its own ------------------------------------------------------------
    def registry_sound(self, reg: Registry) -> None:
        seen: dict[str, int] = {}
        for r, entry in enumerate(reg.regions):
            if entry.code in seen:
                self.reg_at(("regions", r, "code"), f"region {entry.code} is already listed at "
                            f"{self.reg_where(('regions', seen[entry.code], 'code'))}",
                            "duplicate")
            seen.setdefault(entry.code, r)
            if entry.asn.first > entry.asn.last:
                self.reg_at(("regions", r, "asn"), f"region {entry.code}: ASN range "
                            f"{entry.asn.first}-{entry.asn.last} is empty")
            for p, net in enumerate(entry.pools):
                if net.overlaps(reg.interconnect_transit):
                    self.reg_at(("regions", r, "pools", p), f"region {entry.code}: pool {net} "
                                f"overlaps interconnect_transit {reg.interconnect_transit}",
                                "overlap")
        for r, a in enumerate(reg.regions):
            for s in range(r + 1, len(reg.regions)):
                b = reg.regions[s]
                for p, na in enumerate(a.pools):
                    for q, nb in enumerate(b.pools):
                        if na.overlaps(nb):
                            # named on both entries, each pointing at the other
                            pa, pb = ("regions", r, "pools", p), ("regions", s, "pools", q)
                            self.reg_at(pa, f"region {a.code} pool {na} overlaps region "
                                        f"{b.code} pool {nb} ({self.reg_where(pb)})", "overlap")
                            self.reg_at(pb, f"region {b.code} pool {nb} overlaps region "
                                        f"{a.code} pool {na} ({self.reg_where(pa)})", "overlap")
                if a.asn.first <= b.asn.last and b.asn.first <= a.asn.last:
                    self.reg_at(("regions", s, "asn"), f"region {b.code} ASN range "
                                f"{b.asn.first}-{b.asn.last} overlaps region {a.code}'s "
                                f"{a.asn.first}-{a.asn.last} "
                                f"({self.reg_where(('regions', r, 'asn'))})", "overlap")

    # -- this region against the registry ---------------------------------------------------
    def allocation(self, reg: Registry) -> tuple[IPv4Network, ...] | None:
        info = self.region.region
        entry = reg.region(info.code)
        if entry is None:
            self.at(("region", "code"), f"region {info.code} is not in the federation's "
                    f"{REGISTRY_FILE} ({self.reg_where(())})", "registry")
            return None
        r = reg.regions.index(entry)
        if entry.tier != info.level:
            self.at(("region", "level"), f"level {info.level} disagrees with {REGISTRY_FILE}, "
                    f"which lists region {info.code} as {entry.tier} "
                    f"({self.reg_where(('regions', r, 'tier'))})", "registry")
        if not entry.asn.first <= info.asn <= entry.asn.last:
            self.at(("region", "asn"), f"ASN {info.asn} is outside region {info.code}'s range "
                    f"{entry.asn.first}-{entry.asn.last} in {REGISTRY_FILE} "
                    f"({self.reg_where(('regions', r, 'asn'))})", "registry")
        for path, net in region_prefixes(self.region.pools, self.region.datacenters):
            if not _inside(net, entry.pools):
                self.at(path, f"{net} is outside region {info.code}'s allocation in "
                        f"{REGISTRY_FILE}: {', '.join(map(str, entry.pools))} "
                        f"({self.reg_where(('regions', r, 'pools'))})", "registry")
        return entry.pools

    # -- the interconnects ------------------------------------------------------------------
    def interconnects(self, allocation: tuple[IPv4Network, ...] | None) -> None:
        region = self.region
        if region.interconnects and self.registry is None:
            self.at(("interconnects",), f"interconnects need the federation's {REGISTRY_FILE} "
                    "in the inventory or beside it (every region's pools and ASN range)",
                    "registry")
        seen: dict[tuple[str, object], int] = {}
        for i, ic in enumerate(region.interconnects):
            path: PathKey = ("interconnects", i)
            for key, value in (("name", ic.name), ("id", ic.id), ("code", ic.peer.code)):
                if (key, value) in seen:
                    where: PathKey = ("peer", "code") if key == "code" else (key,)
                    self.at((*path, *where), f"interconnect {key} {value} is already used by "
                            f"interconnect {seen[(key, value)] + 1}", "duplicate")
                seen.setdefault((key, value), i)
            self.one(ic, path, allocation)
        transits = [(i, ic.transit) for i, ic in enumerate(region.interconnects)]
        for i, net in transits:
            for j, other in transits[:i]:
                if net.overlaps(other):
                    self.at(("interconnects", i, "transit"), f"transit {net} overlaps "
                            f"interconnect {region.interconnects[j].name}'s {other}", "overlap")
            for where, own in region_prefixes(region.pools, region.datacenters):
                if net.overlaps(own):
                    self.at(("interconnects", i, "transit"), f"transit {net} overlaps "
                            f"{'.'.join(map(str, where))} {own}", "overlap")

    def one(self, ic: Interconnect, path: PathKey,
            allocation: tuple[IPv4Network, ...] | None) -> None:
        info = self.region.region
        peer = ic.peer
        if peer.code == info.code:
            self.at((*path, "peer", "code"), "an interconnect joins two regions: the peer's "
                    f"code is this region's own ({info.code})")
        if TIER_RANK[peer.tier] == TIER_RANK[info.level]:
            self.at((*path, "peer", "tier"), f"an interconnect joins two tiers: {info.level} "
                    f"and {peer.tier} are the same tier")
        if peer.asn == info.asn:
            self.at((*path, "peer", "asn"), f"the peer's ASN {peer.asn} is this region's own; "
                    "eBGP between regions needs two ASNs")
        hub = next((h for dc in self.region.datacenters for h in dc.hubs
                    if h.hostname == ic.hub), None)
        if hub is None:
            known = sorted(h.hostname for dc in self.region.datacenters for h in dc.hubs)
            self.at((*path, "hub"), f"hub '{ic.hub}' is not defined; known: {', '.join(known)}",
                    "reference")
        self.medium(ic, path, hub)
        if ic.transit.prefixlen != TRANSIT_PREFIXLEN:
            self.at((*path, "transit"), f"transit {ic.transit} must be one "
                    f"/{TRANSIT_PREFIXLEN} (the higher tier takes the first host, the lower "
                    "the second)")
        if self.registry is not None and not ic.transit.subnet_of(
                self.registry.interconnect_transit):
            self.at((*path, "transit"), f"transit {ic.transit} is outside the federation's "
                    f"interconnect_transit {self.registry.interconnect_transit} "
                    f"({self.reg_where(('interconnect_transit',))})", "registry")
        for e, net in enumerate(ic.exports):
            if net.prefixlen == 0:
                self.at((*path, "exports", e), "a default route is never exported over an "
                        "interconnect")
            elif allocation is not None and not _inside(net, allocation):
                self.at((*path, "exports", e), f"exported prefix {net} is outside region "
                        f"{info.code}'s allocation in {REGISTRY_FILE}: "
                        f"{', '.join(map(str, allocation))}", "registry")
            for f, theirs in enumerate(peer.exports):
                if net.overlaps(theirs):
                    self.at((*path, "exports", e), f"exported prefix {net} overlaps the peer's "
                            f"{theirs} (peer.exports[{f}])", "overlap")
        self.peer_registry(ic, path)

    def medium(self, ic: Interconnect, path: PathKey, hub: Hub | None) -> None:
        if ic.medium is Medium.OWN_FIBRE:
            if ic.vlan is None:
                self.at((*path, "vlan"), "an own_fibre interconnect needs the agreed 'vlan'",
                        "missing")
            if ic.peer.underlay is not None:
                self.at((*path, "peer", "underlay"), "own_fibre has no underlay: remove "
                        "peer.underlay")
            if hub is not None and hub.interfaces.fibre is None:
                self.at((*path, "hub"), f"hub '{hub.hostname}' has no fibre interface for an "
                        "own_fibre interconnect", "reference")
            return
        if ic.vlan is not None:
            self.at((*path, "vlan"), f"'vlan' is for own_fibre only, not {ic.medium}")
        if ic.peer.underlay is None:
            self.at((*path, "peer"), f"a {ic.medium} interconnect needs peer.underlay (the "
                    "peer hub's address the tunnel goes to)", "missing")
        if ic.psk is None:
            self.at(path, f"a {ic.medium} interconnect needs 'psk', a reference such as "
                    "env:JIP_PSK_IC_NAME (each side resolves it from its own secrets)",
                    "missing")
        if hub is None:
            return
        if ic.medium is Medium.ISP_METRO and (hub.interfaces.metro is None or
                                              hub.interfaces.metro.address is None):
            self.at((*path, "hub"), f"hub '{hub.hostname}' has no metro interface with an "
                    "address for an isp_metro interconnect", "reference")
        name = ic.crypto_profile or hub.crypto_profile
        profile = self.region.crypto_profiles.get(name)
        where = (*path, "crypto_profile") if ic.crypto_profile else (*path, "hub")
        if profile is None:
            self.at(where, f"crypto profile '{name}' is not defined; known: "
                    f"{', '.join(sorted(self.region.crypto_profiles))}", "reference")
        elif profile.ike_encryption:
            why = self.platforms(hub.platform).crypto_problem(profile)
            if why:
                self.at(where, f"crypto profile '{name}' cannot be used by {hub.platform} "
                        f"hub {hub.hostname}: {why}", "platform")

    def peer_registry(self, ic: Interconnect, path: PathKey) -> None:
        if self.registry is None:
            return
        peer = ic.peer
        entry = self.registry.region(peer.code)
        if entry is None:
            self.at((*path, "peer", "code"), f"region {peer.code} is not in the federation's "
                    f"{REGISTRY_FILE} ({self.reg_where(())})", "registry")
            return
        r = self.registry.regions.index(entry)
        if entry.tier != peer.tier:
            self.at((*path, "peer", "tier"), f"region {peer.code} is {entry.tier} in "
                    f"{REGISTRY_FILE} ({self.reg_where(('regions', r, 'tier'))}), not "
                    f"{peer.tier}", "registry")
        if not entry.asn.first <= peer.asn <= entry.asn.last:
            self.at((*path, "peer", "asn"), f"ASN {peer.asn} is outside region {peer.code}'s "
                    f"range {entry.asn.first}-{entry.asn.last} "
                    f"({self.reg_where(('regions', r, 'asn'))})", "registry")
        for e, net in enumerate(peer.exports):
            if net.prefixlen == 0:
                self.at((*path, "peer", "exports", e), "a default route is never accepted "
                        "over an interconnect")
            elif not _inside(net, entry.pools):
                self.at((*path, "peer", "exports", e), f"prefix {net} is outside region "
                        f"{peer.code}'s allocation ({self.reg_where(('regions', r, 'pools'))}):"
                        " it may not announce it", "registry")


def check(region: RegionFile, doc: Document, registry: Registry | None,
          registry_doc: Document | None, platforms: Platforms) -> list[Problem]:
    """The registry's soundness, the region's place in it and its interconnects."""
    checker = _Checker(region, doc, registry, registry_doc, platforms)
    allocation = None
    if registry is not None:
        checker.registry_sound(registry)
        allocation = checker.allocation(registry)
    checker.interconnects(allocation)
    return checker.problems
