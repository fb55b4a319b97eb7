"""The blast radius: which routers, OPDs and hubs a change reaches, and, for each hub it
touches, every site that hangs off that hub (a hub change can cut all of them off)."""

from __future__ import annotations

from collections.abc import Iterable

from pydriver.review.model import BlastRadius, DataDiff, RouterReview
from pydriver.sot.models import Network


def hub_sites(nets: Iterable[Network]) -> dict[str, set[str]]:
    """hub -> site codes with a link to it (in any of ``nets``)."""
    out: dict[str, set[str]] = {}
    for net in nets:
        for s in net.sites:
            for link in s.links:
                out.setdefault(link.hub, set()).add(s.code)
    return out


def blast_radius(routers: Iterable[RouterReview], data: DataDiff, base: Network,
                 head: Network) -> BlastRadius:
    touched = [r for r in routers if r.action != "noop"]
    hubs = sorted(r.host for r in touched if r.role == "hub")
    opds = {r.site for r in touched if r.site} | {s.code for s in data.sites} | \
        {link.site for link in data.links}
    behind = hub_sites((base, head))
    return BlastRadius(routers=tuple(sorted(r.host for r in touched)),
                       opds=tuple(sorted(opds)), hubs=tuple(hubs),
                       hub_sites={h: tuple(sorted(behind.get(h, ()))) for h in hubs})
