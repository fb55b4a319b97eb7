"""The asset inventory (Peraturan BSSN 4/2021 Pasal 33 ayat (1) huruf b): every router and
every shared server, with its OPD, site, model, platform, firmware, management address and
location, as CSV and as an Excel workbook.

The firmware is what the routers themselves reported at the last backup
(``backups/assets.json``); a router never read says so ("unknown") rather than guessing.
The workbook is reproducible: fixed document properties (the generation date) and the
fixed zip member times of xlsxwriter, so the same inventory gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

from pydriver.intent.model import DeviceIntent
from pydriver.sot.models import Network

T = Callable[[str], str]
COLUMNS = ("type", "name", "opd", "site", "role", "model", "platform", "firmware", "mgmt",
           "location")


@dataclass(frozen=True, slots=True)
class Asset:
    type: str
    name: str
    opd: str
    site: str
    role: str
    model: str
    platform: str
    firmware: str
    mgmt: str
    location: str

    def row(self) -> tuple[str, ...]:
        return tuple(getattr(self, c) for c in COLUMNS)


def assets(net: Network, intents: Mapping[str, DeviceIntent], firmware: Mapping[str, str],
           t: T) -> list[Asset]:
    """Routers (hubs, then sites, by hostname), then servers (by name)."""
    unknown = t("asset.unknown")
    out: list[Asset] = []
    for dc in net.datacenters:
        for hub in dc.hubs:
            out.append(Asset(t("asset.router"), hub.hostname, dc.name, dc.code,
                             t("asset.role.hub"), hub.model, hub.platform.value,
                             firmware.get(hub.hostname) or unknown, str(hub.management),
                             dc.address or dc.name))
    sites = []
    for s in net.sites:
        intent = intents.get(s.router.hostname)
        mgmt = intent.management if intent else (s.router.management or "")
        sites.append(Asset(t("asset.router"), s.router.hostname, s.name, s.code,
                           t(f"kind.{s.kind.value}"), s.router.model, s.router.platform.value,
                           firmware.get(s.router.hostname) or unknown, str(mgmt),
                           s.address or s.name))
    out = sorted(out, key=lambda a: a.name) + sorted(sites, key=lambda a: a.name)
    dcs = {dc.code: dc for dc in net.datacenters}
    for srv in sorted(net.servers, key=lambda s: s.name):
        dc = dcs[srv.datacenter]
        out.append(Asset(t("asset.server"), srv.name, dc.name, dc.code,
                         ", ".join(r.value for r in srv.roles), "", srv.os,
                         firmware.get(srv.name) or unknown, str(srv.address),
                         f"{dc.address or dc.name} ({t('arch.zone.' + srv.zone)})"))
    return out


def headers(t: T) -> tuple[str, ...]:
    return tuple(t(f"asset.{c}") for c in COLUMNS)


def to_csv(rows: list[Asset], t: T) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens Indonesian names right."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers(t))
    writer.writerows(a.row() for a in rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[Asset], t: T, title: str, company: str, generated: date) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    when = datetime(generated.year, generated.month, generated.day)
    book.set_properties({"title": title, "subject": title, "author": "pydriver",
                         "company": company, "created": when,
                         "comments": "Peraturan BSSN 4/2021 Pasal 33 ayat (1) huruf b"})
    sheet = book.add_worksheet(t("assets.title")[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    head = headers(t)
    data = [a.row() for a in rows]
    for col, name in enumerate(head):
        sheet.write_string(0, col, name, bold)
        width = max([len(name), *(len(r[col]) for r in data)])
        sheet.set_column(col, col, min(width + 2, 60))
    for r, row in enumerate(data, start=1):
        for col, value in enumerate(row):
            sheet.write_string(r, col, value)
    sheet.autofilter(0, 0, len(data), len(head) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()
