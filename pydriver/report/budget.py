"""Fit a report into a size limit by shortening its parts in a fixed order, never cutting
the parts a reviewer must always see.

A pull-request comment has a hard limit (GitHub refuses more than 65,536 characters), and a
comment cut in the middle of a code block is worse than none. So a report is built as a
list of parts, each written at a few levels of detail (the first the fullest, the last the
shortest, possibly empty). While the whole is over the limit, the next part in the
shortening order drops one level. Parts with a single level (the summary line, the risks)
are never shortened. The result says whether anything was shortened, so the caller can
point at the full report written beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a report at its levels of detail, fullest first."""

    name: str
    levels: tuple[str, ...]
    shorten_rank: int = 0  # lower ranks are shortened first; a single level is never shortened


@dataclass(frozen=True, slots=True)
class Fitted:
    text: str
    shortened: tuple[str, ...]  # names of the parts given at less than full detail
    over: bool  # still over the limit after every part was shortened (the fixed parts alone)


def fit(parts: Sequence[Part], max_chars: int) -> Fitted:
    """The parts joined in order, shortened in rank order until the text fits, then given
    back detail, last shortened first, wherever it still fits."""
    level = [0] * len(parts)

    def text() -> str:
        return "".join(p.levels[n] for p, n in zip(parts, level, strict=True))

    order = sorted(range(len(parts)), key=lambda i: (parts[i].shorten_rank, i))
    current = text()
    for i in order:
        while len(current) > max_chars and level[i] + 1 < len(parts[i].levels):
            level[i] += 1
            current = text()
        if len(current) <= max_chars:
            break
    # give back detail where it now fits: a part shortened early may fit in full once a
    # later one was shortened (the routers' lines once the data diff is a summary)
    for i in reversed(order):
        while level[i] > 0:
            level[i] -= 1
            grown = text()
            if len(grown) > max_chars:
                level[i] += 1
                break
            current = grown
    shortened = tuple(p.name for p, n in zip(parts, level, strict=True) if n)
    return Fitted(current, shortened, len(current) > max_chars)
