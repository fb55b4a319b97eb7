"""What of an IOS-XE configuration pydriver owns: the kinds of top-level lines it writes.

RouterOS marks every item pydriver owns with a comment; most IOS lines cannot carry one, so
ownership goes by kind. A top-level line (with its children) is pydriver's when the intended
configuration has a line of the same kind (``interface``, ``router bgp``, ``ip access-list``,
``crypto ikev2``...) or when it belongs to the security baseline pydriver enforces whole
(local users, AAA, SNMP, logging, NTP, management lines, services): there, a line someone
added by hand (an SNMP v2c community, ``lldp run``) is drift to remove. Every other kind
is the router's own and no plan touches it: another team's OSPF process, a VRF, a numbered
ACL, a NAT rule on a site router, a discard route. A production router keeps what pydriver
was never asked to manage, as RouterOS items without a ``pydriver:`` comment do.

Static routes are pydriver's kind (one added by hand is drift), except discard routes
(``ip route ... Null0``): pydriver never writes one, and they anchor other teams' routing.
"""

from __future__ import annotations

from collections.abc import Iterator

# commands whose first word alone is the kind (the second word is a name or a value)
_ONE_WORD = frozenset({
    "interface", "username", "hostname", "banner", "policy-map", "class-map", "route-map",
    "archive", "control-plane", "snmp-server", "logging", "ntp", "aaa", "service", "login",
    "radius", "radius-server", "tacacs", "tacacs-server", "line", "cdp", "lldp", "enable",
    "clock",
})
# the security baseline: pydriver owns these kinds even where it writes none of their lines
BASELINE = frozenset({
    "username", "aaa", "radius", "radius-server", "tacacs", "tacacs-server", "snmp-server",
    "logging", "ntp", "service", "login", "line", "cdp", "lldp", "banner", "hostname",
    "ip http", "ip ssh", "interface",
})


def kind(line: str) -> str:
    """The kind of a top-level line: ``router ospf``, ``interface``, ``access-list 99``."""
    words = line.strip().removeprefix("no ").split()
    if not words:
        return ""
    if words[0] in _ONE_WORD:
        return words[0]
    key = " ".join(words[:2])
    if key == "ip route" and "Null0" in words[2:]:
        return "ip route Null0"
    return key


def blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """Top-level lines with the lines that belong to them (children; a banner's text)."""
    from pydriver.platforms.cisco_ios.driver import banner_delimiter

    lines = text.split("\n")
    i = 0
    while i < len(lines):
        head = lines[i]
        block = [head]
        i += 1
        if head.startswith("banner "):
            delim, closed = banner_delimiter(head)
            while not closed and i < len(lines):
                block.append(lines[i])
                closed = delim in lines[i]
                i += 1
        else:
            while i < len(lines) and lines[i].startswith(" "):
                block.append(lines[i])
                i += 1
        yield head, block


def owned_kinds(intended: str) -> frozenset[str]:
    return frozenset(kind(head) for head, _ in blocks(intended)
                     if head and not head.startswith(("!", " "))) | BASELINE


def owned_only(running: str, intended: str) -> str:
    """``running`` without the top-level blocks of kinds pydriver does not own."""
    owned = owned_kinds(intended)
    out: list[str] = []
    for head, block in blocks(running):
        if not head.strip() or head.startswith("!") or kind(head) in owned:
            out.extend(block)
    return "\n".join(out)


def foreign(running: str, intended: str) -> list[str]:
    """The top-level lines of ``running`` that are the router's own (for reports, tests)."""
    owned = owned_kinds(intended)
    return [head for head, _ in blocks(running)
            if head.strip() and not head.startswith("!") and kind(head) not in owned]
