"""Judge every rule on every router (and the network), then apply the waivers.

The input is the same whatever is judged: per router, either the rendered config or a
running config (from the backups or the device) read into facts by its platform, or
nothing (no backup: "not assessed", never compliant). Waivers come from the source of
truth; a waived failure is reported as waived with its justification, an expired waiver
as a failure of its own, and a waiver naming a rule that does not exist is a validation
problem located in waivers.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydriver.compliance import checks
from pydriver.compliance.model import Finding, Report, Rule, Status
from pydriver.compliance.rules import ids, rules
from pydriver.errors import Problem
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.facts import ConfigFacts, Evidence
from pydriver.sot.loader import Source
from pydriver.sot.models import Network, Waiver


def waiver_problems(network: Network, source: Source) -> list[Problem]:
    """Waivers that name a rule pydriver does not have (located in waivers.yml)."""
    known = ids()
    doc = source.waivers
    out = []
    for i, waiver in enumerate(network.waivers):
        if waiver.rule not in known:
            where = doc.where(("waivers", i, "rule")) if doc is not None else None
            out.append(Problem(where, f"waiver names rule {waiver.rule!r}, which does not "
                                      f"exist; known: {', '.join(sorted(known))}", "waiver"))
    return out


def _covers(waiver: Waiver, intent: DeviceIntent | None) -> bool:
    scope = waiver.scope
    if scope.all:
        return True
    if intent is None:
        return False
    return (scope.router == intent.hostname or (scope.site is not None and
                                                scope.site == intent.site_code)
            or (scope.platform is not None and scope.platform == intent.platform))


def _waive(finding: Finding, waivers: tuple[Waiver, ...], intent: DeviceIntent | None,
           today: date) -> list[Finding]:
    if finding.status is not Status.FAIL:
        return [finding]
    for waiver in waivers:
        if waiver.rule != finding.rule or not _covers(waiver, intent):
            continue
        note = f"{waiver.justification} (approved by {waiver.approved_by}, until " \
               f"{waiver.expires.isoformat()})"
        if waiver.expires < today:
            return [Finding(finding.rule, Status.FAIL, f"{finding.message}; the waiver "
                            f"expired on {waiver.expires.isoformat()}", finding.router,
                            finding.site, finding.opd, finding.kind, finding.platform,
                            finding.evidence, note)]
        return [Finding(finding.rule, Status.WAIVED, finding.message, finding.router,
                        finding.site, finding.opd, finding.kind, finding.platform,
                        finding.evidence, note)]
    return [finding]


def assess(network: Network, source: Source, intents: Mapping[str, DeviceIntent],
           facts: Mapping[str, ConfigFacts | None], assessed_from: str,
           view: checks.NetworkView | None = None, today: date | None = None,
           why_missing: str = "no configuration to read") -> Report:
    """Every rule on every router of ``intents`` (facts None: not assessed) and on the
    network. ``today`` decides which waivers have expired (a parameter, so a report is
    reproducible)."""
    today = today or date.today()
    net_view = view or checks.NetworkView(network, source, intents)
    sites = {s.code: s for s in network.sites}
    findings: list[Finding] = []
    for rule in rules():
        if rule.scope == "network":
            for status, message, evidence, host in checks.NETWORK_CHECKS[rule.check](net_view):
                intent = intents.get(host) if host else None
                findings += _waive(_finding(rule, status, message, intent, sites, evidence),
                                   network.waivers, intent, today)
            continue
        config_check = checks.CONFIG_CHECKS[rule.check]
        for host in sorted(intents):
            intent = intents[host]
            got = facts.get(host)
            if got is None:
                results: list[checks.Result] = [(Status.NOT_ASSESSED, why_missing, None)]
            else:
                results = config_check(checks.RouterView(intent, got, network))
            for status, message, evidence in results:
                findings += _waive(_finding(rule, status, message, intent, sites, evidence),
                                   network.waivers, intent, today)
    return Report(assessed_from, rules(), tuple(findings), tuple(sorted(intents)))


def _finding(rule: Rule, status: Status, message: str, intent: DeviceIntent | None,
             sites: Mapping[str, object], evidence: Evidence | None) -> Finding:
    if intent is None:
        return Finding(rule.id, status, message, evidence=evidence)
    site = sites.get(intent.site_code or "")
    kind = "hub" if intent.is_hub else str(getattr(site, "kind", ""))
    return Finding(rule.id, status, message, intent.hostname, intent.site_code, intent.title,
                   kind, intent.platform.value, evidence)
