"""The data diff: what a pull request changes in the source of truth itself.

Compared on the validated models, not on YAML text, so a comment or a reordered key is no
change, and a list of named things (links, zones, hubs, uplinks, admins) is compared by
name, not by position: inserting a link does not make every later one "changed".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydriver.intent.model import DeviceIntent
from pydriver.review.model import (
    AllocationChange,
    Budget,
    DataDiff,
    FieldChange,
    LinkChange,
    SiteChange,
)
from pydriver.sot.models import Network, Site

_KEYS = ("name", "hostname", "code", "kind")  # what names an item of a list, in this order


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data -> ``{"a.b[name].c": leaf}``; lists of scalars stay whole (a server
    list reads better as one value), lists of named items are keyed by their name."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        key = next((k for k in _KEYS if all(k in v for v in value)
                    and len({str(v[k]) for v in value}) == len(value)), None)
        out = {}
        for i, v in enumerate(value):
            out |= flatten(v, f"{prefix}[{v[key] if key else i}]")
        return out
    return {prefix: value}


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(k, before.get(k), after.get(k))
                 for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k))


def _site_facts(site: Site) -> tuple[FieldChange, ...]:
    """What a reviewer needs to see of a site that comes or goes, in a few values."""
    links = ", ".join(f"{link.name} ({link.medium.value} to {link.hub}, {link.capacity_mbps} "
                      f"Mbps, {link.role})" for link in site.links)
    bw = site.bandwidth
    facts = {"id": site.id, "kind": site.kind.value,
             "router": f"{site.router.hostname} ({site.router.platform.value}, "
                       f"{site.router.model})",
             "links": links, "zones": ", ".join(z.kind.value for z in site.zones),
             "bandwidth": f"{bw.guaranteed_mbps}/{bw.max_mbps} Mbps on {bw.uplink}, "
                          f"priority {bw.priority}"}
    return tuple(FieldChange(k, None, v) for k, v in facts.items())


def sites(base: Network, head: Network, files: Mapping[str, str],
          base_files: Mapping[str, str]) -> tuple[SiteChange, ...]:
    """Sites added, removed or changed (field by field), by site code."""
    was = {s.code: s for s in base.sites}
    now = {s.code: s for s in head.sites}
    out = []
    for code in sorted(set(was) | set(now)):
        old, new = was.get(code), now.get(code)
        if old is None and new is not None:
            out.append(SiteChange(code, "added", new.name, files.get(code, ""),
                                  _site_facts(new)))
        elif new is None and old is not None:
            out.append(SiteChange(code, "removed", old.name, base_files.get(code, ""),
                                  tuple(FieldChange(f.path, f.after, None)
                                        for f in _site_facts(old))))
        elif old is not None and new is not None and old != new:
            fields = compare(flatten(old.model_dump(mode="json")),
                             flatten(new.model_dump(mode="json")))
            out.append(SiteChange(code, "changed", new.name, files.get(code, ""), fields))
    return tuple(out)


def links(base: Network, head: Network) -> tuple[LinkChange, ...]:
    """Site links (a tunnel or a fibre VLAN each) added, removed or changed."""
    def index(net: Network) -> dict[tuple[str, str], Any]:
        return {(s.code, link.name): link for s in net.sites for link in s.links}

    was, now = index(base), index(head)
    out = []
    for key in sorted(set(was) | set(now)):
        old, new = was.get(key), now.get(key)
        link = new or old
        assert link is not None
        if old is None or new is None:
            out.append(LinkChange(key[0], key[1], "added" if old is None else "removed",
                                  link.hub, link.medium.value,
                                  f"{link.capacity_mbps} Mbps, {link.role}"))
        elif old != new:
            diff = compare(flatten(old.model_dump(mode="json")),
                           flatten(new.model_dump(mode="json")))
            out.append(LinkChange(key[0], key[1], "changed", new.hub, new.medium.value,
                                  "; ".join(f"{f.path} {f.before} -> {f.after}"
                                            for f in diff)))
    return tuple(out)


def region(base: Network, head: Network) -> tuple[FieldChange, ...]:
    """Everything but the sites (region.yml and servers.yml), field by field."""
    def data(net: Network) -> dict[str, Any]:
        dumped = net.model_dump(mode="json", exclude={"sites"})
        return flatten(dumped)

    return compare(data(base), data(head))


def allocation(intent: DeviceIntent) -> dict[str, str]:
    """A site router's derived numbers: loopback, ASN, zone prefixes, transit per link."""
    out = {"loopback": str(intent.loopback), "asn": str(intent.bgp.asn)}
    for z in intent.zones:
        out[f"zone {z.kind}"] = str(z.prefix)
    for t in intent.tunnels:
        out[f"transit {t.link}"] = str(t.inner.network)
    for i in intent.interfaces:
        if i.role == "link" and i.address is not None:
            out[f"link {i.name}"] = str(i.address.network)
    return out


def allocations(base: Mapping[str, DeviceIntent], head: Mapping[str, DeviceIntent]
                ) -> tuple[AllocationChange, ...]:
    """Derived numbers that differ for a site in both (a renumbering a reviewer must see)."""
    def by_site(intents: Mapping[str, DeviceIntent]) -> dict[str, DeviceIntent]:
        return {i.site_code: i for i in intents.values() if i.site_code and not i.is_hub}

    was, now = by_site(base), by_site(head)
    out = []
    for code in sorted(set(was) & set(now)):
        old, new = allocation(was[code]), allocation(now[code])
        out += [AllocationChange(code, what, old.get(what), new.get(what))
                for what in sorted(set(old) | set(new)) if old.get(what) != new.get(what)]
    return tuple(out)


def budgets(base: Network, head: Network) -> tuple[Budget, ...]:
    """Every internet uplink: guaranteed Mbps booked on it before and after, and its
    budget (capacity times the region's overbooking factor)."""
    def book(net: Network) -> dict[str, tuple[str, int, float]]:
        used: dict[str, int] = {}
        for s in net.sites:
            used[s.bandwidth.uplink] = used.get(s.bandwidth.uplink, 0) + \
                s.bandwidth.guaranteed_mbps
        return {u.name: (u.isp, used.get(u.name, 0), u.mbps * net.region.overbooking)
                for dc in net.datacenters for u in dc.uplinks}

    was, now = book(base), book(head)
    out = []
    for name in sorted(set(was) | set(now)):
        old, new = was.get(name), now.get(name)
        isp = (new or old or ("", 0, 0.0))[0]
        out.append(Budget(name, isp, old[1] if old else None, old[2] if old else None,
                          new[1] if new else None, new[2] if new else None))
    return tuple(out)


def data_diff(base: Network, head: Network, base_intents: Mapping[str, DeviceIntent],
              head_intents: Mapping[str, DeviceIntent], files: Mapping[str, str],
              base_files: Mapping[str, str]) -> DataDiff:
    return DataDiff(sites=sites(base, head, files, base_files), links=links(base, head),
                    region=region(base, head),
                    allocations=allocations(base_intents, head_intents),
                    budgets=budgets(base, head))
