"""``validate --peers``: both sides of every interconnect agree, checked from one side.

Each region declares the whole interconnect (both ends) in its own region.yml and publishes
its side (:mod:`publish`); the peers' published files are read here, as untrusted input
under the loader's limits, and compared field by field with this region's declaration. A
mismatch is reported twice: at the line of region.yml that says one thing and at the line of
the peer's published file that says the other, each naming the other's file:line, so the
team on either side sees what to change and where the other side wrote it. Exported
prefixes must lie in the exporter's registry allocation and overlap nothing of this region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path

from pydriver.errors import Location, Problem
from pydriver.sot.federation import (
    Published,
    Registry,
    hub_underlay,
    published_name,
)
from pydriver.sot.loader import Document, PathKey, load_document
from pydriver.sot.models import CryptoProfile, Interconnect, Network, Platform
from pydriver.sot.tiers import region_prefixes
from pydriver.sot.validate import schema_problems

Encapsulation = Callable[[Platform], str]
#: a peers folder holds a few files; more is a mistake, not a federation
MAX_PEER_FILES = 1000


def _shown(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(v) for v in value) + "]" if value else "[]"
    return "none" if value is None else str(value)


@dataclass
class _Checker:
    net: Network
    region_doc: Document
    registry: Registry | None
    encapsulation: Encapsulation
    problems: list[Problem] = field(default_factory=list)

    def ours(self, path: PathKey) -> Location:
        return self.region_doc.where(path)

    def both(self, what: str, ours: tuple[PathKey, object], theirs: tuple[PathKey, object],
             doc: Document, code: str) -> None:
        """One disagreement, named on both sides, each pointing at the other."""
        here, there = self.ours(ours[0]), doc.where(theirs[0])
        own = self.net.region.code
        self.problems.append(Problem(here, f"interconnect with region {code}: {what} "
                                     f"{_shown(ours[1])} here, but {there} says "
                                     f"{_shown(theirs[1])}", "peer"))
        self.problems.append(Problem(there, f"interconnect with region {own}: {what} "
                                     f"{_shown(theirs[1])} here, but {here} says "
                                     f"{_shown(ours[1])}", "peer"))

    def compare(self, i: int, ic: Interconnect, pub: Published, doc: Document) -> None:
        base: PathKey = ("interconnects", i)
        other = pub.interconnect
        hub = self.net.hub(ic.hub)
        code = ic.peer.code
        tunnel = ic.medium.needs_tunnel
        profile_name = ic.crypto_profile or hub.crypto_profile
        crypto = self.net.crypto_profiles.get(profile_name) if tunnel else None
        crypto_path: PathKey = (*base, "crypto_profile") if ic.crypto_profile else \
            ("crypto_profiles", profile_name)
        pairs: list[tuple[str, PathKey, object, PathKey, object]] = [
            ("the peer's tier", (*base, "peer", "tier"), ic.peer.tier,
             ("source", "tier"), pub.source.tier),
            ("the peer's ASN", (*base, "peer", "asn"), ic.peer.asn,
             ("source", "asn"), pub.source.asn),
            ("this region's ASN", ("region", "asn"), self.net.region.asn,
             ("interconnect", "peer", "asn"), other.peer.asn),
            ("the peer's hub", (*base, "peer", "hub"), ic.peer.hub,
             ("interconnect", "local", "hub"), other.local.hub),
            ("this region's hub", (*base, "hub"), ic.hub,
             ("interconnect", "peer", "hub"), other.peer.hub),
            ("the peer's underlay address", (*base, "peer", "underlay"), ic.peer.underlay,
             ("interconnect", "local", "underlay"), other.local.underlay),
            ("this region's underlay address", (*base, "hub"),
             hub_underlay(hub, ic.medium), ("interconnect", "peer", "underlay"),
             other.peer.underlay),
            ("medium", (*base, "medium"), ic.medium.value, ("interconnect", "medium"),
             other.medium.value),
            ("capacity_mbps", (*base, "capacity_mbps"), ic.capacity_mbps,
             ("interconnect", "capacity_mbps"), other.capacity_mbps),
            ("transit", (*base, "transit"), ic.transit, ("interconnect", "transit"),
             other.transit),
            ("vlan", (*base, "vlan"), ic.vlan, ("interconnect", "vlan"), other.vlan),
            ("the peer's exports", (*base, "peer", "exports"), tuple(sorted(ic.peer.exports)),
             ("interconnect", "local", "exports"), tuple(sorted(other.local.exports))),
            ("this region's exports", (*base, "exports"), tuple(sorted(ic.exports)),
             ("interconnect", "peer", "exports"), tuple(sorted(other.peer.exports))),
            ("tunnel encapsulation", (*base, "hub"),
             self.encapsulation(hub.platform) if tunnel else None,
             ("interconnect", "encapsulation"), other.encapsulation),
        ]
        for what, our_path, mine, their_path, theirs in pairs:
            if mine != theirs:
                self.both(what, (our_path, mine), (their_path, theirs), doc, code)
        if crypto != other.crypto:
            self.both("crypto profile", (crypto_path, _crypto(crypto)),
                      (("interconnect", "crypto"), _crypto(other.crypto)), doc, code)
        self.exports_allowed(base, pub, doc)

    def exports_allowed(self, base: PathKey, pub: Published, doc: Document) -> None:
        """What the peer exports lies in its allocation and overlaps nothing of ours."""
        entry = self.registry.region(pub.source.code) if self.registry else None
        own = region_prefixes_of(self.net)
        for e, net in enumerate(pub.interconnect.local.exports):
            where: PathKey = ("interconnect", "local", "exports", e)
            if entry is not None and not any(net.subnet_of(p) for p in entry.pools):
                self.problems.append(Problem(doc.where(where), f"region {pub.source.code} "
                                             f"exports {net}, outside its allocation in the "
                                             f"registry ({', '.join(map(str, entry.pools))}); "
                                             f"{self.ours((*base, 'peer', 'exports'))} would "
                                             "accept it", "peer"))
            for name, mine in own:
                if net.overlaps(mine):
                    self.problems.append(Problem(doc.where(where), f"region {pub.source.code}"
                                                 f" exports {net}, which overlaps region "
                                                 f"{self.net.region.code}'s {name} {mine}",
                                                 "overlap"))

    def run(self, peer_dir: Path) -> None:
        own = self.net.region.code
        by_code: dict[str, tuple[Published, Document]] = {}
        for path in _files(peer_dir, self.problems):
            doc, found = load_document(path, peer_dir)
            self.problems += found
            if doc is None:
                continue
            parsed, found = schema_problems(doc, Published)
            self.problems += found
            if not isinstance(parsed, Published):
                continue
            if parsed.to != own:
                self.problems.append(Problem(doc.where(("to",)), f"published for region "
                                             f"{parsed.to}, not for this region ({own})",
                                             "peer"))
                continue
            if parsed.source.code in by_code:
                self.problems.append(Problem(doc.where(("source", "code")), f"region "
                                             f"{parsed.source.code} is published twice (also "
                                             f"{by_code[parsed.source.code][1].file})", "peer"))
                continue
            by_code[parsed.source.code] = (parsed, doc)
        declared = {ic.peer.code for ic in self.net.interconnects}
        for i, ic in enumerate(self.net.interconnects):
            hit = by_code.get(ic.peer.code)
            if hit is None:
                self.problems.append(Problem(self.ours(("interconnects", i, "peer", "code")),
                                             f"no published file from region {ic.peer.code} "
                                             f"in {peer_dir} (expected "
                                             f"{published_name(ic.peer.code, own)})", "peer"))
                continue
            self.compare(i, ic, *hit)
        for code, (_pub, doc) in sorted(by_code.items()):
            if code not in declared:
                self.problems.append(Problem(doc.where(("source", "code")), f"region {code} "
                                             f"declares an interconnect with region {own}, "
                                             f"which declares none with {code} "
                                             f"({self.ours(('interconnects',))})", "peer"))


def _crypto(profile: CryptoProfile | None) -> str:
    """A crypto profile's parameters in one line (what differs is visible at a glance)."""
    if profile is None:
        return "none"
    data = profile.model_dump()
    return ", ".join(f"{k}={_shown(v)}" for k, v in data.items())


