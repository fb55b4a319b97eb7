"""Which areas of the router a change touches, for the plan's risk flags.

The flags are what a reviewer weighs a change by: anything near management access (the
services, SSH, who may log in and from where) can lock the operators out, the firewall can
cut traffic, crypto and routing can take sites off the network.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydriver.platforms.mikrotik_routeros.script import Command

_MGMT_MENUS = {("ip", "service"), ("ip", "ssh"), ("user",), ("user", "aaa"), ("radius",),
               ("user", "group")}
_AAA_MENUS = {("user",), ("user", "aaa"), ("radius",), ("user", "group")}
MGMT_LIST = "jip-mgmt"


def of(cmd: Command) -> set[str]:
    path = cmd.path
    found: set[str] = set()
    if path in _MGMT_MENUS:
        found.add("mgmt")
    if path in _AAA_MENUS:
        found.add("aaa")
    if path[:2] == ("ip", "firewall"):
        found.add("firewall")
        if path == ("ip", "firewall", "address-list") and cmd.get("list") == MGMT_LIST:
            found.add("mgmt")
        if path == ("ip", "firewall", "filter") and cmd.get("chain") == "input" and \
                MGMT_LIST in (cmd.get("src-address-list") or ""):
            found.add("mgmt")
        if (cmd.owner or "").startswith("qos/"):
            found.add("qos")
    if path[:2] == ("ip", "ipsec"):
        found.add("crypto")
    if path[:1] == ("routing",) or path == ("ip", "route"):
        found.add("routing")
    if path[:1] == ("queue",):
        found.add("qos")
    if path[:1] == ("interface",) or path == ("ip", "address"):
        found.add("interfaces")
    return found or {"baseline"}


def sections_of(items: Iterable[Command]) -> frozenset[str]:
    found: set[str] = set()
    for cmd in items:
        found |= of(cmd)
    return frozenset(found)
