"""Assemble the BSSN evidence pack: every document, in one language, as bytes by file name.

Why bytes by name and not files written as they are made: the pack is checked as a whole
before anything reaches the disk (no secret placeholder, no secret reference), and the
same inputs must give the same bytes (dates excepted), which a test checks by building it
twice. The generation date is a parameter, never read from the clock here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydriver.compliance.model import Report
from pydriver.errors import PydriverError
from pydriver.intent.model import DeviceIntent
from pydriver.plan.model import SotRef
from pydriver.report.bssn import architecture, assets, bandwidth, doc, opd, topology
from pydriver.report.bssn.doc import Block, Fields, Heading, Para, Table
from pydriver.report.compliance import to_json
from pydriver.report.dashboard import dashboard
from pydriver.report.i18n import catalogue
from pydriver.sot.models import Network
from pydriver.sot.secrets import PLACEHOLDER

SOURCES = ("rendered", "backups")


@dataclass(frozen=True, slots=True)
class PackInput:
    """Everything the pack is made from (all of it already computed by the pipeline)."""

    network: Network
    intents: Mapping[str, DeviceIntent]
    report: Report  # the compliance report (rendered or backups)
    firmware: Mapping[str, str]  # router -> firmware, from the backups' assets.json
    sot: SotRef
    generated: date


def _header(title: str, inp: PackInput, *, lang: str, source: bool = False) -> list[Block]:
    tr = catalogue(lang)
    items = [(tr("pack.region"), f"{inp.network.region.name} ({inp.network.region.code})"),
             (tr("pack.generated"), inp.generated.isoformat()),
             (tr("pack.sot"), f"{tr('pack.sot.commit')} {inp.sot.commit}; "
                              f"{tr('pack.sot.digest')} sha256:{inp.sot.digest}")]
    if source:
        kind = inp.report.source if inp.report.source in SOURCES else "backups"
        items.append((tr("pack.from"), f"{tr('pack.from.' + kind)} ({inp.report.source})"))
    return [Heading(1, title), Fields(tuple(items))]


def _secret_refs(inp: PackInput) -> set[str]:
    """Every secret reference the source of truth names (never to appear in the pack)."""
    b = inp.network.baseline
    refs = {b.radius_secret, b.snmp.auth_secret, b.snmp.priv_secret,
            *(a.secret for a in b.admins)}
    refs |= {link.psk for s in inp.network.sites for link in s.links if link.psk}
    for intent in inp.intents.values():
        for tun in intent.tunnels:
            refs |= {m.group("ref") for m in PLACEHOLDER.finditer(tun.psk)}
    return refs


def build_pack(inp: PackInput, lang: str = "id") -> dict[str, bytes]:
    """File name -> content of the whole pack in ``lang`` ("id" or "en")."""
    t = catalogue(lang)
    net = inp.network
    report = opd.masked(inp.report, t("comp.secret"))

    def header(key: str, source: bool = False) -> list[Block]:
        return _header(t(key), inp, lang=lang, source=source)

    dot = topology.dot_source(net, inp.intents, t)
    svg = topology.svg(dot)
    arch = architecture.architecture(net, inp.intents, svg, t, header("arch.title"))
    rows = assets.assets(net, inp.intents, inp.firmware, t)
    bw = bandwidth.blocks(net, t, header("bw.title"))
    comp = opd.blocks(report, net, t, header("comp.title", source=True))
    files: dict[str, bytes] = {
        "architecture.md": doc.markdown(arch).encode(),
        "architecture.html": doc.html(arch, t("arch.title"), lang).encode(),
        "topology.dot": dot.encode(),
        "topology.svg": svg.encode(),
        "assets.csv": assets.to_csv(rows, t),
        "assets.xlsx": assets.to_xlsx(rows, t, t("assets.title"), net.region.name,
                                      inp.generated),
        "bandwidth.md": doc.markdown(bw).encode(),
        "bandwidth.html": doc.html(bw, t("bw.title"), lang).encode(),
        "bandwidth.csv": bandwidth.to_csv(net, t),
        "compliance.md": doc.markdown(comp).encode(),
        "compliance.html": doc.html(comp, t("comp.title"), lang).encode(),
        "dashboard.html": dashboard(report, lang).encode(),
        "findings.json": to_json(report).encode(),
    }
    index = _index(inp, lang)
    files["index.md"] = doc.markdown(index).encode()
    files["index.html"] = doc.html(index, t("pack.title"), lang).encode()
    _guard(files, _secret_refs(inp))
    return dict(sorted(files.items()))


def _index(inp: PackInput, lang: str) -> list[Block]:
    t = catalogue(lang)
    rows = (("architecture.html, architecture.md", t("file.architecture"), t("pack.basis.a")),
            ("topology.svg, topology.dot", t("file.topology"), t("pack.basis.a")),
            ("assets.csv, assets.xlsx", t("file.assets"), t("pack.basis.b")),
            ("bandwidth.html, bandwidth.md, bandwidth.csv", t("file.bandwidth"),
             t("pack.basis.33")),
            ("compliance.html, compliance.md", t("file.compliance"), t("pack.basis.33")),
            ("dashboard.html", t("file.dashboard"), t("pack.basis.33")),
            ("findings.json", t("file.findings"), t("pack.basis.33")))
    return [*_header(t("pack.title"), inp, lang=lang, source=True),
            Heading(2, t("pack.contents")),
            Table((t("pack.col.file"), t("pack.col.what"), t("pack.col.basis")), rows,
                  css="contents"),
            Para(t("pack.note"))]


def _guard(files: Mapping[str, bytes], refs: set[str]) -> None:
    """Refuse a pack that names a secret: a placeholder or a secret reference."""
    for name, data in files.items():
        if name.endswith(".xlsx"):
            continue  # zipped; its cells are the asset rows, which hold no secret field
        text = data.decode("utf-8", errors="replace")
        if PLACEHOLDER.search(text):
            raise PydriverError(f"evidence pack: {name} would carry a secret placeholder")
        named = sorted(r for r in refs if r in text)
        if named:
            raise PydriverError(f"evidence pack: {name} would name secret references "
                                f"{', '.join(named)}")


def write_pack(files: Mapping[str, bytes], out: Path) -> list[Path]:
    """Write the pack into ``out`` (created); the paths written, in name order."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in sorted(files.items()):
            path = out / name
            path.write_bytes(data)
            written.append(path)
    except OSError as exc:
        raise PydriverError(f"cannot write the evidence pack into {out}: "
                            f"{exc.strerror}") from None
    return written
