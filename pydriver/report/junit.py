"""The compliance report as JUnit XML: every CI server already shows these.

One test suite per router (and one for the network), one test case per rule judged there.
A failing rule is a ``failure``; a rule not assessed, not applicable or waived is
``skipped`` with the reason, so a CI summary never counts it as passed. The document
follows the Apache Ant JUnit schema, the strictest of the common ones (every attribute and
element it requires is present), so any JUnit reader accepts it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from pydriver.compliance.model import Finding, Report, Status
from pydriver.report.groups import NETWORK, by_router_rule, worst

_SKIP_REASON = {Status.NOT_ASSESSED: "not assessed", Status.NOT_APPLICABLE: "not applicable",
                Status.WAIVED: "waived"}


def _detail(f: Finding) -> str:
    line = f"[{f.status.value}] {f.message}"
    if f.evidence:
        line += f"\n    {f.evidence.file}:{f.evidence.line}: {f.evidence.text.strip()}"
    if f.waiver:
        line += f"\n    waiver: {f.waiver}"
    return line


def _case(suite: ET.Element, report: Report, router: str, rule_id: str,
          findings: list[Finding]) -> Status:
    rule = report.rule(rule_id)
    case = ET.SubElement(suite, "testcase", name=f"{rule_id} {rule.title}",
                         classname=f"jip.{router}", time="0")
    status = worst(f.status for f in findings)
    if status is Status.FAIL:
        failed = [f for f in findings if f.status is Status.FAIL]
        el = ET.SubElement(case, "failure", message="; ".join(f.message for f in failed),
                           type=f"{rule_id} {rule.severity.value}")
        el.text = "\n".join(_detail(f) for f in findings)
    elif status is not Status.PASS:
        why = [f for f in findings if f.status is status]
        reason = "; ".join(f.waiver or f.message if status is Status.WAIVED else f.message
                           for f in why)
        el = ET.SubElement(case, "skipped", message=f"{_SKIP_REASON[status]}: {reason}")
        el.text = "\n".join(_detail(f) for f in findings)
    return status


def junit(report: Report, now: datetime | None = None) -> str:
    """JUnit XML of ``report``; ``now`` is the suites' timestamp (UTC, default: now)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites")
    groups = by_router_rule(report)
    first = {f.router or NETWORK: f for f in report.findings}
    for index, host in enumerate(dict.fromkeys(h for h, _ in groups)):
        suite = ET.Element("testsuite", name=host, package=f"pydriver.check.{report.source}",
                           id=str(index), timestamp=stamp, hostname=host, tests="0",
                           failures="0", errors="0", skipped="0", time="0")
        props = ET.SubElement(suite, "properties")
        f0 = first[host]
        for name, value in (("source", report.source), ("site", f0.site), ("opd", f0.opd),
                            ("kind", f0.kind), ("platform", f0.platform)):
            if value:
                ET.SubElement(props, "property", name=name, value=value)
        statuses = [_case(suite, report, host, rule_id, found)
                    for (h, rule_id), found in groups.items() if h == host]
        suite.set("tests", str(len(statuses)))
        suite.set("failures", str(statuses.count(Status.FAIL)))
        suite.set("skipped", str(sum(s not in (Status.FAIL, Status.PASS) for s in statuses)))
        ET.SubElement(suite, "system-out").text = ""
        ET.SubElement(suite, "system-err").text = ""
        root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
