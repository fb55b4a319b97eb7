"""Whole-network rules: uniqueness, pools, references, bandwidth budgets and crypto policy.

Each rule appends located problems and carries on, so a run lists every fault at once. The
crypto rule cites NIST SP 800-77r1 (Guide to IPsec VPNs, 2020) because reviewers at the
provincial CSIRT ask for the basis of a rejection, not just the rejection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Protocol

from pydriver.errors import Problem, SecretError
from pydriver.sot import ipam, secrets
from pydriver.sot.loader import Document, PathKey
from pydriver.sot.models import (
    INTERCONNECT_TUNNEL_BASE,
    MAX_ASN,
    CryptoProfile,
    Hub,
    Medium,
    Platform,
    RegionFile,
    ServerRole,
    ServersFile,
    Site,
    WaiversFile,
)


class PlatformRules(Protocol):
    """What validation needs of a platform (its driver provides it)."""

    encapsulation: str

    def interface_problem(self, name: str) -> str | None: ...

    def crypto_problem(self, profile: CryptoProfile) -> str | None: ...


Platforms = Callable[[Platform], PlatformRules]

NIST = "NIST SP 800-77r1"
ACCEPTED_ENCRYPTION = ("aes-128-gcm", "aes-256-gcm", "aes-128-cbc", "aes-256-cbc")
ACCEPTED_INTEGRITY = ("sha256", "sha384", "sha512")
ACCEPTED_DH = tuple(range(14, 22))
_WHY_ENCRYPTION = {
    "des": "DES is broken",
    "3des": "3DES is deprecated (64-bit block, sweet32)",
    "blowfish": "Blowfish is not an approved algorithm",
}
_WHY_INTEGRITY = {"md5": "MD5 is broken", "sha1": "SHA-1 is deprecated for IPsec integrity"}


@dataclass
class _Checker:
    region: RegionFile
    region_doc: Document
    sites: list[tuple[Site, Document]]
    servers: ServersFile
    servers_doc: Document | None
    root: Path
    require_secrets: bool
    platforms: Platforms
    problems: list[Problem] = field(default_factory=list)

    # -- helpers ---------------------------------------------------------------------------
    def at(self, doc: Document | None, path: PathKey, message: str, code: str) -> None:
        self.problems.append(Problem(doc.where(path) if doc else None, message, code))

    def region_at(self, path: PathKey, message: str, code: str = "semantic") -> None:
        self.at(self.region_doc, path, message, code)

    def hub_paths(self) -> Iterable[tuple[int, int, PathKey]]:
        for d, dc in enumerate(self.region.datacenters):
            for h, _ in enumerate(dc.hubs):
                yield d, h, ("datacenters", d, "hubs", h)

    # -- rules -----------------------------------------------------------------------------
    def unique(self) -> None:
        seen_id: dict[object, str] = {}
        seen_code: dict[object, str] = {}
        seen_host: dict[object, str] = {}
        for d, h, path in self.hub_paths():
            hub = self.region.datacenters[d].hubs[h]
            if hub.hostname in seen_host:
                self.region_at((*path, "hostname"), f"hostname '{hub.hostname}' is already used "
                               f"by {seen_host[hub.hostname]}", "duplicate")
            seen_host[hub.hostname] = f"hub in {self.region_doc.file}"
        hub_ids: dict[int, str] = {}
        for d, h, path in self.hub_paths():
            hub = self.region.datacenters[d].hubs[h]
            if hub.id in hub_ids:
                self.region_at((*path, "id"), f"hub id {hub.id} is already used by "
                               f"{hub_ids[hub.id]}", "duplicate")
            hub_ids[hub.id] = hub.hostname
        for site, doc in self.sites:
            checks: tuple[tuple[object, dict[object, str], PathKey, str], ...] = (
                (site.id, seen_id, ("id",), "site id"),
                (site.code, seen_code, ("code",), "site code"),
                (site.router.hostname, seen_host, ("router", "hostname"), "hostname"),
            )
            for value, seen, path, what in checks:
                if value in seen:
                    self.at(doc, path, f"{what} {value!r} is already used by {seen[value]}",
                            "duplicate")
                else:
                    seen[value] = doc.file
        for i, server in enumerate(self.servers.servers):
            if server.name in seen_host:
                self.at(self.servers_doc, ("servers", i, "name"), f"hostname '{server.name}' is "
                        f"already used by {seen_host[server.name]}", "duplicate")
            seen_host[server.name] = self.servers_doc.file if self.servers_doc else "servers"
        uplinks: set[str] = set()
        for d, dc in enumerate(self.region.datacenters):
            for u, uplink in enumerate(dc.uplinks):
                if uplink.name in uplinks:
                    self.region_at(("datacenters", d, "uplinks", u, "name"),
                                   f"uplink name '{uplink.name}' is already used", "duplicate")
                uplinks.add(uplink.name)

    def pools(self) -> None:
        pools = self.region.pools
        named = [("loopback", pools.loopback), ("transit", pools.transit),
                 ("site_lan", pools.site_lan), ("management", pools.management)]
        for i, (a, na) in enumerate(named):
            for b, nb in named[i + 1:]:
                if na.overlaps(nb):
                    self.region_at(("pools", b), f"pool {b} {nb} overlaps pool {a} {na}",
                                   "overlap")
        internal = [pools.loopback, pools.transit, pools.site_lan]
        seen: list[tuple[str, IPv4Network]] = []
        for d, dc in enumerate(self.region.datacenters):
            z = dc.zones
            zones = [("core", z.core), ("server", z.server), ("management", z.management)]
            if z.dmz:
                zones.append(("dmz", z.dmz))
            for name, net in zones:
                zpath: PathKey = ("datacenters", d, "zones", name)
                for other, onet in seen:
                    if net.overlaps(onet):
                        self.region_at(zpath, f"zone {name} {net} overlaps {other} {onet}",
                                       "overlap")
                for pool in internal:
                    if net.overlaps(pool):
                        self.region_at(zpath, f"zone {name} {net} overlaps pool {pool}",
                                       "overlap")
                if name == "management" and not net.subnet_of(pools.management):
                    self.region_at(zpath, f"management zone {net} must be inside pools."
                                   f"management {pools.management}", "pool")
                elif name != "management" and net.overlaps(pools.management):
                    self.region_at(zpath, f"zone {name} {net} overlaps the management pool "
                                   f"{pools.management}", "overlap")
                seen.append((f"{dc.code}.{name}", net))
            if z.core_gateway not in z.core:
                self.region_at(("datacenters", d, "zones", "core_gateway"),
                               f"core_gateway {z.core_gateway} is outside zone core {z.core}",
                               "pool")
        for d, h, path in self.hub_paths():
            hub_dc = self.region.datacenters[d]
            hub = hub_dc.hubs[h]
            mgmt = hub.interfaces.mgmt.address
            if mgmt is None or mgmt.ip not in hub_dc.zones.management:
                self.region_at((*path, "interfaces", "mgmt", "address"), "mgmt interface address "
                               f"must be inside the management zone {hub_dc.zones.management}",
                               "pool")
            core = hub.interfaces.core.address
            if core is None or core.ip not in hub_dc.zones.core:
                self.region_at((*path, "interfaces", "core", "address"),
                               f"core interface address must be inside zone core "
                               f"{hub_dc.zones.core}", "pool")
            wan = hub.interfaces.wan
            if wan.address is None or wan.gateway is None:
                self.region_at((*path, "interfaces", "wan"),
                               "wan needs an address and a gateway", "missing")
            elif wan.gateway not in wan.address.network:
                self.region_at((*path, "interfaces", "wan", "gateway"),
                               f"gateway {wan.gateway} is outside {wan.address.network}", "pool")
            for kind in ("wan", "metro"):
                iface = getattr(hub.interfaces, kind)
                if iface is not None and iface.address is not None:
                    for pool in (*internal, pools.management):
                        if iface.address.network.overlaps(pool):
                            self.region_at((*path, "interfaces", kind, "address"),
                                           f"{kind} address {iface.address} overlaps internal "
                                           f"pool {pool}", "overlap")
            try:
                ipam.hub_loopback(pools, hub.id)
            except ipam.PoolExhausted as exc:
                self.region_at((*path, "id"), str(exc), "exhausted")
        for site, doc in self.sites:
            self.site_pools(site, doc)
        for i, server in enumerate(self.servers.servers):
            home = next((x for x in self.region.datacenters if x.code == server.datacenter),
                        None)
            if home is None:
                continue
            zone = getattr(home.zones, server.zone)
            if zone is None or server.address not in zone:
                self.at(self.servers_doc, ("servers", i, "address"), f"address {server.address} "
                        f"is outside zone {server.zone} {zone} of datacenter {home.code}", "pool")

    def site_pools(self, site: Site, doc: Document) -> None:
        pools = self.region.pools
        base = self.region.region.site_asn_base
        if ipam.site_asn(base, site.id) > MAX_ASN:
            self.at(doc, ("id",), f"site id {site.id} gives the BGP ASN site_asn_base {base} + "
                    f"{site.id} = {base + site.id}, past {MAX_ASN} (the largest 4-byte ASN); "
                    f"ids up to {MAX_ASN - base} fit", "asn")
        last = site.id * ipam.LINKS_PER_SITE + len(site.links) - 1
        if self.region.interconnects and last > INTERCONNECT_TUNNEL_BASE:
            self.at(doc, ("id",), f"site id {site.id} numbers its tunnels up to {last}, into "
                    f"the interconnects' tunnel numbers (from {INTERCONNECT_TUNNEL_BASE + 1});"
                    f" ids up to {INTERCONNECT_TUNNEL_BASE // ipam.LINKS_PER_SITE - 1} fit in "
                    "a region with interconnects", "exhausted")
        try:
            ipam.site_block(pools, site.id)
            ipam.site_loopback(pools, site.id)
            for n in range(len(site.links)):
                ipam.transit(pools, site.id, n)
        except ipam.PoolExhausted as exc:
            self.at(doc, ("id",), f"pool exhausted: {exc}", "exhausted")
        if any(link.medium is Medium.OWN_FIBRE for link in site.links):
            try:
                ipam.fibre_vlan(site.id)
            except ipam.PoolExhausted as exc:
                self.at(doc, ("id",), str(exc), "exhausted")
        mgmt = site.router.management
        if mgmt is not None and not (mgmt in pools.loopback or mgmt in pools.management):
            self.at(doc, ("router", "management"), f"management address {mgmt} must be inside "
                    f"the loopback pool {pools.loopback} or the management pool "
                    f"{pools.management}", "pool")
        for n, link in enumerate(site.links):
            if link.address is None:
                continue
            for name, pool in (("loopback", pools.loopback), ("transit", pools.transit),
                               ("site_lan", pools.site_lan), ("management", pools.management)):
                if link.address.network.overlaps(pool):
                    self.at(doc, ("links", n, "address"), f"underlay address {link.address} "
                            f"overlaps the {name} pool {pool}", "overlap")
            if link.gateway is not None and link.gateway not in link.address.network:
                self.at(doc, ("links", n, "gateway"), f"gateway {link.gateway} is outside "
                        f"{link.address.network}", "pool")

    def underlay_unique(self) -> None:
        seen: dict[IPv4Address, str] = {}
        for d, h, path in self.hub_paths():
            hub = self.region.datacenters[d].hubs[h]
            for kind in ("mgmt", "wan", "metro", "core"):
                iface = getattr(hub.interfaces, kind)
                if iface is not None and iface.address is not None:
                    ip = iface.address.ip
                    if ip in seen:
                        self.region_at((*path, "interfaces", kind, "address"),
                                       f"address {ip} is already used by {seen[ip]}", "duplicate")
                    seen[ip] = hub.hostname
        for site, doc in self.sites:
            for n, link in enumerate(site.links):
                if link.address is not None:
                    ip = link.address.ip
                    if ip in seen:
                        self.at(doc, ("links", n, "address"),
                                f"address {ip} is already used by {seen[ip]}", "duplicate")
                    seen[ip] = site.router.hostname

    def references(self) -> None:
        profiles = self.region.crypto_profiles
        hubs = {h.hostname: h for dc in self.region.datacenters for h in dc.hubs}
        for d, dc in enumerate(self.region.datacenters):
            names = {u.name for u in dc.uplinks}
            for h, hub in enumerate(dc.hubs):
                path = ("datacenters", d, "hubs", h)
                if hub.crypto_profile not in profiles:
                    self.region_at((*path, "crypto_profile"), f"crypto profile "
                                   f"'{hub.crypto_profile}' is not defined; known: "
                                   f"{', '.join(sorted(profiles)) or 'none'}", "reference")
                uplink = hub.interfaces.wan.uplink
                if uplink is None or uplink not in names:
                    self.region_at((*path, "interfaces", "wan", "uplink"),
                                   f"wan.uplink must name an uplink of datacenter {dc.code} "
                                   f"({', '.join(sorted(names))})", "reference")
        roles = {s.name: set(s.roles) for s in self.servers.servers}
        base = self.region.baseline
        for key, role in (("ntp", ServerRole.NTP), ("syslog", ServerRole.SYSLOG),
                          ("dns", ServerRole.DNS), ("radius", ServerRole.RADIUS)):
            for i, name in enumerate(getattr(base, key)):
                if name not in roles:
                    self.region_at(("baseline", key, i), f"baseline.{key} names server '{name}' "
                                   "which is not in servers.yml", "reference")
                elif role not in roles[name]:
                    self.region_at(("baseline", key, i), f"server '{name}' does not have role "
                                   f"'{role}'", "reference")
        dcs = {dc.code for dc in self.region.datacenters}
        for i, server in enumerate(self.servers.servers):
            if server.datacenter not in dcs:
                self.at(self.servers_doc, ("servers", i, "datacenter"), f"datacenter "
                        f"'{server.datacenter}' is not defined in region.yml", "reference")
        uplinks = {u.name for dc in self.region.datacenters for u in dc.uplinks}
        for site, doc in self.sites:
            if site.bandwidth.uplink not in uplinks:
                self.at(doc, ("bandwidth", "uplink"), f"uplink '{site.bandwidth.uplink}' is not "
                        f"defined; known: {', '.join(sorted(uplinks))}", "reference")
            self.site_links(site, doc, hubs, profiles)
            kinds: set[str] = set()
            ifaces: set[str] = set()
            for n, link in enumerate(site.links):
                # each link is its own circuit with its own address on its port: two on one
                # port would give the port two addresses under one name, which no router
                # takes as pydriver configures it
                if link.interface in ifaces:
                    self.at(doc, ("links", n, "interface"), f"interface '{link.interface}' is "
                            "already used by another link", "duplicate")
                ifaces.add(link.interface)
            for z, zone in enumerate(site.zones):
                if zone.kind in kinds:
                    self.at(doc, ("zones", z, "kind"), f"zone '{zone.kind}' appears twice",
                            "duplicate")
                kinds.add(zone.kind)
                if zone.interface in ifaces:
                    self.at(doc, ("zones", z, "interface"), f"interface '{zone.interface}' is "
                            "already used by another link or zone", "duplicate")
                ifaces.add(zone.interface)
            if "staff" not in kinds:
                self.at(doc, ("zones",), "every site needs a staff zone", "missing")

    def site_links(self, site: Site, doc: Document, hubs: Mapping[str, object],
                   profiles: dict[str, CryptoProfile]) -> None:
        primaries = [n for n, link in enumerate(site.links) if link.role == "primary"]
        if len(primaries) != 1:
            self.at(doc, ("links",), f"a site needs exactly one primary link, found "
                    f"{len(primaries)}", "links")
        names: set[str] = set()
        for n, link in enumerate(site.links):
            path: PathKey = ("links", n)
            if link.name in names:
                self.at(doc, (*path, "name"), f"link name '{link.name}' appears twice",
                        "duplicate")
            names.add(link.name)
            hub = self.region_hub(link.hub)
            if hub is None:
                self.at(doc, (*path, "hub"), f"hub '{link.hub}' is not defined; known: "
                        f"{', '.join(sorted(hubs))}", "reference")
                continue
            if link.crypto_profile is not None and link.crypto_profile not in profiles:
                self.at(doc, (*path, "crypto_profile"), f"crypto profile '{link.crypto_profile}'"
                        f" is not defined; known: {', '.join(sorted(profiles))}", "reference")
            if link.medium is Medium.OWN_FIBRE:
                if hub.interfaces.fibre is None:
                    self.at(doc, (*path, "hub"), f"hub '{hub.hostname}' has no fibre interface "
                            "for an own_fibre link", "reference")
                if link.address is not None:
                    self.at(doc, (*path, "address"), "own_fibre links take their address from "
                            "the transit pool; remove 'address'", "links")
                continue
            if link.address is None or link.gateway is None:
                self.at(doc, path, f"{link.medium} link needs 'address' and 'gateway' (the "
                        "ISP side of the circuit)", "missing")
            if link.medium is Medium.ISP_METRO and hub.interfaces.metro is None:
                self.at(doc, (*path, "hub"), f"hub '{hub.hostname}' has no metro interface for "
                        "an isp_metro link", "reference")
            elif link.medium is Medium.ISP_METRO and hub.interfaces.metro is not None and \
                    hub.interfaces.metro.address is None:
                where = next(p for d, h, p in self.hub_paths()
                             if self.region.datacenters[d].hubs[h] is hub)
                self.region_at((*where, "interfaces", "metro"), f"hub '{hub.hostname}': the "
                               "metro interface needs an address: isp_metro links of sites end "
                               "on it", "missing")
            site_encap = self.platforms(site.router.platform).encapsulation
            hub_encap = self.platforms(hub.platform).encapsulation
            if site_encap != hub_encap:
                self.at(doc, (*path, "hub"), f"a {site.router.platform} router cannot build a "
                        f"tunnel to {hub.platform} hub '{hub.hostname}': its tunnels are "
                        f"{site_encap}, the hub's {hub_encap}; pick a hub that builds "
                        f"{site_encap} tunnels", "platform")

    def region_hub(self, hostname: str) -> Hub | None:
        for dc in self.region.datacenters:
            for hub in dc.hubs:
                if hub.hostname == hostname:
                    return hub
        return None

    def interface_names(self) -> None:
        """Every interface name must be one its router's platform can take: a name is
        written into configs and scripts, so a stray space or '=' would be a command."""
        for d, h, path in self.hub_paths():
            hub = self.region.datacenters[d].hubs[h]
            rules = self.platforms(hub.platform)
            for kind in ("mgmt", "wan", "core", "metro", "fibre"):
                iface = getattr(hub.interfaces, kind)
                if iface is not None:
                    why = rules.interface_problem(iface.name)
                    if why:
                        self.region_at((*path, "interfaces", kind, "name"), why, "interface")
        for site, doc in self.sites:
            rules = self.platforms(site.router.platform)
            named = [(("links", n, "interface"), link.interface)
                     for n, link in enumerate(site.links)]
            named += [(("zones", z, "interface"), zone.interface)
                      for z, zone in enumerate(site.zones)]
            for where, name in named:
                why = rules.interface_problem(name)
                if why:
                    self.at(doc, where, why, "interface")

    def bandwidth(self) -> None:
        over = self.region.region.overbooking
        totals: dict[str, int] = {}
        for site, doc in self.sites:
            bw = site.bandwidth
            totals[bw.uplink] = totals.get(bw.uplink, 0) + bw.guaranteed_mbps
            if bw.guaranteed_mbps > bw.max_mbps:
                self.at(doc, ("bandwidth", "guaranteed_mbps"), f"guaranteed_mbps "
                        f"{bw.guaranteed_mbps} exceeds max_mbps {bw.max_mbps}", "bandwidth")
            biggest = max(link.capacity_mbps for link in site.links)
            if bw.max_mbps > biggest:
                self.at(doc, ("bandwidth", "max_mbps"), f"max_mbps {bw.max_mbps} exceeds the "
                        f"largest link capacity {biggest} Mbps", "bandwidth")
        for d, dc in enumerate(self.region.datacenters):
            for u, uplink in enumerate(dc.uplinks):
                budget = uplink.mbps * over
                used = totals.get(uplink.name, 0)
                if used > budget:
                    # the sites that take the budget, each at the line to change, largest first
                    who = sorted(((s.bandwidth.guaranteed_mbps, s.code,
                                   doc.where(("bandwidth", "guaranteed_mbps")))
                                  for s, doc in self.sites if s.bandwidth.uplink == uplink.name),
                                 key=lambda t: (-t[0], t[1]))
                    self.region_at(("datacenters", d, "uplinks", u, "mbps"),
                                   f"uplink '{uplink.name}' is overbooked: sites guarantee {used} "
                                   f"Mbps but {uplink.mbps} Mbps x overbooking {over:g} = "
                                   f"{budget:g} Mbps; the sum: " + ", ".join(
                                       f"{code} {mbps} Mbps ({loc})" for mbps, code, loc in who),
                                   "bandwidth")

    def crypto(self) -> None:
        for name, profile in self.region.crypto_profiles.items():
            path: PathKey = ("crypto_profiles", name)
            if profile.ike_version != 2:
                version = profile.ike_version
                self.region_at((*path, "ike_version"), f"crypto profile '{name}': IKEv{version} "
                               f"is not acceptable; {NIST} recommends IKEv2 only", "crypto")
            for key in ("ike_encryption", "esp_encryption"):
                for i, alg in enumerate(getattr(profile, key)):
                    if alg not in ACCEPTED_ENCRYPTION:
                        why = _WHY_ENCRYPTION.get(alg, "not an approved algorithm")
                        self.region_at((*path, key, i), f"crypto profile '{name}': {key} "
                                       f"'{alg}' is not acceptable under {NIST} ({why}); "
                                       f"expected one of {', '.join(ACCEPTED_ENCRYPTION)}",
                                       "crypto")
            for key in ("ike_integrity", "esp_integrity"):
                for i, alg in enumerate(getattr(profile, key)):
                    if alg not in ACCEPTED_INTEGRITY:
                        why = _WHY_INTEGRITY.get(alg, "not an approved algorithm")
                        self.region_at((*path, key, i), f"crypto profile '{name}': {key} "
                                       f"'{alg}' is not acceptable under {NIST} ({why}); "
                                       f"expected one of {', '.join(ACCEPTED_INTEGRITY)}",
                                       "crypto")
            for key in ("ike_encryption", "esp_encryption"):
                if not getattr(profile, key):
                    self.region_at((*path, key), f"crypto profile '{name}': {key} is empty; "
                                   f"expected at least one of {', '.join(ACCEPTED_ENCRYPTION)}",
                                   "crypto")
            if not profile.ike_integrity:
                self.region_at((*path, "ike_integrity"), f"crypto profile '{name}': IKE needs "
                               "an integrity/PRF algorithm (sha256 or stronger)", "crypto")
            if any(a.endswith("-cbc") for a in profile.esp_encryption) and \
                    not profile.esp_integrity:
                self.region_at((*path, "esp_integrity"), f"crypto profile '{name}': CBC "
                               f"encryption needs esp_integrity ({NIST})", "crypto")
            for i, group in enumerate(profile.dh_groups):
                if group not in ACCEPTED_DH:
                    self.region_at((*path, "dh_groups", i), f"crypto profile '{name}': DH group "
                                   f"{group} is not acceptable under {NIST}; expected a group "
                                   "from 14 to 21 (19, 20 or 14 preferred)", "crypto")
            if not profile.dh_groups:
                self.region_at((*path, "dh_groups"), f"crypto profile '{name}': at least one "
                               "DH group is required", "crypto")
            if not profile.pfs:
                self.region_at((*path, "pfs"), f"crypto profile '{name}': PFS must be on "
                               f"({NIST} recommends PFS for every Child SA)", "crypto")

    def platform_crypto(self) -> None:
        """Both ends of a tunnel must be able to use its crypto profile: a platform that
        cannot (RouterOS IKE without AES-CBC) is a located problem here, not a failed
        render. Where the link names the profile the site file is at fault; otherwise the
        profile in region.yml, listing the routers that would use it."""
        profiles = self.region.crypto_profiles
        region_users: dict[tuple[str, str], tuple[str, set[str]]] = {}
        for site, doc in self.sites:
            for n, link in enumerate(site.links):
                hub = self.region_hub(link.hub)
                if not link.medium.needs_tunnel or hub is None:
                    continue
                name = link.crypto_profile or hub.crypto_profile
                profile = profiles.get(name)
                if profile is None or not profile.ike_encryption:
                    continue  # reported by references() or crypto()
                for platform, host in ((site.router.platform, site.router.hostname),
                                       (hub.platform, hub.hostname)):
                    why = self.platforms(platform).crypto_problem(profile)
                    if why is None:
                        continue
                    if link.crypto_profile is not None:
                        self.at(doc, ("links", n, "crypto_profile"), f"crypto profile '{name}' "
                                f"cannot be used by {platform} router {host}: {why}", "platform")
                    else:
                        region_users.setdefault((name, str(platform)), (why, set()))[1].add(host)
        for (name, kind), (why, hosts) in sorted(region_users.items()):
            shown = sorted(hosts)
            more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
            self.region_at(("crypto_profiles", name, "ike_encryption"), f"crypto profile "
                           f"'{name}' is used by {kind} routers {', '.join(shown[:5])}{more}"
                           f": {why}", "platform")

    def secret_refs(self) -> None:
        resolver = secrets.Resolver(self.root) if self.require_secrets else None
        refs: list[tuple[Document | None, PathKey, str]] = []
        base = self.region.baseline
        refs.append((self.region_doc, ("baseline", "radius_secret"), base.radius_secret))
        refs.append((self.region_doc, ("baseline", "snmp", "auth_secret"), base.snmp.auth_secret))
        refs.append((self.region_doc, ("baseline", "snmp", "priv_secret"), base.snmp.priv_secret))
        for i, admin in enumerate(base.admins):
            refs.append((self.region_doc, ("baseline", "admins", i, "secret"), admin.secret))
        for site, doc in self.sites:
            for n, link in enumerate(site.links):
                if not link.medium.needs_tunnel:
                    continue
                if link.psk is not None:
                    refs.append((doc, ("links", n, "psk"), link.psk))
                else:
                    text = secrets.format_site_ref(base.tunnel_psk, site.code)
                    refs.append((self.region_doc, ("baseline", "tunnel_psk"), text))
        for i, ic in enumerate(self.region.interconnects):
            if ic.psk is not None:
                refs.append((self.region_doc, ("interconnects", i, "psk"), ic.psk))
        for where, path, text in refs:
            try:
                ref = secrets.parse(text)
                if resolver is not None:
                    resolver.resolve(ref)
            except SecretError as exc:
                self.at(where, path, str(exc), "secret")


def check(region: RegionFile, region_doc: Document, sites: list[tuple[Site, Document]],
          servers: ServersFile, servers_doc: Document | None, root: Path, *,
          platforms: Platforms, require_secrets: bool = False) -> list[Problem]:
    """Run every whole-network rule; return all problems found (empty when sound)."""
    checker = _Checker(region, region_doc, sites, servers, servers_doc, root, require_secrets,
                       platforms)
    checker.unique()
    checker.interface_names()
    checker.pools()
    checker.underlay_unique()
    checker.references()
    checker.bandwidth()
    checker.crypto()
    checker.platform_crypto()
    checker.secret_refs()
    # the same reference problem can be reported by several sites (region default): once only
    unique: dict[tuple[object, str], Problem] = {}
    for p in checker.problems:
        unique.setdefault((p.location, p.message), p)
    return list(unique.values())


def waiver_scopes(region: RegionFile, sites: list[tuple[Site, Document]], waivers: WaiversFile,
                  doc: Document) -> list[Problem]:
    """A waiver must cover something: exactly one scope, naming a router or site that
    exists (a waiver that matches nothing hides nothing and only misleads a reader)."""
    hosts = {h.hostname for dc in region.datacenters for h in dc.hubs} | \
        {s.router.hostname for s, _ in sites}
    codes = {s.code for s, _ in sites}
    platforms = {h.platform for dc in region.datacenters for h in dc.hubs} | \
        {s.router.platform for s, _ in sites}
    problems = []
    for i, waiver in enumerate(waivers.waivers):
        scope = waiver.scope
        given = [k for k in ("router", "site", "platform") if getattr(scope, k) is not None]
        given += ["all"] if scope.all else []
        path: PathKey = ("waivers", i, "scope")
        if len(given) != 1:
            problems.append(Problem(doc.where(path), "a waiver's scope names exactly one of "
                                    "router, site, platform or all: true", "waiver"))
        elif scope.router is not None and scope.router not in hosts:
            problems.append(Problem(doc.where((*path, "router")), f"waiver for router "
                                    f"'{scope.router}' matches no router", "waiver"))
        elif scope.site is not None and scope.site not in codes:
            problems.append(Problem(doc.where((*path, "site")), f"waiver for site "
                                    f"'{scope.site}' matches no site", "waiver"))
        elif scope.platform is not None and scope.platform not in platforms:
            problems.append(Problem(doc.where((*path, "platform")), f"waiver for platform "
                                    f"'{scope.platform}' matches no router", "waiver"))
    return problems
