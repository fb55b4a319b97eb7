"""Compliance per OPD, with the waivers: the part of the pack an OPD head signs off.

Each OPD (an office, a puskesmas, a data centre for the hubs) gets its counts and the list
of what is not passing, with the line that shows it; the waivers of the source of truth
are listed with their justification, approver and expiry. Evidence lines never carry a
secret, and the pack does not even carry the names of the secret references: every
``@@secret:<ref>@@`` placeholder is replaced by a neutral word (:func:`masked`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable

from pydriver.compliance.model import Finding, Report, Status
from pydriver.report.bssn.doc import Block, Cell, Heading, Para, Table
from pydriver.report.groups import NETWORK, WORST_FIRST
from pydriver.sot.models import Network, Waiver
from pydriver.sot.secrets import PLACEHOLDER

T = Callable[[str], str]
COLUMNS = tuple(reversed(WORST_FIRST))  # pass .. fail


def mask(text: str, word: str) -> str:
    return PLACEHOLDER.sub(word, text)


def masked(report: Report, word: str) -> Report:
    """``report`` with every secret placeholder in messages and evidence replaced."""
    def one(f: Finding) -> Finding:
        ev = f.evidence
        if ev is not None:
            ev = dataclasses.replace(ev, text=mask(ev.text, word))
        return dataclasses.replace(f, message=mask(f.message, word), evidence=ev,
                                   waiver=mask(f.waiver, word) if f.waiver else None)
    return dataclasses.replace(report, findings=tuple(one(f) for f in report.findings))


def _scope(w: Waiver, t: T) -> str:
    s = w.scope
    parts = [t("comp.scope.all")] if s.all else []
    if s.router:
        parts.append(t("comp.scope.router").format(name=s.router))
    if s.site:
        parts.append(t("comp.scope.site").format(name=s.site))
    if s.platform:
        parts.append(t("comp.scope.platform").format(name=s.platform.value))
    return ", ".join(parts)


def blocks(report: Report, net: Network, t: T, header: list[Block]) -> list[Block]:
    by_opd: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_opd.setdefault(f.opd or t("kind.network"), []).append(f)
    kinds = {opd: next((f.kind for f in found if f.kind), NETWORK)
             for opd, found in by_opd.items()}
    summary: list[tuple[Cell, ...]] = []
    for opd in sorted(by_opd):
        c = Counter(f.status for f in by_opd[opd])
        routers = sorted({f.router for f in by_opd[opd] if f.router})
        summary.append((opd, t(f"kind.{kinds[opd]}"), ", ".join(routers) or "-",
                        *(c[s] for s in COLUMNS)))
    out: list[Block] = [
        *header, Para(t("comp.intro")),
        Heading(2, t("comp.summary"), "summary"),
        Table((t("comp.col.opd"), t("bw.col.kind"), t("comp.col.router"),
               *(t(f"status.{s.value}") for s in COLUMNS)), tuple(summary),
              numeric=frozenset(range(3, 3 + len(COLUMNS))), css="opd-summary"),
        Heading(2, t("comp.details"), "details")]
    for opd in sorted(by_opd):
        open_ = [f for f in by_opd[opd] if f.status is not Status.PASS]
        out.append(Heading(3, opd))
        if not open_:
            out.append(Para(t("comp.all_pass")))
            continue
        rows = []
        for f in open_:
            rule = report.rule(f.rule)
            note = f" ({t('dash.waiver')}: {f.waiver})" if f.waiver else ""
            where = f"{f.evidence.file}:{f.evidence.line}" if f.evidence else ""
            rows.append((f"{f.rule} {rule.title}", t(f"severity.{rule.severity.value}"),
                         t(f"status.{f.status.value}"), f.router or t("kind.network"),
                         f.message + note, where))
        out.append(Table((t("comp.col.rule"), t("comp.col.severity"), t("comp.col.status"),
                          t("comp.col.router"), t("comp.col.finding"),
                          t("comp.col.evidence")), tuple(rows), css="opd-findings"))
    out.append(Heading(2, t("comp.waivers"), "waivers"))
    if net.waivers:
        out.append(Table((t("comp.col.rule"), t("comp.col.scope"), t("comp.col.justification"),
                          t("comp.col.approver"), t("comp.col.expires")),
                         tuple((w.rule, _scope(w, t), w.justification, w.approved_by,
                                w.expires.isoformat()) for w in net.waivers), css="waivers"))
    else:
        out.append(Para(t("comp.no_waivers")))
    out += [Heading(2, t("comp.rules"), "rules"),
            Table((t("comp.col.rule"), t("comp.col.severity"), t("arch.col.name"),
                   t("dash.col.basis")),
                  tuple((r.id, t(f"severity.{r.severity.value}"), r.title,
                         "; ".join(r.citation))
                        for r in report.rules), css="rules")]
    return out
