"""Ways of grouping one compliance report that several output formats share.

A format that shows one verdict per router and rule (JUnit's test case, the dashboard's
summary) needs the same answer to "what if a rule found two things on one router, one
passing and one failing": the worst status wins, in one fixed order, so every format
agrees with the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydriver.compliance.model import Finding, Report, Status

# worst first: a failure outweighs everything; "not assessed" is not compliant either
WORST_FIRST: tuple[Status, ...] = (Status.FAIL, Status.NOT_ASSESSED, Status.WAIVED,
                                   Status.NOT_APPLICABLE, Status.PASS)
NETWORK = "network"  # what findings about the source of truth are filed under


def worst(statuses: Iterable[Status]) -> Status:
    seen = set(statuses)
    return next((s for s in WORST_FIRST if s in seen), Status.PASS)


def by_router_rule(report: Report) -> dict[tuple[str, str], list[Finding]]:
    """(router or "network", rule id) -> its findings, routers in report order, then the
    network; rules in id order."""
    order = {r: i for i, r in enumerate((*report.routers, NETWORK))}
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        groups.setdefault((f.router or NETWORK, f.rule), []).append(f)
    return dict(sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], len(order)),
                                                       kv[0][0], kv[0][1])))


def router_files(report: Report) -> dict[str, str]:
    """Router -> the file most of its evidence points into (its main config file): where a
    finding about something *absent* from a config is located."""
    files: dict[str, Counter[str]] = {}
    for f in report.findings:
        if f.router and f.evidence:
            files.setdefault(f.router, Counter())[f.evidence.file] += 1
    return {router: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for router, c in files.items()}
