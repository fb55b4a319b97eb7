"""Rules, findings and the report: the compliance stage's frozen output.

A rule is data (``rules.yml``); a finding is one rule judged on one router (or on the
network), with the line that shows it. A finding never carries a secret: evidence lines
come from configs whose secrets are placeholders (rendered) or scrubbed (running).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from pydriver.platforms.facts import Evidence


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high", "critical").index(self.value)


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WAIVED = "waived"
    NOT_ASSESSED = "not-assessed"  # no evidence to judge by (a router with no backup)
    NOT_APPLICABLE = "not-applicable"  # the platform has no such setting


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    severity: Severity
    scope: str  # "config": each router's configuration; "network": the source of truth
    check: str
    citation: tuple[str, ...]
    rationale: str
    remediation: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule judged on one router (``router`` None: on the network)."""

    rule: str
    status: Status
    message: str
    router: str | None = None
    site: str | None = None
    opd: str | None = None  # the site's name (an OPD office, a puskesmas...) or data centre
    kind: str | None = None  # site kind, or "hub"
    platform: str | None = None
    evidence: Evidence | None = None
    waiver: str | None = None  # the justification and approver, when waived


@dataclass(frozen=True, slots=True)
class Report:
    """Every finding of one assessment, rules in id order, findings in a stable order."""

    source: str  # "rendered", "backups", "device" or "git:<ref>"
    rules: tuple[Rule, ...]
    findings: tuple[Finding, ...]
    routers: tuple[str, ...] = field(default=())

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def counts(self) -> dict[str, int]:
        found = Counter(f.status.value for f in self.findings)
        return {s.value: found.get(s.value, 0) for s in Status}

    def failures(self, at_least: Severity = Severity.LOW) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.FAIL
                     and self.rule(f.rule).severity.rank >= at_least.rank)