def region_prefixes_of(net: Network) -> list[tuple[str, IPv4Network]]:
    """Every prefix of the validated region, named as in region.yml."""
    return [(".".join(map(str, path)), prefix)
            for path, prefix in region_prefixes(net.pools, net.datacenters)]


def _files(peer_dir: Path, problems: list[Problem]) -> list[Path]:
    if not peer_dir.is_dir():
        problems.append(Problem(Location(str(peer_dir), 1, 1), "peers folder not found (the "
                                "neighbours' published interconnect files)", "io"))
        return []
    found = sorted(p for p in peer_dir.iterdir() if p.suffix in (".yml", ".yaml"))
    if len(found) > MAX_PEER_FILES:
        problems.append(Problem(Location(str(peer_dir), 1, 1), f"more than {MAX_PEER_FILES} "
                                "files in the peers folder", "io"))
        return []
    return found


def check(net: Network, region_doc: Document, registry: Registry | None, peer_dir: Path,
          encapsulation: Encapsulation) -> list[Problem]:
    """Every disagreement between this region and its peers' published files."""
    checker = _Checker(net, region_doc, registry, encapsulation)
    checker.run(peer_dir)
    unique: dict[tuple[object, str], Problem] = {}
    for p in checker.problems:
        unique.setdefault((p.location, p.message), p)
    return list(unique.values())
