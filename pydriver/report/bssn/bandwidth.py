"""The internet bandwidth the region buys centrally and shares out per OPD: each site's
guaranteed and maximum rate on its uplink, and each uplink's sum of guarantees against its
budget (capacity x the region's overbooking ratio), the same arithmetic validation applies.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from pydriver.report.bssn.doc import Block, Cell, Heading, Para, Table
from pydriver.sot.models import DataCenter, Network, Site, Uplink

T = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class UplinkUse:
    datacenter: DataCenter
    uplink: Uplink
    sites: tuple[Site, ...]
    overbooking: float

    @property
    def budget(self) -> float:
        return self.uplink.mbps * self.overbooking

    @property
    def guaranteed(self) -> int:
        return sum(s.bandwidth.guaranteed_mbps for s in self.sites)

    @property
    def maximum(self) -> int:
        return sum(s.bandwidth.max_mbps for s in self.sites)

    @property
    def over(self) -> bool:
        return self.guaranteed > self.budget


def allocation(net: Network) -> list[UplinkUse]:
    """Every uplink of every data centre, with the sites allocated to it (by site id)."""
    sites = sorted(net.sites, key=lambda s: s.id)
    return [UplinkUse(dc, u, tuple(s for s in sites if s.bandwidth.uplink == u.name),
                      net.region.overbooking)
            for dc in net.datacenters for u in dc.uplinks]


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def blocks(net: Network, t: T, header: list[Block]) -> list[Block]:
    uses = allocation(net)
    summary = tuple((u.uplink.name, u.datacenter.name, u.uplink.isp, u.uplink.contract,
                     u.uplink.mbps, u.budget, u.guaranteed, u.maximum,
                     _pct(u.guaranteed, u.budget), t("bw.over") if u.over else t("bw.ok"))
                    for u in uses)
    out: list[Block] = [
        *header, Para(t("bw.intro").format(over=f"{net.region.overbooking:g}")),
        Heading(2, t("bw.uplinks"), "uplinks"),
        Table((t("bw.col.uplink"), t("bw.col.datacenter"), t("bw.col.isp"),
               t("bw.col.contract"), t("bw.col.mbps"), t("bw.col.budget"),
               t("bw.col.guaranteed"), t("bw.col.max"), t("bw.col.use"), t("bw.col.status")),
              summary, numeric=frozenset({4, 5, 6, 7, 8}), css="uplinks"),
        Heading(2, t("bw.sites"), "sites")]
    for u in uses:
        rows: list[tuple[Cell, ...]] = [
            (s.name, s.code, t(f"kind.{s.kind.value}"), s.bandwidth.guaranteed_mbps,
             s.bandwidth.max_mbps, s.bandwidth.priority,
             _pct(s.bandwidth.guaranteed_mbps, u.uplink.mbps)) for s in u.sites]
        rows.append((t("bw.total"), "", "", u.guaranteed, u.maximum, None,
                     _pct(u.guaranteed, u.uplink.mbps)))
        out += [Heading(3, f"{u.uplink.name}: {u.uplink.isp}, {u.uplink.mbps} Mbps "
                           f"({u.datacenter.name})"),
                Table((t("bw.col.opd"), t("bw.col.site"), t("bw.col.kind"),
                       t("bw.col.guaranteed"), t("bw.col.max"), t("bw.col.priority"),
                       t("bw.col.share")), tuple(rows), numeric=frozenset({3, 4, 5, 6}),
                      css=f"allocation uplink-{u.uplink.name}")]
    return out


def to_csv(net: Network, t: T) -> bytes:
    """One line per site: its uplink and its share, for a spreadsheet."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow((t("bw.col.uplink"), t("bw.col.isp"), t("bw.col.mbps"), t("bw.col.budget"),
                t("bw.col.opd"), t("bw.col.site"), t("bw.col.kind"), t("bw.col.guaranteed"),
                t("bw.col.max"), t("bw.col.priority")))
    for u in allocation(net):
        for s in u.sites:
            w.writerow((u.uplink.name, u.uplink.isp, u.uplink.mbps, f"{u.budget:g}", s.name,
                        s.code, t(f"kind.{s.kind.value}"), s.bandwidth.guaranteed_mbps,
                        s.bandwidth.max_mbps, s.bandwidth.priority))
    return buf.getvalue().encode("utf-8-sig")
