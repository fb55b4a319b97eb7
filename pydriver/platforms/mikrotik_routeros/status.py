"""Reading RouterOS 7 status printouts: IPsec peers, BGP sessions, routes, ping.

Post-change checks decide whether a change stays or is rolled back, so they read what the
router itself reports, in the text layouts RouterOS 7 prints (tables with a flags column,
or ``detail``-style entries), and fail closed: anything not recognised counts as "not
there".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ADDRESS = r"\d{1,3}(?:\.\d{1,3}){3}"
_ROUTE_ROW = re.compile(
    rf"^\s*(?:\d+\s+)?(?P<flags>[A-Za-z+]*)\s+(?P<dst>{_ADDRESS}/\d{{1,2}})\s+(?P<gw>\S+)?", re.M)
_ENTRY = re.compile(r"^\s*(?P<index>\d+)\s+(?P<flags>[A-Z]*)\s*(?P<rest>.*)$")
_REMOTE = re.compile(rf"remote\.address=(?P<address>{_ADDRESS})")
_RECEIVED = re.compile(r"received=(\d+)")


@dataclass(frozen=True, slots=True)
class RouteRow:
    prefix: str
    flags: str
    gateway: str

    @property
    def active(self) -> bool:
        return "A" in self.flags

    @property
    def bgp(self) -> bool:
        return "b" in self.flags


def active_peers(text: str) -> set[str]:
    """Remote addresses with an established IKE SA (``/ip ipsec active-peers print``)."""
    found = set()
    for line in text.splitlines():
        if "established" not in line:
            continue
        found.update(re.findall(rf"(?<![\d.]){_ADDRESS}(?![\d.])", line))
    return found


def bgp_sessions(text: str) -> dict[str, bool]:
    """Remote address -> established (``/routing bgp session print``, flag ``E``)."""
    out: dict[str, bool] = {}
    established = False
    for line in text.splitlines():
        entry = _ENTRY.match(line)
        if entry is not None and (entry["rest"].startswith(("name=", ";;;")) or
                                  not entry["rest"]):
            established = "E" in entry["flags"]
        remote = _REMOTE.search(line)
        if remote is not None:
            out[remote["address"]] = out.get(remote["address"], False) or established
    return out


def routes(text: str) -> list[RouteRow]:
    """Rows of ``/ip route print``: destination, flags (``A`` active, ``b`` BGP), gateway."""
    return [RouteRow(m["dst"], m["flags"], m["gw"] or "") for m in _ROUTE_ROW.finditer(text)]


def ping_received(text: str) -> int:
    """Replies counted by ``/ping ... count=N`` (the last summary line)."""
    found = _RECEIVED.findall(text)
    return int(found[-1]) if found else 0
