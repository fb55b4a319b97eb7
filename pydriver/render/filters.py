"""Jinja filters every platform's templates share: address forms and units.

A platform's own spellings (crypto names, quoting) are filters in its folder
(``platforms/<name>/filters.py``), handed to the environment with its templates.
"""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Interface, IPv4Network
from typing import Any


def mask(value: IPv4Interface | IPv4Network) -> str:
    """IOS 'address mask' form."""
    if isinstance(value, IPv4Interface):
        return f"{value.ip} {value.netmask}"
    return f"{value.network_address} {value.netmask}"


def wildcard(value: IPv4Network) -> str:
    return f"{value.network_address} {value.hostmask}"


def bps(mbps: int) -> int:
    return mbps * 1_000_000


FILTERS: dict[str, Callable[..., Any]] = {
    "mask": mask,
    "wildcard": wildcard,
    "bps": bps,
}
