"""The compliance delta of a pull request: findings it adds or resolves, waivers it adds
or lets expire.

Both sides are judged the same way, on their rendered configs and their source of truth
(no device): a finding is identified by its rule, router and message, so a finding that
only moved to another line is neither new nor resolved.
"""

from __future__ import annotations

from datetime import date

from pydriver.compliance.model import Finding as Judged
from pydriver.compliance.model import Status
from pydriver.pipeline import Pipeline
from pydriver.review.model import ComplianceDelta, Finding, Waiver
from pydriver.sot.models import Waiver as SotWaiver


def _key(f: Judged) -> tuple[str, str, str]:
    return (f.rule, f.router or "network", f.message)


def _failing(pipe: Pipeline, today: date) -> dict[tuple[str, str, str], Judged]:
    return {_key(f): f for f in pipe.check(today=today).findings if f.status is Status.FAIL}


def _scope(w: SotWaiver) -> str:
    s = w.scope
    return "all" if s.all else next(f"{k} {v}" for k, v in (
        ("router", s.router), ("site", s.site), ("platform", s.platform)) if v is not None)


def compliance_delta(base: Pipeline, head: Pipeline, today: date | None = None
                     ) -> ComplianceDelta:
    """New and resolved findings, waivers added or expired, from ``base`` to ``head``."""
    today = today or date.today()
    before, after = _failing(base, today), _failing(head, today)

    def finding(f: Judged) -> Finding:
        return Finding(f.rule, f.router or "network", f.message)

    old = {(w.rule, _scope(w)) for w in base.network.waivers}
    added = tuple(Waiver(w.rule, _scope(w), w.expires.isoformat())
                  for w in head.network.waivers if (w.rule, _scope(w)) not in old)
    expired = tuple(Waiver(w.rule, _scope(w), w.expires.isoformat())
                    for w in head.network.waivers if w.expires < today)
    return ComplianceDelta(
        new=tuple(finding(after[k]) for k in sorted(set(after) - set(before))),
        resolved=tuple(finding(before[k]) for k in sorted(set(before) - set(after))),
        waivers_added=added, waivers_expired=expired)
