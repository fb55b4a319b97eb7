"""The touched part of the topology: the hubs a change reaches, the sites it touches and
their links, with how many untouched sites each hub also carries."""

from __future__ import annotations

from pydriver.review.model import BlastRadius, DataDiff, Edge, Topology
from pydriver.sot.models import Network


def topology(base: Network, head: Network, data: DataDiff, blast: BlastRadius) -> Topology:
    change = {s.code: s.change for s in data.sites}
    link_change = {(link.site, link.link): link.change for link in data.links}
    touched = set(blast.opds)
    edges: dict[tuple[str, str], Edge] = {}
    for net in (base, head):  # the pull request's links win over the base's
        for s in net.sites:
            if s.code not in touched:
                continue
            for link in s.links:
                edges[(s.code, link.name)] = Edge(
                    s.code, link.hub, link.name, link.medium.value,
                    link.medium.needs_tunnel, link.role == "backup",
                    link_change.get((s.code, link.name), ""))
    hubs = sorted({e.hub for e in edges.values()} | set(blast.hubs))
    carried: dict[str, set[str]] = {}
    for s in head.sites:
        for link in s.links:
            carried.setdefault(link.hub, set()).add(s.code)
    others = {h: len(carried.get(h, set()) - touched) for h in hubs}
    return Topology(hubs=tuple(hubs),
                    sites={code: change.get(code, "") for code in sorted(touched)},
                    edges=tuple(edges[k] for k in sorted(edges)), others=others)
