"""``show running-config`` text: the config tree in the section order IOS-XE prints.

Ordering rules (documented because real IOS has its own and tools diff against it):
top-level sections follow :data:`SECTIONS`; inside a section lines keep the order they were
entered, except where IOS sorts: interfaces (Loopback, then Tunnel, then Port-channel/Vlan,
then physical ports by slot/subslot/port with sub-interfaces after their parent, the
GigabitEthernet0 management port last), ``ip route`` by destination, prefix-list and ACL
entries by sequence number, route-map entries by sequence, BGP neighbours by address and
BGP ``network`` statements by prefix. Within an interface, lines follow IOS's fixed order
(description, encapsulation, ip address, ..., shutdown, negotiation, tunnel, service-policy)
whatever order they were typed in.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from pydriver.platforms.cisco_ios.engine.commands import MODES
from pydriver.platforms.cisco_ios.engine.tree import Config, Node

GROUPS: tuple[tuple[str, ...], ...] = (
    ("version", "service", "platform", "file prompt"),
    ("hostname",),
    ("boot-start-marker", "boot system", "boot-end-marker"),
    ("vrf definition",),
    ("logging buffered", "logging console", "enable"),
    ("aaa new-model",),
    ("aaa group",),
    ("aaa authentication", "aaa authorization", "aaa accounting"),
    ("aaa session-id", "clock"),
    ("ip name-server", "ip domain"),
    ("login",),
    ("username",),
    ("redundancy",),
    (
        "crypto ikev2 proposal",
        "crypto ikev2 policy",
        "crypto ikev2 keyring",
        "crypto ikev2 profile",
    ),
    ("cdp run", "lldp run"),
    ("class-map", "policy-map"),
    ("crypto ipsec transform-set", "crypto ipsec profile"),
    ("interface",),
    ("router bgp",),
    ("ip forward-protocol", "ip http", "ip nat", "ip route", "ip ssh", "ip scp"),
    ("ip access-list",),
    ("ip prefix-list", "logging source-interface", "logging trap", "logging host"),
    ("route-map",),
    ("snmp-server",),
    ("radius server",),
    ("control-plane",),
    ("banner",),
    ("line",),
    ("ntp",),
    ("archive",),
)
SECTIONS: tuple[str, ...] = tuple(s for group in GROUPS for s in group)
_GROUP_OF = {s: i for i, group in enumerate(GROUPS) for s in group}

_IFACE_RANK = {"Loopback": 0, "Tunnel": 1, "Port-channel": 2, "Vlan": 3}
_LINE_ORDER = (
    "session-timeout",
    "access-class",
    "exec-timeout",
    "privilege",
    "password",
    "logging synchronous",
    "login",
    "length",
    "width",
    "stopbits",
    "transport preferred",
    "transport input",
    "transport output",
)
_NEIGHBOR_ORDER = (
    "remote-as",
    "description",
    "shutdown",
    "ebgp-multihop",
    "password",
    "update-source",
    "timers",
    "activate",
    "send-community",
    "next-hop-self",
    "default-originate",
    "soft-reconfiguration",
    "allowas-in",
    "as-override",
    "prefix-list",
    "route-map",
    "maximum-prefix",
)


def _bare(text: str) -> str:
    return text[3:] if text.startswith("no ") else text


def section_rank(text: str) -> int:
    bare = _bare(text)
    best, best_len = len(SECTIONS), -1
    for i, prefix in enumerate(SECTIONS):
        if (bare == prefix or bare.startswith((prefix + " ", prefix + "-"))) and len(
            prefix
        ) > best_len:
            best, best_len = i, len(prefix)
    return best


def iface_sort_key(name: str) -> tuple[int, tuple[int, ...], int]:
    m = re.match(r"^([A-Za-z-]+)([\d/]+)(?:\.(\d+))?$", name)
    if not m:
        return (9, (), 0)
    kind, nums, sub = m.group(1), m.group(2), m.group(3)
    numbers = tuple(int(x) for x in nums.split("/"))
    if kind in _IFACE_RANK:
        return (_IFACE_RANK[kind], numbers, int(sub or -1))
    if len(numbers) == 1:  # the management port (GigabitEthernet0) comes after the slots
        return (6, numbers, int(sub or -1))
    return (5, numbers, int(sub or -1))


def _addr_key(text: str) -> int:
    try:
        return int(ipaddress.IPv4Address(text))
    except ValueError:
        return 0


def _top_sort_key(node: Node, first_seen: dict[str, int], index: int) -> tuple[object, ...]:
    rank = section_rank(node.text)
    words = node.text.split()
    section = SECTIONS[rank] if rank < len(SECTIONS) else ""
    if section == "interface":
        return (rank, iface_sort_key(words[1]))
    if section == "ip route":
        return (rank, _addr_key(words[2]), _addr_key(words[3]), index)
    if section == "ip prefix-list":
        seq = int(words[4]) if len(words) > 4 and words[3] == "seq" else 0
        return (rank, first_seen.get(words[2], 0), seq)
    if section == "route-map":
        return (rank, first_seen.get(words[1], 0), int(words[3]) if len(words) > 3 else 0)
    if section == "line":
        kind_rank = {"con": 0, "aux": 1, "vty": 2}.get(words[1], 3)
        return (rank, kind_rank, int(words[2]) if len(words) > 2 else 0)
    if section == "banner":
        return (rank, node.text, index)
    return (rank, index)


def _order_by_prefix(children: list[Node], order: tuple[str, ...]) -> list[Node]:
    if not order:
        return list(children)

    def rank(node: Node) -> int:
        best, best_len = len(order), -1
        for i, prefix in enumerate(order):
            if (node.text == prefix or node.text.startswith(prefix + " ")) and len(
                prefix
            ) > best_len:
                best, best_len = i, len(prefix)
        return best

    return sorted(children, key=rank)


def _bgp_child_key(node: Node, index: int) -> tuple[object, ...]:
    words = node.text.split()
    if words[0] == "neighbor":
        attr = words[2] if len(words) > 2 else ""
        pos = _NEIGHBOR_ORDER.index(attr) if attr in _NEIGHBOR_ORDER else len(_NEIGHBOR_ORDER)
        direction = 1 if words[-1] == "out" else 0
        return (3, _addr_key(words[1]), pos, direction)
    if words[0] == "network":
        return (2, _addr_key(words[1]), index)
    if words[0] in ("redistribute", "aggregate-address", "maximum-paths"):
        return (2, 1 << 33, index)
    if words[0] == "address-family":
        return (5, index)
    bgp_rank = {"bgp router-id": 0, "bgp log-neighbor-changes": 1, "bgp graceful-restart": 2}
    for prefix, r in bgp_rank.items():
        if node.text.startswith(prefix):
            return (0, r, index)
    return (1, index)


def _acl_key(node: Node) -> tuple[int, int]:
    if node.key and node.key[0] == "remark":
        return (int(node.key[1]), 0)
    return (int(node.key[0]), 1)


def ordered_children(node: Node) -> list[Node]:
    """``node``'s children in the order IOS prints them."""
    mode = node.mode or ""
    kids = node.children
    if mode in ("config-if", "config-subif"):
        return _order_by_prefix(kids, MODES[mode].order)
    if mode in ("config-router", "config-router-af"):
        return [n for _, n in sorted(enumerate(kids), key=lambda p: _bgp_child_key(p[1], p[0]))]
    if mode in ("config-std-nacl", "config-ext-nacl"):
        return sorted(kids, key=_acl_key)
    if mode == "config-line":
        return _order_by_prefix(kids, _LINE_ORDER)
    if mode == "config-pmap":
        return sorted(kids, key=lambda n: n.text == "class class-default")
    if mode in MODES and MODES[mode].order:
        return _order_by_prefix(kids, MODES[mode].order)
    return list(kids)


