"""Parsers for the show/print outputs post-change checks read (real device text formats)."""

from __future__ import annotations

import re

_IOS_BGP_ROW = re.compile(
    r"^(?P<nb>\d+\.\d+\.\d+\.\d+)\s+4\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+(?P<state>\S+)",
    re.M)
_PING_RATE = re.compile(r"Success rate is (\d+) percent")


def parse_ios_bgp(text: str) -> dict[str, str]:
    """``show ip bgp summary``: neighbour -> 'Established' or the state IOS shows.

    IOS prints the prefix count in State/PfxRcd once a session is established, and the FSM
    state (Idle, Active, Connect...) otherwise.
    """
    out = {}
    for m in _IOS_BGP_ROW.finditer(text):
        state = m["state"]
        out[m["nb"]] = "Established" if state.isdigit() else state
    return out


def parse_ios_ping(text: str) -> int:
    m = _PING_RATE.search(text)
    return int(m[1]) if m else 0


_ROS_RECEIVED = re.compile(r"received=(\d+)")
_LINUX_RECEIVED = re.compile(r"(\d+) (?:packets )?received")


def ping_command(platform: str, destination: str, source: str | None) -> str:
    """The ping a platform's console understands, sourced where the check needs it."""
    if platform == "mikrotik_routeros":
        return f"/ping {destination} count=3" + (f" src-address={source}" if source else "")
    if platform == "cisco_ios":
        return f"ping {destination} repeat 3 timeout 1" + (f" source {source}" if source else "")
    return f"ping -c 3 -W 1 {'-I ' + source + ' ' if source else ''}{destination}"


def ping_ok(platform: str, output: str) -> bool:
    if platform == "mikrotik_routeros":
        found = _ROS_RECEIVED.findall(output)
        return bool(found) and int(found[-1]) > 0
    if platform == "cisco_ios":
        return parse_ios_ping(output) > 0
    m = _LINUX_RECEIVED.search(output)
    return m is not None and int(m[1]) > 0
