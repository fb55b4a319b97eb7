"""Two regions on one lab: ``lab rehearse --with OTHER_INVENTORY``.

Each tier keeps its own repository, but an interconnect only comes up when both ends are
configured; the lab can hold both regions' twins at once (the other region's routers join
the running lab as a site added to the inventory would), and its fabric then decides the
cross-region tunnels and BGP sessions from both ends' configurations, as the real network
would. The rehearsal applies the higher tier first (its hub waits), then the lower tier,
whose hub starts the SA and must bring the session up (README, apply order).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab import control, manage
from pydriver.lab.model import LabRouter
from pydriver.pipeline import Pipeline
from pydriver.sot.federation import transit_ends
from pydriver.sot.models import TIER_RANK, Interconnect, Platform


@dataclass(frozen=True, slots=True)
class Region:
    """One region of the rehearsal: its inventory and its pipeline."""

    inventory: Path
    pipe: Pipeline

    @property
    def code(self) -> str:
        return self.pipe.network.region.code


def higher_first(regions: list[Region]) -> list[Region]:
    """The apply order: the higher tier first (pusat, provinsi, then kabupaten/kota)."""
    return sorted(regions, key=lambda r: TIER_RANK[r.pipe.network.region.level])


def join(other: Region, own: Region, state: Path, skip: set[str]) -> tuple[list[LabRouter],
                                                                            list[str]]:
    """The other region's twins on the running lab; the notes to show. Router names must
    differ between the regions (one twin cannot stand for two routers)."""
    shared = sorted(set(own.pipe.intents) & set(other.pipe.intents))
    if shared:
        raise LabError(f"regions {own.code} and {other.code} both have routers named "
                       f"{', '.join(shared)}: one lab cannot hold both")
    notes = []
    netns = Platform.LINUX_FRR.value
    theirs = sorted(h for h, i in other.pipe.intents.items() if i.platform.value == netns)
    if theirs and netns not in skip:
        # real FRR routers in namespaces come up with the lab, not into a running one
        notes.append(f"region {other.code}: {netns} routers left out ({', '.join(theirs)}): "
                     "they cannot join a running lab")
    routers = manage.join(other.pipe, state, skip | {netns})
    return routers, notes


def interconnect_checks(regions: list[Region], state: Path) -> list[tuple[str, bool]]:
    """For every interconnect between the rehearsed regions: is BGP established at each
    end (the fabric's answer, from both ends' configurations)?"""
    codes = {r.code for r in regions}
    hosts = {h for r in regions for h in r.pipe.intents}
    results = []
    for region in regions:
        net = region.pipe.network
        for ic in net.interconnects:
            if ic.peer.code not in codes or ic.hub not in hosts or ic.peer.hub not in hosts:
                continue
            _ours, theirs = transit_ends(ic.transit, net.region.level, ic.peer.tier)
            up = bool(control.request(manage.control_socket(state), "fabric", name=ic.hub,
                                      query="bgp_established", args=[str(theirs.ip)]))
            results.append((f"region {net.region.code} {ic.hub}: BGP to region "
                            f"{ic.peer.code} {ic.peer.hub} ({theirs.ip}) over {ic.name}", up))
            results += _routes(region, ic, state)
    return results


def _routes(region: Region, ic: Interconnect, state: Path) -> list[tuple[str, bool]]:
    """What crossed the interconnect into this region's hub: every prefix the peer
    exports, and nothing else of the peer's allocation (no other zone, no site, no third
    region's prefix re-exported)."""
    registry = region.pipe.registry
    entry = registry.region(ic.peer.code) if registry is not None else None

    def learned(prefix: IPv4Network) -> bool:
        return bool(control.request(manage.control_socket(state), "fabric", name=ic.hub,
                                    query="bgp_learned_within", args=[str(prefix)]))

    tag = f"region {region.code} {ic.hub}"
    out = [(f"{tag}: learned {p} from region {ic.peer.code}", learned(p))
           for p in ic.peer.exports]
    for pool in entry.pools if entry is not None else ():
        leaked = [str(p) for p in _outside(pool, ic.peer.exports) if learned(p)]
        out.append((f"{tag}: nothing else of region {ic.peer.code}'s {pool}"
                    + (f" (leaked: {', '.join(leaked)})" if leaked else ""), not leaked))
    return out


def _outside(pool: IPv4Network, exported: tuple[IPv4Network, ...]) -> list[IPv4Network]:
    """``pool`` less the exported prefixes, as the fewest networks."""
    parts = [pool]
    for e in exported:
        nxt: list[IPv4Network] = []
        for part in parts:
            if e.subnet_of(part):
                nxt += list(part.address_exclude(e))
            elif not part.subnet_of(e):
                nxt.append(part)
        parts = nxt
    return parts