EncodeLine = Callable[[Node], str]


def render_node(node: Node, depth: int, out: list[str]) -> None:
    pad = " " * depth
    if node.body is not None:
        out.extend(f"{node.text} ^C{node.body}^C".split("\n"))
        return
    out.append(pad + node.text)
    kids = ordered_children(node)
    if node.mode in ("config-if", "config-subif") and not any(
        k.text.startswith("ip address ") for k in kids
    ):
        kids = _order_by_prefix(
            [*kids, Node("no ip address", ("no-ip-address",))], MODES["config-if"].order
        )
    for child in kids:
        if node.mode == "config-router" and child.mode == "config-router-af":
            out.append(pad + " !")
        render_node(child, depth + 1, out)
    if node.mode == "config-router-af":
        out.append(pad + "exit-address-family")


def render_lines(config: Config) -> list[str]:
    """The configuration body, ``version`` to ``end`` (no ``Building configuration`` header)."""
    first_seen: dict[str, int] = {}
    for i, node in enumerate(config.root.children):
        words = node.text.split()
        if node.text.startswith("ip prefix-list ") and len(words) > 2:
            first_seen.setdefault(words[2], i)
        if node.text.startswith("route-map ") and len(words) > 1:
            first_seen.setdefault(words[1], i)
    ordered = [
        n
        for _, n in sorted(
            enumerate(config.root.children), key=lambda p: _top_sort_key(p[1], first_seen, p[0])
        )
    ]
    out: list[str] = ["!"]
    prev_group: int | None = None
    prev_block = False
    for node in ordered:
        rank = section_rank(node.text)
        group = _GROUP_OF.get(SECTIONS[rank], len(GROUPS)) if rank < len(SECTIONS) else len(GROUPS)
        block = node.mode is not None and SECTIONS[rank] != "line"
        if (
            prev_group is not None
            and (group != prev_group or block or prev_block)
            and out[-1] != "!"
        ):
            out.append("!")
        render_node(node, 0, out)
        prev_group, prev_block = group, block
    if out[-1] != "!":
        out.append("!")
    out.append("end")
    return out


def render(config: Config) -> str:
    return "\n".join(render_lines(config)) + "\n"
