"""The compliance report as SARIF 2.1.0: code-scanning tools show each failure on the line
of the rendered (or running) config that shows it.

Each rule carries its title, rationale, remediation and citations as help text, and its
severity as the default level (and as GitHub's ``security-severity``). Results are the
failures and the waived failures; a waived one carries an accepted external suppression
with the waiver's justification, so a scanner lists it as dismissed rather than open.
Passing, not-applicable and not-assessed findings are counted in the run's properties
(JUnit and the dashboard list them one by one).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from pydriver.compliance.model import Finding, Report, Rule, Severity, Status
from pydriver.report.groups import NETWORK, router_files

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
         Severity.LOW: "note"}
# GitHub code scanning ranks security results by this score (CVSS-like bands)
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0"}


def _name(rule: Rule) -> str:
    """SARIF's rule name: an identifier, from the check that judges the rule."""
    return "".join(part.capitalize() for part in rule.check.split("_"))


def _rule(rule: Rule) -> dict[str, Any]:
    cites = "\n".join(f"- {c}" for c in rule.citation)
    text = (f"{rule.title}.\n\nWhy: {rule.rationale}\n\nRemediation: {rule.remediation}\n\n"
            f"Basis:\n{cites}")
    markdown = (f"**{rule.title}** ({rule.severity.value})\n\n**Why.** {rule.rationale}\n\n"
                f"**Remediation.** {rule.remediation}\n\n**Basis.**\n{cites}")
    return {
        "id": rule.id, "name": _name(rule),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["security", "compliance", "BSSN-4-2021", f"scope:{rule.scope}"],
                       "precision": "high",
                       "security-severity": SECURITY_SEVERITY[rule.severity],
                       "severity": rule.severity.value, "citation": list(rule.citation)},
    }


def _uri(path: str) -> str:
    return quote(path, safe="/:@")


def _location(f: Finding, files: dict[str, str]) -> dict[str, Any] | None:
    """Where the finding is: its evidence line, else (a setting that is absent) the
    router's main config file."""
    if f.evidence is not None:
        return {"artifactLocation": {"uri": _uri(f.evidence.file)},
                "region": {"startLine": max(f.evidence.line, 1),
                           "snippet": {"text": f.evidence.text}}}
    if f.router and f.router in files:
        return {"artifactLocation": {"uri": _uri(files[f.router])}}
    return None


def _result(f: Finding, index: int, rule: Rule, files: dict[str, str]) -> dict[str, Any]:
    who = f.router or NETWORK
    loc: dict[str, Any] = {"logicalLocations": [
        {"name": who, "fullyQualifiedName": f"{f.site or NETWORK}/{who}", "kind": "module"}]}
    physical = _location(f, files)
    if physical is not None:
        loc["physicalLocation"] = physical
    key = f"{f.rule}\0{who}\0{f.message}".encode()
    result: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index, "kind": "fail", "level": LEVEL[rule.severity],
        "message": {"text": f"{who}: {f.message}"},
        "locations": [loc],
        "partialFingerprints": {"jipFinding/v1": hashlib.sha256(key).hexdigest()[:32]},
        "properties": {k: v for k, v in (("router", f.router), ("site", f.site),
                                         ("opd", f.opd), ("kind", f.kind),
                                         ("platform", f.platform)) if v},
    }
    if f.status is Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f.waiver or "waived"}]
    return result


def sarif_dict(report: Report) -> dict[str, Any]:
    index = {r.id: i for i, r in enumerate(report.rules)}
    files = router_files(report)
    results = [_result(f, index[f.rule], report.rule(f.rule), files)
               for f in report.findings if f.status in (Status.FAIL, Status.WAIVED)]
    artifacts = sorted({loc["physicalLocation"]["artifactLocation"]["uri"]
                        for r in results for loc in r["locations"] if "physicalLocation" in loc})
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pydriver", "semanticVersion": _version(),
                "rules": [_rule(r) for r in report.rules]}},
            "automationDetails": {"id": f"pydriver-check/{report.source}/"},
            "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
            "results": results,
            "properties": {"source": report.source, "counts": report.counts(),
                           "routers": list(report.routers)},
        }],
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pydriver")
    except PackageNotFoundError:
        return "0.0.0"


def sarif(report: Report) -> str:
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False) + "\n"
