"""Parsers for the IOS show outputs the post-checks read (real IOS-XE text formats)."""

from __future__ import annotations

import re

_BGP_ROW = re.compile(
    r"^(?P<nb>\d+\.\d+\.\d+\.\d+)\s+4\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+(?P<state>\S+)",
    re.M)
_PING_RATE = re.compile(r"Success rate is (\d+) percent")


def parse_bgp_summary(text: str) -> dict[str, str]:
    """``show ip bgp summary``: neighbour -> 'Established' or the state IOS shows.

    IOS prints the prefix count in State/PfxRcd once a session is established, and the FSM
    state (Idle, Active, Connect...) otherwise.
    """
    out = {}
    for m in _BGP_ROW.finditer(text):
        state = m["state"]
        out[m["nb"]] = "Established" if state.isdigit() else state
    return out


def parse_ping(text: str) -> int:
    """The success rate (percent) of an IOS ping."""
    m = _PING_RATE.search(text)
    return int(m[1]) if m else 0
