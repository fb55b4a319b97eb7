"""Interface-name rules shared by the platforms' grammars (pure functions, netutils-style).

A zone or link interface written ``parent.N`` is a VLAN sub-interface everywhere pydriver
renders it, so every platform checks the tag the same way: digits, 1 to 4094. What a base
name may look like differs per platform and stays in each platform's folder.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"^[0-9]{1,4}$")


def vlan_problem(name: str) -> str | None:
    """Why the ``.N`` suffix of ``name`` is not a VLAN tag (None: no suffix, or a good one)."""
    if "." not in name:
        return None
    _, tag = name.rsplit(".", 1)
    if not _TAG.match(tag) or not 1 <= int(tag) <= 4094:
        return f"interface {name!r}: the part after the last '.' must be a VLAN id 1-4094"
    return None


def grammar_problem(name: str, pattern: re.Pattern[str], expected: str) -> str | None:
    """The common check: the whole name matches ``pattern``, then the VLAN suffix."""
    if not pattern.fullmatch(name):
        return f"interface {name!r} is not a valid name: expected {expected}"
    return vlan_problem(name)
