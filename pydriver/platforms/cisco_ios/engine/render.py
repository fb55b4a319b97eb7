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
    ("boot-start-marker", "boot", "boot system", "boot-end-marker"),
    ("security", "vrf definition"),
    ("logging", "logging buffered", "logging console", "enable"),
    ("aaa new-model",),
    ("aaa group",),
    ("aaa authentication", "aaa authorization", "aaa accounting", "aaa"),
    ("aaa session-id", "clock"),
    ("call-home",),
    ("ip vrf",),
    (
        "ip dhcp",
        "ip host",
        "ip name-server",
        "ip domain",
        "ip cef",
        "ip multicast-routing",
        "ip igmp",
        "ip tcp",
        "ip arp",
        "ip source-route",
        "ip bootp",
        "ip finger",
        "ip options",
        "ip icmp",
        "ip routing",
        "ip subnet-zero",
        "ip classless",
    ),
    ("login",),
    ("ipv6 unicast-routing", "ipv6 cef", "ipv6 multicast-routing", "ipv6 dhcp pool"),
    ("subscriber", "vtp", "multilink"),
    ("key chain",),
    ("crypto pki",),
    ("license",),
    ("diagnostic",),
    ("memory",),
    ("spanning-tree",),
    ("dot1x", "device-tracking"),
    ("username",),
    ("redundancy",),
    ("cdp run", "lldp run", "cdp", "lldp"),
    ("vlan",),
    ("track",),
    ("bfd-template", "bfd"),
    ("class-map", "policy-map"),
    ("object-group", "parameter-map", "zone security", "zone-pair"),
    (
        "crypto ikev2 proposal",
        "crypto ikev2 policy",
        "crypto ikev2 keyring",
        "crypto ikev2 profile",
        "crypto ikev2",
    ),
    ("crypto keyring", "crypto isakmp policy", "crypto isakmp key", "crypto isakmp"),
    (
        "crypto ipsec security-association",
        "crypto ipsec transform-set",
        "crypto ipsec df-bit",
        "crypto ipsec",
        "crypto ipsec profile",
        "crypto dynamic-map",
        "crypto map",
        "crypto",
    ),
    ("interface",),
    ("router eigrp", "router ospf", "router ospfv3", "router rip", "router isis", "router"),
    ("router bgp",),
    ("virtual-service",),
    (
        "ip forward-protocol",
        "ip http server",
        "ip http authentication",
        "ip http secure-server",
        "ip http",
        "ip dns",
        "ip nat",
        "ip route",
        "ip ssh",
        "ip scp",
        "ip tftp",
        "ip ftp",
        "ip tacacs",
        "ip radius",
    ),
    ("ip bgp-community", "ip as-path", "ip community-list", "ip extcommunity-list"),
    ("ip access-list",),
    (
        "ip prefix-list",
        "ip sla",
        "logging source-interface",
        "logging trap",
        "logging origin-id",
        "logging facility",
        "logging host",
        "logging btrace",
    ),
    ("access-list",),
    ("ipv6 route", "ipv6 prefix-list", "ipv6 access-list", "ipv6 router", "ipv6"),
    ("route-map",),
    ("snmp-server", "snmp"),
    ("tacacs server", "tacacs-server", "radius server", "radius-server", "radius"),
    ("control-plane",),
    ("banner",),
    ("alias",),
    ("line",),
    ("ntp",),
    ("event manager",),
    ("archive",),
    ("netconf", "netconf-yang", "restconf", "gnxi", "telemetry"),
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
    "peer-group",
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
        if words[2] == "vrf" and len(words) > 5:
            return (rank, 1, words[3], _addr_key(words[4]), _addr_key(words[5]), index)
        return (rank, 0, "", _addr_key(words[2]), _addr_key(words[3]), index)
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

    def rank_of(text: str) -> int:
        best, best_len = len(order), -1
        for i, prefix in enumerate(order):
            if (text == prefix or text.startswith(prefix + " ")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
        return best

    def rank(node: Node) -> int:
        """The line's place; a ``no`` form not listed itself goes where its command goes."""
        found = rank_of(node.text)
        if found == len(order) and node.text.startswith("no "):
            return rank_of(node.text[3:])
        return found

    return sorted(children, key=rank)


def _bgp_child_key(node: Node, index: int, first_seen: dict[str, int]) -> tuple[object, ...]:
    words = node.text.split()
    if words[0] == "neighbor":
        attr = words[2] if len(words) > 2 else ""
        pos = _NEIGHBOR_ORDER.index(attr) if attr in _NEIGHBOR_ORDER else len(_NEIGHBOR_ORDER)
        if attr == "peer-group" and len(words) == 3:
            pos = -1  # a peer-group is declared before its settings
        direction = 1 if words[-1] == "out" else 0
        address = _addr_key(words[1])
        # peer-groups (names) come before neighbours (addresses), in the order they appeared
        who = (1, address) if address or words[1] == "0.0.0.0" else (0, first_seen[words[1]])
        return (3, who, pos, direction)
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
    if mode in ("config-router", "config-router-af", "config-router-stmp"):
        first_seen: dict[str, int] = {}
        for i, kid in enumerate(kids):
            words = kid.text.split()
            if words[0] == "neighbor" and len(words) > 1:
                first_seen.setdefault(words[1], i)
        return [
            n
            for _, n in sorted(
                enumerate(kids), key=lambda p: _bgp_child_key(p[1], p[0], first_seen)
            )
        ]
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
    if node.mode == "cert-hex":
        out.append(pad + node.text)
        inner = " " * (depth + 1)
        out.extend(inner + line for line in (node.body or "").split("\n") if line)
        out.append(inner + "\tquit")
        return
    if node.body is not None:
        out.extend(f"{node.text} ^C{node.body}^C".split("\n"))
        return
    out.append(pad + node.text)
    kids = ordered_children(node)
    if node.mode in ("config-if", "config-subif") and not any(
        k.text.startswith(("ip address ", "ip unnumbered ")) or k.text.split()[:1] == ["switchport"]
        for k in kids
    ):
        kids = _order_by_prefix(
            [*kids, Node("no ip address", ("no-ip-address",))], MODES["config-if"].order
        )
    for child in kids:
        if child.mode in MODES and MODES[child.mode].closer:
            out.append(pad + " !")  # IOS opens each address-family block with a bang
        render_node(child, depth + 1, out)
    closer = MODES[node.mode].closer if node.mode in MODES else None
    if closer:
        out.append(pad + closer)


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
