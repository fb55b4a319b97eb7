"""The compliance report in the forms its readers need: one model, many formats.

JSON is versioned (a tool reading it can refuse a format it does not know); Markdown is for
a pull-request comment or a wiki page; JUnit XML for a CI server's test view; SARIF for
code scanning (each failure on its config line); HTML a self-contained dashboard. Every form
lists the same findings in the same order, so the counts agree whatever is read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydriver.compliance.model import Finding, Report, Status
from pydriver.report.dashboard import dashboard
from pydriver.report.junit import junit
from pydriver.report.sarif import sarif

JSON_VERSION = 1


def as_dict(report: Report) -> dict[str, Any]:
    def finding(f: Finding) -> dict[str, Any]:
        ev = f.evidence
        return {"rule": f.rule, "status": f.status.value, "message": f.message,
                "router": f.router, "site": f.site, "opd": f.opd, "kind": f.kind,
                "platform": f.platform, "waiver": f.waiver,
                "evidence": {"file": ev.file, "line": ev.line, "text": ev.text} if ev else None}

    return {
        "version": JSON_VERSION, "source": report.source, "counts": report.counts(),
        "routers": list(report.routers),
        "rules": [{"id": r.id, "title": r.title, "severity": r.severity.value,
                   "scope": r.scope, "citation": list(r.citation), "rationale": r.rationale,
                   "remediation": r.remediation} for r in report.rules],
        "findings": [finding(f) for f in report.findings],
    }


def to_json(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report) -> str:
    counts = report.counts()
    out = [f"### pydriver check ({report.source})", "",
           ", ".join(f"**{n}** {s}" for s, n in counts.items() if n), "",
           "| rule | severity | status | router | OPD / site | evidence | finding |",
           "|---|---|---|---|---|---|---|"]
    for f in report.findings:
        if f.status in (Status.PASS, Status.NOT_APPLICABLE):
            continue
        rule = report.rule(f.rule)
        where = f"`{f.evidence.file}:{f.evidence.line}`" if f.evidence else ""
        note = f" (waived: {f.waiver})" if f.waiver else ""
        out.append(f"| {f.rule} | {rule.severity.value} | {f.status.value} | "
                   f"{_cell(f.router or 'network')} | {_cell(f.opd or '')} | {where} | "
                   f"{_cell(f.message + note)} |")
    out += ["", "<details><summary>Rules</summary>", ""]
    out += [f"- **{r.id}** ({r.severity.value}) {r.title}. {'; '.join(r.citation)}"
            for r in report.rules]
    out += ["", "</details>"]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {"json": to_json, "markdown": markdown,
                                                 "text": to_json, "junit": junit,
                                                 "sarif": sarif, "html": dashboard}
FORMATS = ("text", *sorted(k for k in RENDERERS if k != "text"))


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)
