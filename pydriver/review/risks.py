"""Risk flags for the reviewer, from the data diff and from each router's plan.

Grouped by kind (one flag naming every router or site it concerns), so a change to 300
sites gives a few flags a reviewer can read, not 300 lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydriver.review.model import BlastRadius, DataDiff, Risk, RouterReview

NEAR = 0.9  # an uplink booked past this share of its budget is flagged


def _group(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text, where in items:
        if where not in out.setdefault(text, []):
            out[text].append(where)
    return out


def risks(data: DataDiff, blast: BlastRadius, routers: Iterable[RouterReview]) -> tuple[Risk,
                                                                                        ...]:
    out: list[Risk] = []
    removed = [s.code for s in data.sites if s.change == "removed"]
    if removed:
        out.append(Risk("sites removed: pydriver does not deconfigure their routers; the hubs "
                        "drop their tunnels and sessions", tuple(removed), "high"))
    renumbered = sorted({a.site for a in data.allocations})
    if renumbered:
        out.append(Risk("renumbering: derived addresses or ASNs of existing sites change "
                        "(tunnels and BGP sessions re-form; management addresses may move)",
                        tuple(renumbered), "high"))
    for b in data.budgets:
        if b.after_used is None or not b.after_budget:
            continue
        share = b.after_used / b.after_budget
        if share > 1:
            out.append(Risk(f"uplink {b.uplink} overbooked: {b.after_used} Mbps guaranteed, "
                            f"budget {b.after_budget:g} Mbps", (b.uplink,), "high"))
        elif share >= NEAR and b.changed:
            out.append(Risk(f"uplink {b.uplink} at {share:.0%} of its budget "
                            f"({b.after_used} of {b.after_budget:g} Mbps)", (b.uplink,)))
    areas = _group((_area(f.path), f.path) for f in data.region if _area(f.path))
    for text, paths in areas.items():
        out.append(Risk(text, tuple(paths), "high" if "pools" in text else "warning"))
    platform = [s.code for s in data.sites if s.change == "changed" and
                any(f.path == "router.platform" for f in s.fields)]
    if platform:
        out.append(Risk("router platform changes: the router is replaced, not updated",
                        tuple(platform), "high"))
    keys = sorted({f"{link.site}" for link in data.links if "psk" in link.detail})
    if keys:
        out.append(Risk("pre-shared key references change: both ends need the new secret "
                        "before apply", tuple(keys)))
    for hub in blast.hubs:
        n = len(blast.hub_sites.get(hub, ()))
        out.append(Risk(f"hub change: {hub} changes, and the {n} sites it carries depend on "
                        "it", (), "high"))
    routers = list(routers)
    new = [r.host for r in routers if r.action == "create"]
    if new:
        out.append(Risk("new routers: configured from nothing (management, AAA, firewall, "
                        "routing and tunnels all at once)", tuple(new)))
    per_router = _group((risk, r.host) for r in routers if r.action != "create"
                        for risk in r.risks if not risk.startswith("hub change"))
    out += [Risk(text, tuple(sorted(hosts))) for text, hosts in sorted(per_router.items())]
    return tuple(out)


def _area(path: str) -> str:
    """The flag a region-level field belongs to ("" for none)."""
    if path.startswith("pools."):
        return "address pools change: every derived address may move"
    if path.startswith("baseline."):
        if path.endswith(("secret", "tunnel_psk")):
            return "secret references change: set the new secrets before apply"
        return "security baseline changes: every router is touched"
    if path.startswith("crypto_profiles"):
        return "crypto profiles change: every tunnel using them re-keys"
    if path.startswith("region.") and path.split(".")[1] in ("asn", "site_asn_base"):
        return "ASNs change: every BGP session re-forms"
    return ""
