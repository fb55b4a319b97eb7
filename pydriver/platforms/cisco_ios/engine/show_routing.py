"""Routing views clients parse: one route in detail, VRFs, routing protocols, BGP per
address family and per neighbour, the ARP table.

NAPALM's ``get_route_to``, ``get_bgp_neighbors`` and ``get_arp_table`` and the ntc-templates
parsers read these with regular expressions written against real IOS-XE, so the layout is
IOS-XE's. The content comes from the configuration and, when there is one, the fabric: with
no fabric a BGP session is Idle and only connected and resolvable static routes exist.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import TYPE_CHECKING

from pydriver.platforms.cisco_ios.engine.facts import (
    bgp_neighbors,
    iface_address,
    iface_vrf,
)
from pydriver.platforms.cisco_ios.engine.show import line_state, mac_address, own_routes
from pydriver.platforms.cisco_ios.engine.tree import Node
from pydriver.platforms.emulation import Route

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

NOT_IN_TABLE = "% Network not in table\n"
_SHORT = {
    "GigabitEthernet": "Gi",
    "TenGigabitEthernet": "Te",
    "FastEthernet": "Fa",
    "Ethernet": "Et",
    "Loopback": "Lo",
    "Tunnel": "Tu",
    "Port-channel": "Po",
    "Vlan": "Vl",
    "Serial": "Se",
}


def short_name(name: str) -> str:
    """``GigabitEthernet1`` -> ``Gi1``, as IOS abbreviates interfaces in tables."""
    for long, short in _SHORT.items():
        if name.startswith(long) and name[len(long) : len(long) + 1].isdigit():
            return short + name[len(long) :]
    return name


def _net(text: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(text, strict=False)


def _table(engine: IOSEngine, vrf: str) -> list[Route]:
    """The routes of one table, with a /32 local route for each own address (IOS's ``L``)."""
    if vrf or engine.fabric is None:
        routes = own_routes(engine, vrf)
    else:
        routes = list(engine.fabric.routes(engine.name))
    local: list[Route] = []
    for route in routes:
        if route.protocol != "connected" or route.interface is None:
            continue
        addr = iface_address(engine.running, route.interface)
        if addr and _net(f"{addr[0]}/32") != _net(route.prefix):
            local.append(Route(f"{addr[0]}/32", "local", interface=route.interface))
    return [*routes, *local]


def _bgp_router(engine: IOSEngine) -> Node | None:
    found = engine.running.top("router bgp ")
    return found[0] if found else None


def route_detail(engine: IOSEngine, address: str, mask: str | None, vrf: str = "") -> str:
    """``show ip route [vrf V] <address> [<mask>]``: the entry that carries the address (or
    exactly that subnet), with how it was learnt and where it goes."""
    routes = _table(engine, vrf)
    if mask is not None:
        wanted = _net(f"{address}/{mask}")
        matches = [r for r in routes if _net(r.prefix) == wanted]
        if not matches:
            return "% Subnet not in table\n"
    else:
        host = ipaddress.IPv4Address(address)
        covering = [r for r in routes if host in _net(r.prefix)]
        if not covering:
            return NOT_IN_TABLE
        longest = max(_net(r.prefix).prefixlen for r in covering)
        matches = [r for r in covering if _net(r.prefix).prefixlen == longest]
    route = matches[0]
    lines = [f"Routing entry for {_net(route.prefix)}"]
    if route.protocol in ("connected", "local"):
        lines.append('  Known via "connected", distance 0, metric 0 (connected, via interface)')
        blocks = [f"  * directly connected, via {route.interface}"]
    elif route.protocol == "static":
        extra = "" if route.gateway else " (connected)"
        lines.append(f'  Known via "static", distance 1, metric 0{extra}')
        blocks = [
            f"  * {route.gateway}"
            if route.gateway
            else f"  * directly connected, via {route.interface}"
        ]
    else:
        router = _bgp_router(engine)
        local_as = router.text.split()[2] if router else "0"
        remote = dict(bgp_neighbors(router)) if router else {}
        peer_as = remote.get(route.gateway or "", 0)
        external = str(peer_as) != local_as
        lines += [
            f'  Known via "bgp {local_as}", distance {20 if external else 200}, metric 0',
            f"  Tag {peer_as}, type {'external' if external else 'internal'}",
            f"  Last update from {route.gateway} 00:00:00 ago",
        ]
        blocks = [f"  * {route.gateway}, from {route.gateway}, 00:00:00 ago"]
    lines.append("  Routing Descriptor Blocks:")
    for block in blocks:
        lines += [block, "      Route metric is 0, traffic share count is 1"]
        if route.protocol == "bgp":
            lines += ["      AS Hops 1", "      MPLS label: none"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- VRFs and protocols


def vrfs(engine: IOSEngine) -> list[tuple[str, str, list[str]]]:
    """(name, RD, address families) of every VRF, both syntaxes."""
    out: list[tuple[str, str, list[str]]] = []
    for node in engine.running.root.children:
        words = node.text.split()
        if words[:2] == ["vrf", "definition"] or words[:2] == ["ip", "vrf"]:
            rd = next((c.text.split()[1] for c in node.children if c.text.startswith("rd ")), "")
            families = [
                c.text.split()[1]
                for c in node.children
                if c.text.startswith("address-family ") and len(c.text.split()) > 1
            ]
            out.append((words[2], rd, families if words[0] == "vrf" else ["ipv4"]))
    return out


def _vrf_interfaces(engine: IOSEngine, vrf: str) -> str:
    names = [n.text.split()[1] for n in engine.running.interfaces() if iface_vrf(n) == vrf]
    return ",".join(short_name(n) for n in names)


def show_vrf(engine: IOSEngine) -> str:
    lines = ["  Name                             Default RD            Protocols   Interfaces"]
    for name, rd, families in vrfs(engine):
        protocols = ",".join(families) or "<none>"
        lines.append(
            f"  {name:<32} {rd or '<not set>':<21} {protocols:<11} {_vrf_interfaces(engine, name)}"
        )
    return "\n".join(lines) + "\n"


def show_ip_vrf(engine: IOSEngine) -> str:
    lines = ["  Name                             Default RD          Interfaces"]
    for name, rd, families in vrfs(engine):
        if "ipv4" in families:
            lines.append(f"  {name:<32} {rd or '<not set>':<19} {_vrf_interfaces(engine, name)}")
    return "\n".join(lines) + "\n"


def show_ip_protocols(engine: IOSEngine) -> str:
    lines = ["*** IP Routing is NSF aware ***", ""]
    for node in engine.running.root.children:
        words = node.text.split()
        if words[0] == "router" and len(words) > 2 and words[1] in ("bgp", "ospf", "eigrp"):
            lines += [
                f'Routing Protocol is "{words[1]} {words[2]}"',
                "  Outgoing update filter list for all interfaces is not set",
                "  Incoming update filter list for all interfaces is not set",
                "",
            ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- BGP


def _state(engine: IOSEngine, address: str) -> tuple[bool, int]:
    fabric = engine.fabric
    up = fabric.bgp_established(engine.name, address) if fabric else False
    received = len(fabric.bgp_received(engine.name, address)) if fabric and up else 0
    return up, received


def _router_id(engine: IOSEngine) -> str:
    facts = engine.facts()
    if facts.bgp_router_id:
        return facts.bgp_router_id
    addrs = [a.split("/")[0] for _, a in facts.addresses]
    return max(addrs, key=lambda a: int(ipaddress.IPv4Address(a))) if addrs else "0.0.0.0"


def _sorted_neighbors(engine: IOSEngine) -> list[tuple[str, int]]:
    router = _bgp_router(engine)
    found = bgp_neighbors(router) if router else []
    return sorted(found, key=lambda n: int(ipaddress.IPv4Address(n[0])))


def bgp_all_summary(engine: IOSEngine) -> str:
    """``show bgp all summary``: the IPv4 unicast table, headed by its address family."""
    router = _bgp_router(engine)
    if router is None:
        return "% BGP not active\n\n"
    lines = [
        "For address family: IPv4 Unicast",
        f"BGP router identifier {_router_id(engine)}, local AS number {router.text.split()[2]}",
        "BGP table version is 1, main routing table version 1",
        "",
        "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    ]
    for address, remote_as in _sorted_neighbors(engine):
        up, received = _state(engine, address)
        state = str(received) if up else _idle(router, address)
        msgs = 5 if up else 0
        lines.append(
            f"{address:<15} 4 {remote_as:>12} {msgs:>7} {msgs:>7} {1:>8} "
            f"{0:>4} {0:>4} {'00:00:00' if up else 'never':<8} {state}"
        )
    return "\n".join(lines) + "\n"


def _idle(router: Node, address: str) -> str:
    shut = router.find(("neighbor", address, "shutdown")) is not None
    return "Idle (Admin)" if shut else "Idle"


def _child_value(router: Node, address: str, attr: str) -> str | None:
    for child in router.children:
        words = child.text.split(None, 3)
        if words[:3] == ["neighbor", address, attr]:
            return words[3] if len(words) > 3 else ""
    return None


def _peer_id(engine: IOSEngine, address: str) -> str:
    """The peer's BGP identifier, when the fabric can tell which router it is."""
    ask = getattr(engine.fabric, "bgp_peer_router_id", None)
    found = ask(engine.name, address) if callable(ask) else None
    return str(found) if found else address


def bgp_neighbors_detail(engine: IOSEngine, only: str | None = None) -> str:
    """``show bgp ipv4 unicast neighbors [<address>]`` (and ``show ip bgp neighbors``)."""
    router = _bgp_router(engine)
    if router is None:
        return "% BGP not active\n\n"
    local_as = int(router.text.split()[2])
    facts = engine.facts()
    sent = len(facts.bgp_networks)
    out: list[str] = []
    for address, remote_as in _sorted_neighbors(engine):
        if only is not None and address != only:
            continue
        up, received = _state(engine, address)
        link = "internal" if remote_as == local_as else "external"
        out.append(f"BGP neighbor is {address},  remote AS {remote_as}, {link} link")
        description = _child_value(router, address, "description")
        if description:
            out.append(f"  Description: {description}")
        out += [
            f"  BGP version 4, remote router ID {_peer_id(engine, address) if up else '0.0.0.0'}",
            "  BGP state = Established, up for 00:00:00" if up else "  BGP state = Idle",
            "  Last read 00:00:00, last write 00:00:00, hold time is 180, keepalive interval is "
            "60 seconds",
            "",
            " For address family: IPv4 Unicast",
            f"  Session: {address}",
            "  BGP table version 1, neighbor version 1/0",
            "  Output queue size : 0",
            "  Index 1, Advertise bit 0",
            "                                 Sent       Rcvd",
            "  Prefix activity:               ----       ----",
            f"    Prefixes Current:          {sent if up else 0:>6} {received:>10}",
            f"    Prefixes Total:            {sent if up else 0:>6} {received:>10}",
            "    Implicit Withdraw:              0          0",
            "    Explicit Withdraw:              0          0",
            f"    Used as bestpath:             n/a {received:>10}",
            "    Used as multipath:            n/a          0",
            "",
            "                                   Outbound    Inbound",
            "  Local Policy Denied Prefixes:    --------    -------",
            "    Total:                                0          0",
            "",
            f"  Connections established {1 if up else 0}; dropped 0",
            "  Last reset never",
            "",
        ]
    if only is not None and not out:
        return "% No such neighbor or address family\n"
    return "\n".join(out) + "\n" if out else ""


def bgp_prefix(engine: IOSEngine, target: str) -> str:
    """``show ip bgp <prefix>``: the best path to a learnt prefix, as NAPALM reads it. The
    twin knows who sent a route, not the whole AS path: the path shown is the sender's AS."""
    router = _bgp_router(engine)
    if router is None:
        return "% BGP not active\n\n"
    wanted = _net(target) if "/" in target else None
    routes = [r for r in _table(engine, "") if r.protocol == "bgp"]
    if wanted is None:
        host = ipaddress.IPv4Address(target)
        routes = [r for r in routes if host in _net(r.prefix)]
        routes.sort(key=lambda r: _net(r.prefix).prefixlen, reverse=True)
    else:
        routes = [r for r in routes if _net(r.prefix) == wanted]
    if not routes:
        return "% Network not in table\n"
    route = routes[0]
    remote = dict(bgp_neighbors(router))
    peer_as = remote.get(route.gateway or "", 0)
    local_as = int(router.text.split()[2])
    kind = "internal" if peer_as == local_as else "external"
    return (
        f"BGP routing table entry for {_net(route.prefix)}, version 2\n"
        "Paths: (1 available, best #1, table default)\n"
        "  Not advertised to any peer\n"
        "  Refresh Epoch 1\n"
        f"  {peer_as if kind == 'external' else 'Local'}\n"
        f"    {route.gateway} from {route.gateway} ({_peer_id(engine, route.gateway or '')})\n"
        f"      Origin IGP, metric 0, localpref 100, valid, {kind}, best\n"
        "      rx pathid: 0, tx pathid: 0x0\n"
    )


# ---------------------------------------------------------------- ARP


def _neighbor_mac(engine: IOSEngine, address: str) -> str:
    digest = hashlib.sha256(f"{engine.name}-{address}".encode()).digest()
    text = (b"\x52\x54" + digest[:4]).hex()
    return f"{text[0:4]}.{text[4:8]}.{text[8:12]}"


def show_arp(engine: IOSEngine, vrf: str = "") -> str:
    """``show [ip] arp``: the router's own addresses (age ``-``) and the next hops the fabric
    answers for on its connected subnets (BGP neighbours, static gateways)."""
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    entries: list[tuple[int, str]] = []
    subnets: list[tuple[ipaddress.IPv4Network, str]] = []
    for node in engine.running.interfaces():
        name = node.text.split()[1]
        addr = iface_address(engine.running, name)
        if addr is None or iface_vrf(node) != vrf or line_state(engine, node)[1] != "up":
            continue
        if name.startswith(("Loopback", "Tunnel", "Null")):
            continue
        subnets.append((ipaddress.IPv4Interface(f"{addr[0]}/{addr[1]}").network, name))
        row = f"Internet  {addr[0]:<16} {'-':>5}   {mac_address(engine, name)}  ARPA   {name}"
        entries.append((int(ipaddress.IPv4Address(addr[0])), row))
    fabric = engine.fabric
    if fabric is not None and not vrf:
        own = {a.split("/")[0] for _, a in engine.facts().addresses}
        hops = {n.remote_address for n in engine.facts().bgp_neighbors}
        hops |= {gw for _, gw in engine.facts().static_routes if gw[:1].isdigit()}
        for hop in sorted(hops - own):
            where = next((n for net, n in subnets if ipaddress.IPv4Address(hop) in net), None)
            if where and fabric.ping(engine.name, hop):
                row = f"Internet  {hop:<16} {'0':>5}   {_neighbor_mac(engine, hop)}  ARPA   {where}"
                entries.append((int(ipaddress.IPv4Address(hop)), row))
    lines += [row for _, row in sorted(entries)]
    return "\n".join(lines) + "\n"
