"""Waves: hubs before sites, never together; a canary first; then fixed-size waves.

Why: a hub change can cut off every site behind it, so hubs go first, alone, and a failure
there stops the run before any site is touched. A canary catches a bad template on one
router instead of fifty. Sizes are a count or a percentage of the group.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from pydriver.plan.model import RouterPlan


def wave_size(spec: str, total: int) -> int:
    spec = spec.strip()
    if spec.endswith("%"):
        pct = float(spec[:-1])
        if not 0 < pct <= 100:
            raise ValueError(f"wave size {spec} must be a percentage in (0, 100]")
        return max(1, math.ceil(total * pct / 100))
    size = int(spec)
    if size < 1:
        raise ValueError(f"wave size {spec} must be at least 1")
    return size


def waves(routers: list[RouterPlan], size: str = "25%", canary: bool = True
          ) -> list[list[RouterPlan]]:
    out: list[list[RouterPlan]] = []
    for role in ("hub", "site"):
        group = sorted((r for r in routers if r.role == role), key=lambda r: r.host)
        if not group:
            continue
        if canary:
            out.append(group[:1])
            group = group[1:]
        n = wave_size(size, len(group)) if group else 1
        out += [group[i:i + n] for i in range(0, len(group), n)]
    return out


def schedule(routers: Iterable[RouterPlan], hosts: set[str] | None, size: str = "25%",
             canary: bool = True) -> list[list[RouterPlan]]:
    """The waves a run goes through: the routers that change (of ``hosts``, all when None),
    in the order apply takes them; ``apply --dry-run`` shows exactly this."""
    return waves([r for r in routers if r.changed and (hosts is None or r.host in hosts)],
                 size, canary)
