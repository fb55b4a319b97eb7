"""Where each secret reference is written in the source of truth (file:line:column).

A missing secret found at push time must send the operator to the line to look at: the
admin's entry in region.yml, the site link's ``psk``, or the region default a site's key is
derived from. Validation checks references one by one; this maps a reference, as rendered
files carry it, back to every place that writes it.
"""

from __future__ import annotations

from pydriver.errors import Location
from pydriver.sot import secrets
from pydriver.sot.loader import Document, PathKey, Source
from pydriver.sot.models import Network


def secret_locations(source: Source, network: Network) -> dict[str, tuple[Location, ...]]:
    """Reference text (``env:NAME``, ...) -> the places the source of truth writes it."""
    found: dict[str, list[Location]] = {}

    def add(ref: str, doc: Document | None, path: PathKey) -> None:
        if doc is not None:
            loc = doc.where(path)
            if loc not in found.setdefault(ref, []):
                found[ref].append(loc)

    region = source.region
    base = network.baseline
    add(base.radius_secret, region, ("baseline", "radius_secret"))
    add(base.snmp.auth_secret, region, ("baseline", "snmp", "auth_secret"))
    add(base.snmp.priv_secret, region, ("baseline", "snmp", "priv_secret"))
    for i, admin in enumerate(base.admins):
        add(admin.secret, region, ("baseline", "admins", i, "secret"))
    docs = {d.data.get("code"): d for d in source.sites if isinstance(d.data, dict)}
    default_written = region is not None and isinstance(region.data, dict) and \
        "tunnel_psk" in (region.data.get("baseline") or {})
    for site in network.sites:
        doc = docs.get(site.code)
        for n, link in enumerate(site.links):
            if not link.medium.needs_tunnel:
                continue
            if link.psk is not None:
                add(link.psk, doc, ("links", n, "psk"))
                continue
            ref = secrets.format_site_ref(base.tunnel_psk, site.code)
            add(ref, doc, ("links", n))  # the link that needs the key
            if default_written:
                add(ref, region, ("baseline", "tunnel_psk"))  # the rule that names it
    for i, ic in enumerate(network.interconnects):
        if ic.psk is not None:
            add(ic.psk, region, ("interconnects", i, "psk"))
    return {ref: tuple(locs) for ref, locs in found.items()}
