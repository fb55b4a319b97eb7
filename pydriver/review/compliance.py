"""The compliance delta of a pull request: findings it adds or resolves, waivers it adds
or lets expire.

HOOK: the compliance stage (``pydriver.compliance``, between platforms and plan) is not
part of pydriver yet. When it is, :func:`compliance_delta` runs its rules over both
pipelines (model, rendered configs) and compares the findings and waivers; until then it
returns an empty delta whose note says why, and the review shows that note instead of
claiming "no new findings".
"""

from __future__ import annotations

from pydriver.pipeline import Pipeline
from pydriver.review.model import ComplianceDelta

UNAVAILABLE = "compliance stage not available"


def compliance_delta(base: Pipeline, head: Pipeline) -> ComplianceDelta:
    """New and resolved findings, waivers added or expired, from ``base`` to ``head``."""
    del base, head  # read by the compliance stage once it exists (see the module's HOOK)
    return ComplianceDelta(note=UNAVAILABLE)
