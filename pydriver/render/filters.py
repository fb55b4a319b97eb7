"""Jinja filters every platform's templates share: address forms, units, one-line text.

A platform's own spellings (crypto names, quoting) are filters in its folder
(``platforms/<name>/filters.py``), handed to the environment with its templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from ipaddress import IPv4Interface, IPv4Network
from typing import Any

#: what any parser may take for the end of a line: C0 and C1 controls (CR, LF, VT, FF, NEL
#: ...), DEL and the Unicode line and paragraph separators (Python's own ``splitlines``
#: honours all of them)
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def mask(value: IPv4Interface | IPv4Network) -> str:
    """IOS 'address mask' form."""
    if isinstance(value, IPv4Interface):
        return f"{value.ip} {value.netmask}"
    return f"{value.network_address} {value.netmask}"


def wildcard(value: IPv4Network) -> str:
    return f"{value.network_address} {value.hostmask}"


def bps(mbps: int) -> int:
    return mbps * 1_000_000


def oneline(value: object) -> str:
    """Free text for a comment or a rest-of-line argument: whatever could end the line is
    a space, so the text can never start a line (a command) of its own."""
    return LINE_BREAKING.sub(" ", str(value))


def index_by(items: Iterable[Any], attribute: str) -> Mapping[Any, list[Any]]:
    """``items`` grouped by one attribute, in their order: a lookup built once, so a
    template that needs "the entries of this interface" for every interface stays linear."""
    out: dict[Any, list[Any]] = {}
    for item in items:
        out.setdefault(getattr(item, attribute), []).append(item)
    return out


FILTERS: dict[str, Callable[..., Any]] = {
    "mask": mask,
    "wildcard": wildcard,
    "bps": bps,
    "oneline": oneline,
    "index_by": index_by,
}
