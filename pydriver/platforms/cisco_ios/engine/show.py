"""Operational ``show`` output in IOS-XE's layout, from the config and the fabric's view.

Without a fabric nothing beyond the box itself is up: tunnels are line-protocol down, BGP
sessions Idle, IKE SAs absent, and only connected (and resolvable static) routes exist.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from typing import TYPE_CHECKING

from pydriver.platforms.cisco_ios.engine.facts import (
    iface_address,
    iface_vrf,
    is_shutdown,
    prefix_len,
)
from pydriver.platforms.cisco_ios.engine.render import iface_sort_key, render_node
from pydriver.platforms.cisco_ios.engine.tree import Node
from pydriver.platforms.emulation import Route

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

VERSION = "17.09.04a"


def _image(pid: str) -> str:
    if pid.startswith("ISR43"):
        return f"isr4300-universalk9.{VERSION}.SPA.bin"
    if pid.startswith("ISR44"):
        return f"isr4400-universalk9.{VERSION}.SPA.bin"
    if pid.startswith(("CSR", "C8000V")):  # the virtual routers a backup may come from
        return f"c8000v-universalk9.{VERSION}.SPA.bin"
    return f"c8000be-universalk9.{VERSION}.SPA.bin"


def image_name(engine: IOSEngine) -> str:
    return _image(engine.hardware.pid)


def uptime(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return ", ".join(parts)


def show_version(engine: IOSEngine) -> str:
    hw = engine.hardware
    gig = sum(1 for p in hw.ports if p.startswith("GigabitEthernet"))
    ten = sum(1 for p in hw.ports if p.startswith("TenGigabitEthernet"))
    up = uptime(engine.clock() - engine.booted_at)
    family = (
        "ISR"
        if hw.pid.startswith("ISR")
        else "Virtual XE"
        if hw.pid.startswith(("CSR", "C8000V"))
        else "c8000be"
    )
    lines = [
        f"Cisco IOS XE Software, Version {VERSION}",
        f"Cisco IOS Software [Cupertino], {family} Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
        "Version 17.9.4a, RELEASE SOFTWARE (fc3)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        "Compiled Fri 20-Oct-23 10:44 by mcpre",
        "",
        "",
        "Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.",
        "All rights reserved.  Certain components of Cisco IOS-XE software are",
        'licensed under the GNU General Public License ("GPL") Version 2.0.  The',
        "software code licensed under GPL Version 2.0 is free software that comes",
        "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such",
        "GPL code under the terms of GPL Version 2.0.  For more details, see the",
        'documentation or "License Notice" file accompanying the IOS-XE software,',
        "or the applicable URL provided on the flyer accompanying the IOS-XE",
        "software.",
        "",
        "",
        "ROM: 16.12(2r)",
        "",
        f"{engine.hostname} uptime is {up}",
        f"Uptime for this control processor is {up}",
        "System returned to ROM by Reload Command",
        f'System image file is "bootflash:{image_name(engine)}"',
        "Last reload reason: Reload Command",
        "",
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. Delivery of Cisco cryptographic products does not imply",
        "third-party authority to import, export, distribute or use encryption.",
        "",
        "",
        "Technology Package License Information:",
        "",
        "-----------------------------------------------------------------",
        "Technology    Type             Technology-package   Technology-package",
        "                               Current              Next Reboot",
        "-----------------------------------------------------------------",
        "appxk9        Smart License    appxk9               appxk9",
        "securityk9    Smart License    securityk9           securityk9",
        "",
        "The current crypto throughput level is 1000000 kbps",
        "",
        "",
        "Smart Licensing Status: Registration Not Applicable/Not Applicable",
        "",
        f"cisco {hw.pid} ({hw.processor}) processor with "
        f"{hw.memory_kb // 4}K/6147K bytes of memory.",
        f"Processor board ID {hw.serial}",
        "Router operating mode: Autonomous",
        f"{gig} Gigabit Ethernet interfaces",
    ]
    if ten:
        lines.append(f"{ten} Ten Gigabit Ethernet interfaces")
    lines += [
        "32768K bytes of non-volatile configuration memory.",
        f"{hw.memory_kb}K bytes of physical memory.",
        "7169733K bytes of flash memory at bootflash:.",
        "",
        "Configuration register is 0x2102",
        "",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- interfaces


def _iface_nodes(engine: IOSEngine) -> list[Node]:
    nodes = engine.running.interfaces()
    return sorted(nodes, key=lambda n: iface_sort_key(n.text.split()[1]))


def line_state(engine: IOSEngine, node: Node) -> tuple[str, str]:
    """(status, protocol) as ``show ip interface brief`` prints them."""
    name = node.text.split()[1]
    if is_shutdown(node):
        return "administratively down", "down"
    if name.startswith("Tunnel"):
        fabric = engine.fabric
        up = fabric.tunnel_up(engine.name, name) if fabric else False
        return "up", "up" if up else "down"
    return "up", "up"


def show_ip_interface_brief(engine: IOSEngine) -> str:
    out = [f"{'Interface':<22} {'IP-Address':<15} OK? Method Status                Protocol"]
    for node in _iface_nodes(engine):
        name = node.text.split()[1]
        addr = iface_address(engine.running, name)
        status, proto = line_state(engine, node)
        ip, method = (addr[0], "manual") if addr else ("unassigned", "unset")
        out.append(f"{name:<22} {ip:<15} YES {method:<6} {status:<21} {proto}")
    return "\n".join(out) + "\n"


def show_ipv6_interface_brief(engine: IOSEngine) -> str:
    """Every interface with its state; none has IPv6 enabled, so none has an address."""
    out = []
    for node in _iface_nodes(engine):
        status, proto = line_state(engine, node)
        out += [f"{node.text.split()[1]:<22} [{status}/{proto}]", "    unassigned"]
    return "\n".join(out) + "\n"


def _child(node: Node, prefix: str) -> str | None:
    for c in node.children:
        if c.text.startswith(prefix + " "):
            return c.text[len(prefix) + 1 :]
    return None


def show_interface(engine: IOSEngine, node: Node) -> str:
    name = node.text.split()[1]
    status, proto = line_state(engine, node)
    addr = iface_address(engine.running, name)
    lines = [f"{name} is {status}, line protocol is {proto} "]
    if name.startswith("Tunnel"):
        lines.append("  Hardware is Tunnel")
    elif name.startswith("Loopback"):
        lines.append("  Hardware is Loopback")
    else:
        mac = mac_address(engine, name)
        lines.append(f"  Hardware is {_port_hardware(engine, name)}, address is {mac} (bia {mac})")
    desc = _child(node, "description")
    if desc:
        lines.append(f"  Description: {desc}")
    if addr:
        lines.append(f"  Internet address is {addr[0]}/{prefix_len(addr[1])}")
    if name.startswith("Tunnel"):
        mtu = _child(node, "ip mtu") or "1476"
        lines += [
            "  MTU 9976 bytes, BW 100 Kbit/sec, DLY 50000 usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation TUNNEL, loopback not set",
            "  Keepalive not set",
            f"  Tunnel linestate evaluation {proto}",
        ]
        source = _child(node, "tunnel source") or "UNKNOWN"
        dest = _child(node, "tunnel destination") or "UNKNOWN"
        if source and source[0].isalpha():
            resolved = iface_address(engine.running, source)
            src = f"{resolved[0] if resolved else '0.0.0.0'} ({source})"
        else:
            src = source
        lines.append(f"  Tunnel source {src}, destination {dest}")
        mode = _child(node, "tunnel mode") or "gre ip"
        transport = "IPSEC/IP" if mode.startswith("ipsec") else "GRE/IP"
        lines.append(f"  Tunnel protocol/transport {transport}")
        lines.append(f"  Tunnel transport MTU {mtu} bytes")
        profile = _child(node, "tunnel protection ipsec profile")
        if profile:
            lines.append(f'  Tunnel protection via IPSec (profile "{profile.split()[0]}")')
    elif name.startswith("Loopback"):
        lines += [
            "  MTU 1514 bytes, BW 8000000 Kbit/sec, DLY 5000 usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation LOOPBACK, loopback not set",
            "  Keepalive set (10 sec)",
        ]
    else:
        mbps = _port_mbps(name)
        speed = _child(node, "speed")
        duplex = (_child(node, "duplex") or "full").capitalize()
        media = "SFP-10GBase-SR" if name.startswith("TenGigabitEthernet") else "RJ45"
        lines += [
            f"  MTU 1500 bytes, BW {mbps * 1000} Kbit/sec, DLY 10 usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation ARPA, loopback not set",
            "  Keepalive not supported ",
            f"  {'Full' if duplex == 'Auto' else duplex} Duplex, {speed or mbps}Mbps, "
            f"link type is {'force-up' if speed else 'auto'}, media type is {media}",
            "  output flow-control is off, input flow-control is off",
            "  ARP type: ARPA, ARP Timeout 04:00:00",
        ]
    lines += [
        "  Last input never, output never, output hang never",
        "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  5 minute input rate 0 bits/sec, 0 packets/sec",
        "  5 minute output rate 0 bits/sec, 0 packets/sec",
        "     0 packets input, 0 bytes, 0 no buffer",
        "     0 packets output, 0 bytes, 0 underruns",
    ]
    return "\n".join(lines) + "\n"


def _port_mbps(name: str) -> int:
    return 10000 if name.startswith("TenGigabitEthernet") else 1000


def _port_hardware(engine: IOSEngine, name: str) -> str:
    """The ``Hardware is`` text: the built-in port module, or the management port."""
    if name == "GigabitEthernet0":
        return "RP management port"
    model = engine.hardware.pid.split("/")[0]
    if name.startswith("TenGigabitEthernet"):
        return f"{model}-2x10G"
    builtin = sum(1 for p in engine.hardware.ports if p.startswith("GigabitEthernet0/0/"))
    return f"{model}-{builtin}x1GE"


def mac_address(engine: IOSEngine, name: str) -> str:
    """The burnt-in MAC of a port: one block per chassis (from its serial), one per port."""
    ports = engine.hardware.ports
    index = ports.index(name) if name in ports else len(ports)
    digest = hashlib.sha256(engine.hardware.serial.encode() + engine.name.encode()).digest()
    base = int.from_bytes(b"\x00\xa3" + digest[:3] + b"\x00", "big")
    text = f"{base + index:012x}"
    return f"{text[0:4]}.{text[4:8]}.{text[8:12]}"


def show_interfaces(engine: IOSEngine, name: str | None) -> str:
    if name is None:
        return "".join(show_interface(engine, n) for n in _iface_nodes(engine))
    node = engine.running.interface(name)
    if node is None:
        return "                ^\n% Invalid input detected at '^' marker.\n\n"
    return show_interface(engine, node)


def _children(node: Node, prefix: str) -> list[str]:
    return [c.text[len(prefix) + 1 :] for c in node.children if c.text.startswith(prefix + " ")]


def show_ip_interface(engine: IOSEngine, node: Node) -> str:
    """One interface's IP view, the layout Ansible's ``ios_facts`` reads addresses from."""
    name = node.text.split()[1]
    status, proto = line_state(engine, node)
    lines = [f"{name} is {status}, line protocol is {proto}"]
    addr = iface_address(engine.running, name)
    if addr is None:
        lines.append("  Internet protocol processing disabled")
        return "\n".join(lines) + "\n"
    lines += [
        f"  Internet address is {addr[0]}/{prefix_len(addr[1])}",
        "  Broadcast address is 255.255.255.255",
        "  Address determined by non-volatile memory",
    ]
    for rest in _children(node, "ip address"):
        parts = rest.split()
        if len(parts) == 3 and parts[2] == "secondary":
            lines.append(f"  Secondary address {parts[0]}/{prefix_len(parts[1])}")
    default_mtu = {"Tunnel": "1476", "Loopback": "1514"}.get(name.rstrip("0123456789/."), "1500")
    acl = dict.fromkeys(("in", "out"), "is not set")
    for rest in _children(node, "ip access-group"):
        acl_name, direction = rest.split()
        acl[direction] = f"is {acl_name}"
    nat = _child(node, "ip nat")
    enabled = {
        key: "disabled" if any(c.text == f"no {key}" for c in node.children) else "enabled"
        for key in ("ip proxy-arp", "ip redirects", "ip unreachables")
    }
    lines += [
        f"  MTU is {_child(node, 'ip mtu') or default_mtu} bytes",
        "  Helper address is not set",
        "  Directed broadcast forwarding is disabled",
        "  Outgoing Common access list is not set ",
        f"  Outgoing access list {acl['out']}",
        "  Inbound Common access list is not set ",
        f"  Inbound  access list {acl['in']}",
        f"  Proxy ARP is {enabled['ip proxy-arp']}",
        "  Local Proxy ARP is disabled",
        "  Security level is default",
        "  Split horizon is enabled",
        "  ICMP redirects are "
        + ("always sent" if enabled["ip redirects"] == "enabled" else "never sent"),
        "  ICMP unreachables are "
        + ("always sent" if enabled["ip unreachables"] == "enabled" else "never sent"),
        "  ICMP mask replies are never sent",
        "  IP fast switching is enabled",
        "  IP Flow switching is disabled",
        "  IP CEF switching is enabled",
        "  IP CEF switching turbo vector",
        "  IP Null turbo vector",
        "  Associated unicast routing topologies:",
        '        Topology "base", operation state is ' + ("UP" if proto == "up" else "DOWN"),
        "  IP multicast fast switching is enabled",
        "  IP multicast distributed fast switching is disabled",
        "  IP route-cache flags are Fast, CEF",
        "  Router Discovery is disabled",
        "  IP output packet accounting is disabled",
        "  IP access violation accounting is disabled",
        "  TCP/IP header compression is disabled",
        "  RTP/IP header compression is disabled",
        "  Probe proxy name replies are disabled",
        "  Policy routing is disabled",
        "  Network address translation is "
        + (f"enabled, interface in domain {nat}" if nat else "disabled"),
        "  BGP Policy Mapping is disabled",
        "  Input features: MCI Check",
    ]
    return "\n".join(lines) + "\n"


def show_ip_interfaces(engine: IOSEngine, name: str | None) -> str:
    """``show ip interface [<if>]``: every interface, or one (unknown: IOS's caret error)."""
    if name is None:
        return "".join(show_ip_interface(engine, n) for n in _iface_nodes(engine))
    node = engine.running.interface(name)
    if node is None:
        return "                   ^\n% Invalid input detected at '^' marker.\n\n"
    return show_ip_interface(engine, node)


# ---------------------------------------------------------------- routing

ROUTE_CODES = """Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2, m - OMP
       n - NAT, Ni - NAT inside, No - NAT outside, Nd - NAT DIA
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       H - NHRP, G - NHRP registered, g - NHRP registration summary
       o - ODR, P - periodic downloaded static route, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR
       & - replicated local route overrides by connected
"""


def own_routes(engine: IOSEngine, vrf: str = "") -> list[Route]:
    """Connected and resolvable static routes of one table: what the box knows by itself."""
    routes: list[Route] = []
    connected: list[tuple[ipaddress.IPv4Network, str]] = []
    for node in engine.running.interfaces():
        name = node.text.split()[1]
        addr = iface_address(engine.running, name)
        _status, proto = line_state(engine, node)
        if addr and proto == "up" and iface_vrf(node) == vrf:
            net = ipaddress.IPv4Interface(f"{addr[0]}/{addr[1]}").network
            connected.append((net, name))
            routes.append(Route(str(net), "connected", interface=name))
    for node in engine.running.top("ip route "):
        words = node.text.split()
        if (words[2] == "vrf") != bool(vrf) or (vrf and words[3] != vrf):
            continue
        words = words[2:] if vrf else words
        prefix = f"{words[2]}/{prefix_len(words[3])}"
        hop = words[4]
        if hop[0].isdigit():
            if any(ipaddress.IPv4Address(hop) in net for net, _ in connected):
                routes.append(Route(prefix, "static", gateway=hop))
        elif hop.startswith("Null") or any(name == hop for _, name in connected):
            routes.append(Route(prefix, "static", interface=hop))
    return routes


def _local_as(engine: IOSEngine) -> int | None:
    bgp = engine.running.top("router bgp ")
    return int(bgp[0].text.split()[2]) if bgp else None


def _classful(net: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    first = int(str(net.network_address).split(".")[0])
    length = 8 if first < 128 else 16 if first < 192 else 24
    return ipaddress.IPv4Network(
        f"{net.network_address}/{min(length, net.prefixlen)}", strict=False
    )


def show_ip_route(engine: IOSEngine) -> str:
    routes = list(engine.fabric.routes(engine.name)) if engine.fabric else own_routes(engine)
    local_as = _local_as(engine)
    neighbors = {n.remote_address: n.remote_as for n in engine.facts().bgp_neighbors}
    entries: list[tuple[ipaddress.IPv4Network, str, str]] = []
    default_gw: str | None = None
    for route in routes:
        net = ipaddress.IPv4Network(route.prefix, strict=False)
        if route.protocol == "connected":
            entries.append((net, "C", f"is directly connected, {route.interface}"))
            for node in engine.running.interfaces():
                name = node.text.split()[1]
                addr = iface_address(engine.running, name)
                if name == route.interface and addr:
                    host = ipaddress.IPv4Network(f"{addr[0]}/32")
                    if host != net:
                        entries.append((host, "L", f"is directly connected, {name}"))
        elif route.protocol == "static":
            via = (
                f"[1/0] via {route.gateway}"
                if route.gateway
                else f"is directly connected, {route.interface}"
            )
            code = "S*" if net.prefixlen == 0 else "S"
            entries.append((net, code, via))
        else:
            ad = 200 if route.gateway and neighbors.get(route.gateway) == local_as else 20
            code = "B*" if net.prefixlen == 0 else "B"
            entries.append((net, code, f"[{ad}/0] via {route.gateway}, 00:00:00"))
        if net.prefixlen == 0 and route.gateway:
            default_gw = route.gateway
    out = [ROUTE_CODES]
    if default_gw:
        out.append(f"Gateway of last resort is {default_gw} to network 0.0.0.0\n")
    else:
        out.append("Gateway of last resort is not set\n")
    groups: dict[ipaddress.IPv4Network, list[tuple[ipaddress.IPv4Network, str, str]]] = {}
    for entry in sorted(entries, key=lambda e: (int(e[0].network_address), e[0].prefixlen)):
        groups.setdefault(_classful(entry[0]), []).append(entry)
    for major, members in groups.items():
        if len(members) == 1 and members[0][0] == major:
            net, code, rest = members[0]
            out.append(f"{code:<6}{net} {rest}")
            continue
        masks = {m[0].prefixlen for m in members}
        if len(masks) > 1:
            out.append(
                f"      {major} is variably subnetted, {len(members)} subnets, {len(masks)} masks"
            )
        else:
            out.append(
                f"      {major.network_address}/{masks.pop()} is subnetted, {len(members)} subnets"
            )
        for net, code, rest in members:
            out.append(f"{code:<9}{net} {rest}")
    return "\n".join(out) + "\n"


def show_bgp_summary(engine: IOSEngine) -> str:
    facts = engine.facts()
    if facts.bgp_as is None:
        return "% BGP not active\n\n"
    fabric = engine.fabric
    router_id = facts.bgp_router_id or _highest_loopback(engine)
    lines = [
        f"BGP router identifier {router_id}, local AS number {facts.bgp_as}",
        "BGP table version is 1, main routing table version 1",
        "",
        "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    ]
    for nb in sorted(
        facts.bgp_neighbors, key=lambda n: int(ipaddress.IPv4Address(n.remote_address))
    ):
        up = fabric.bgp_established(engine.name, nb.remote_address) if fabric else False
        received = len(fabric.bgp_received(engine.name, nb.remote_address)) if fabric and up else 0
        state = str(received) if up else "Idle"
        updown = "00:00:00" if up else "never"
        msgs = 5 if up else 0
        lines.append(
            f"{nb.remote_address:<15} 4 {nb.remote_as:>12} {msgs:>7} {msgs:>7} {1:>8} "
            f"{0:>4} {0:>4} {updown:<8} {state}"
        )
    return "\n".join(lines) + "\n"


def _highest_loopback(engine: IOSEngine) -> str:
    addrs = [a.split("/")[0] for _, a in engine.facts().addresses]
    return max(addrs, key=lambda a: int(ipaddress.IPv4Address(a))) if addrs else "0.0.0.0"


def _enc_label(canon: str) -> str:
    kind = "AES-GCM" if canon.endswith("gcm") else "AES-CBC"
    size = canon.split("-")[1] if canon.startswith("aes-") else "256"
    return f"{kind}, keysize: {size}"


def show_crypto_ikev2_sa(engine: IOSEngine) -> str:
    fabric = engine.fabric
    lines = [" IPv4 Crypto IKEv2  SA ", ""]
    header = False
    for index, peer in enumerate(engine.facts().ipsec_peers, start=1):
        if not (fabric and fabric.ipsec_up(engine.name, peer.name)):
            continue
        if not header:
            lines.append(f"{'Tunnel-id':<9} {'Local':<21} {'Remote':<21} {'fvrf/ivrf':<20} Status ")
            header = True
        enc = sorted(peer.ike_encryption)[0] if peer.ike_encryption else "aes-256-cbc"
        integ = sorted(peer.ike_integrity)[0].upper() if peer.ike_integrity else "SHA256"
        group = sorted(peer.ike_dh_groups)[0] if peer.ike_dh_groups else 19
        lines += [
            f"{index:<9} {peer.local_address + '/500':<21} {peer.remote_address + '/500':<21} "
            f"{'none/none':<20} READY  ",
            f"      Encr: {_enc_label(enc)}, PRF: {integ}, Hash: {integ}, DH Grp:{group}, "
            "Auth sign: PSK, Auth verify: PSK",
            "      Life/Active Time: 86400/0 sec",
            f"      CE id: 0, Session-id: {index}",
            "",
        ]
    return "\n".join(lines) + "\n"


def show_crypto_session(engine: IOSEngine) -> str:
    fabric = engine.fabric
    facts = engine.facts()
    lines = ["Crypto session current status", ""]
    tunnels = {t.name: t for t in facts.tunnels}
    for peer in facts.ipsec_peers:
        up = bool(fabric and fabric.ipsec_up(engine.name, peer.name))
        node = engine.running.interface(peer.name)
        profile = (_child(node, "tunnel protection ipsec profile") or "").split()[0] if node else ""
        lines += [
            f"Interface: {peer.name}",
            f"Profile: {profile}",
            f"Session status: {'UP-ACTIVE' if up else 'DOWN'}     ",
            f"Peer: {peer.remote_address} port 500 ",
        ]
        if up:
            tunnel = tunnels.get(peer.name)
            local = tunnel.local_underlay if tunnel else peer.local_address
            lines += [
                f"  Session ID: {facts.ipsec_peers.index(peer) + 1}  ",
                f"  IKEv2 SA: local {peer.local_address}/500 "
                f"remote {peer.remote_address}/500 Active ",
                f"  IPSEC FLOW: permit 47 host {local} host {peer.remote_address} ",
                "        Active SAs: 2, origin: crypto map",
            ]
        else:
            lines.append(
                f"  IPSEC FLOW: permit 47 host {peer.local_address} host {peer.remote_address} "
            )
            lines.append("        Active SAs: 0, origin: crypto map")
        lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- files and archive


def _fmt_time(t: float) -> str:
    return time.strftime("%b %d %Y %H:%M:%S +00:00", time.gmtime(t))


def show_archive(engine: IOSEngine) -> str:
    path = engine.archive_path()
    if not path:
        return "Archive feature not enabled\n"
    maximum = engine.archive_maximum()
    lines = [
        f"The maximum archive configurations allowed is {maximum}.",
        f"There are currently {len(engine.archive)} archive configurations saved.",
        f"The next archive file will be named {engine.next_archive_name()}",
        " Archive #  Name",
    ]
    for i in range(maximum):
        if i < len(engine.archive):
            recent = " <- Most Recent" if i == len(engine.archive) - 1 else ""
            lines.append(f"   {i + 1:<8} {engine.archive[i]}{recent}")
        else:
            lines.append(f"   {i + 1:<8}")
    return "\n".join(lines) + "\n"


def running_header(engine: IOSEngine, body: str) -> str:
    lines = ["Building configuration...", "", f"Current configuration : {len(body.encode())} bytes"]
    if engine.last_change is not None:
        tz, offset = engine._tz()
        stamp = time.strftime(
            "%H:%M:%S {} %a %b %d %Y", time.gmtime(engine.last_change + offset)
        ).format(tz)
        lines += ["!", f"! Last configuration change at {stamp}"]
    return "\n".join(lines) + "\n" + body


def show_run_interface(engine: IOSEngine, name: str) -> str:
    node = engine.running.interface(name)
    if node is None:
        return "                              ^\n% Invalid input detected at '^' marker.\n\n"
    out: list[str] = []
    render_node(node, 0, out)
    body = "!\n" + "\n".join(out) + "\nend\n"
    return (
        f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n" + body
    )
