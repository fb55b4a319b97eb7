"""DeviceFacts from an IOS running configuration: what the fabric needs to know.

IPsec is followed the way IOS resolves it at run time: tunnel -> ``tunnel protection ipsec
profile`` -> ``set ikev2-profile`` -> ``keyring local`` -> the keyring peer whose address is
the tunnel destination. Algorithm names are mapped to the platform-neutral spellings of
:mod:`pydriver.platforms.emulation` so a Cisco end and a MikroTik end compare equal.
"""

from __future__ import annotations

import ipaddress

from pydriver.platforms.cisco_ios.engine.secrets import is_type7, type7_decode
from pydriver.platforms.cisco_ios.engine.tree import Config, Node
from pydriver.platforms.emulation import (
    BgpNeighborFact,
    DeviceFacts,
    FilterRuleFact,
    IpsecPeerFact,
    PacketFilterFact,
    SourceNatFact,
    TunnelFact,
)

IKE_ENCRYPTION = {
    "aes-cbc-128": "aes-128-cbc",
    "aes-cbc-192": "aes-192-cbc",
    "aes-cbc-256": "aes-256-cbc",
    "aes-gcm-128": "aes-128-gcm",
    "aes-gcm-256": "aes-256-gcm",
    "3des": "3des",
}
ESP_HMAC = {
    "esp-sha-hmac": "sha1",
    "esp-sha256-hmac": "sha256",
    "esp-sha384-hmac": "sha384",
    "esp-sha512-hmac": "sha512",
}
# What IOS-XE offers when no ``crypto ikev2 policy`` is configured (the smart defaults).
_DEFAULT_IKE = (
    frozenset({"aes-256-cbc", "aes-192-cbc", "aes-128-cbc"}),
    frozenset({"sha512", "sha384", "sha256", "sha1"}),
    frozenset({19, 20, 14, 5}),
)


def prefix_len(mask: str) -> int:
    return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen


def _child(node: Node | None, prefix: str) -> str | None:
    """The rest of ``node``'s first child line starting with ``prefix`` (None if none)."""
    if node is None:
        return None
    for child in node.children:
        if child.text == prefix:
            return ""
        if child.text.startswith(prefix + " "):
            return child.text[len(prefix) + 1 :]
    return None


def _children(node: Node | None, prefix: str) -> list[str]:
    if node is None:
        return []
    return [c.text[len(prefix) + 1 :] for c in node.children if c.text.startswith(prefix + " ")]


def iface_address(config: Config, name: str) -> tuple[str, str] | None:
    """(address, mask) of ``name``'s primary address."""
    rest = _child(config.interface(name), "ip address")
    if not rest:
        return None
    parts = rest.split()
    if len(parts) < 2 or "secondary" in parts:
        return None
    return parts[0], parts[1]


def iface_vrf(node: Node) -> str:
    """The VRF an interface is in ("" for the global table)."""
    for child in node.children:
        words = child.text.split()
        if words[:2] == ["vrf", "forwarding"] or words[:3] == ["ip", "vrf", "forwarding"]:
            return words[-1]
    return ""


def is_shutdown(node: Node) -> bool:
    return any(c.text == "shutdown" for c in node.children)


def _top(config: Config, text: str) -> Node | None:
    for node in config.root.children:
        if node.text == text:
            return node
    return None


def _secret(text: str) -> str:
    """The clear text of a stored secret (``7 <hex>`` decoded, ``0 x``/``x`` as is)."""
    parts = text.split()
    if len(parts) == 2 and parts[0] == "7" and is_type7(parts[1]):
        return type7_decode(parts[1])
    if len(parts) == 2 and parts[0] in ("0", "6"):
        return parts[1]
    return parts[-1] if parts else ""


def _keyring_peer(config: Config, keyring: str, remote: str) -> Node | None:
    ring = _top(config, f"crypto ikev2 keyring {keyring}")
    if ring is None:
        return None
    for peer in ring.children:
        address = _child(peer, "address")
        if address:
            parts = address.split()
            mask = parts[1] if len(parts) > 1 else "255.255.255.255"
            net = ipaddress.IPv4Network(f"{parts[0]}/{mask}", strict=False)
            if ipaddress.IPv4Address(remote) in net:
                return peer
    return None


def _psk(peer: Node | None) -> str:
    if peer is None:
        return ""
    values = _children(peer, "pre-shared-key")
    for value in values:
        words = value.split()
        if words[0] in ("local", "remote"):
            if words[0] == "local":
                return _secret(" ".join(words[1:]))
            continue
        return _secret(value)
    for value in values:
        return _secret(" ".join(value.split()[1:]))
    return ""


def _ike(config: Config, local: str) -> tuple[frozenset[str], frozenset[str], frozenset[int]]:
    policies = config.top("crypto ikev2 policy ")
    names: list[str] = []
    for policy in policies:
        matches = [m.split()[-1] for m in _children(policy, "match address local")]
        if not matches or local in matches:
            names += [p.split()[0] for p in _children(policy, "proposal")]
    if not policies:
        return _DEFAULT_IKE
    enc: set[str] = set()
    integ: set[str] = set()
    groups: set[int] = set()
    for name in names:
        proposal = _top(config, f"crypto ikev2 proposal {name}")
        enc |= {IKE_ENCRYPTION.get(e, e) for e in (_child(proposal, "encryption") or "").split()}
        integrity = (_child(proposal, "integrity") or _child(proposal, "prf") or "").split()
        integ |= set(integrity)
        groups |= {int(g) for g in (_child(proposal, "group") or "").split()}
    return frozenset(enc), frozenset(integ), frozenset(groups)


def _esp(
    config: Config, profile: Node | None
) -> tuple[frozenset[str], frozenset[str], frozenset[int]]:
    enc: set[str] = set()
    integ: set[str] = set()
    for name in (_child(profile, "set transform-set") or "").split():
        for node in config.top(f"crypto ipsec transform-set {name} "):
            words = node.text.split()[4:]
            if words and words[0] == "esp-gcm":
                size = words[1] if len(words) > 1 and words[1].isdigit() else "128"
                enc.add(f"aes-{size}-gcm")
            elif words and words[0] == "esp-aes":
                size = words[1] if len(words) > 1 and words[1].isdigit() else "128"
                enc.add(f"aes-{size}-cbc")
            integ |= {ESP_HMAC[w] for w in words if w in ESP_HMAC}
    pfs = _child(profile, "set pfs")
    groups = frozenset({int(pfs.removeprefix("group"))}) if pfs else frozenset()
    return frozenset(enc), frozenset(integ), groups


def _tunnel(config: Config, node: Node) -> tuple[TunnelFact, IpsecPeerFact | None] | None:
    name = node.text.split()[1]
    source = _child(node, "tunnel source")
    destination = _child(node, "tunnel destination")
    if not source or not destination:
        return None
    if source[0].isdigit():
        local = source
    else:
        resolved = iface_address(config, source)
        local = resolved[0] if resolved else ""
    inner = iface_address(config, name)
    address = f"{inner[0]}/{prefix_len(inner[1])}" if inner else ""
    profile_name = _child(node, "tunnel protection ipsec profile")
    tunnel = TunnelFact(name, local, destination, address, protected=bool(profile_name))
    if not profile_name:
        return tunnel, None
    profile = _top(config, f"crypto ipsec profile {profile_name.split()[0]}")
    ike_profile = _top(config, f"crypto ikev2 profile {_child(profile, 'set ikev2-profile') or ''}")
    keyring = (_child(ike_profile, "keyring local") or "").strip()
    identity = _child(ike_profile, "identity local address") or local
    ike_enc, ike_int, ike_dh = _ike(config, identity)
    esp_enc, esp_int, pfs = _esp(config, profile)
    peer = IpsecPeerFact(
        name=name,
        local_address=identity,
        remote_address=destination,
        ike_encryption=ike_enc,
        ike_integrity=ike_int,
        ike_dh_groups=ike_dh,
        esp_encryption=esp_enc,
        esp_integrity=esp_int,
        esp_pfs_groups=pfs,
        psk=_psk(_keyring_peer(config, keyring, destination)) if keyring else "",
    )
    return tunnel, peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def bgp_neighbors(router: Node) -> list[tuple[str, int]]:
    """(address, remote AS) of every neighbour, a peer-group member taking its group's AS."""
    group_as: dict[str, int] = {}
    found: dict[str, int] = {}
    members: list[tuple[str, str]] = []
    for rest in _children(router, "neighbor"):
        words = rest.split()
        if len(words) < 3:
            continue
        if words[1] == "remote-as" and words[2].isdigit():
            if _is_address(words[0]):
                found[words[0]] = int(words[2])
            else:
                group_as[words[0]] = int(words[2])
        elif words[1] == "peer-group" and _is_address(words[0]):
            members.append((words[0], words[2]))
    for address, group in members:
        if address not in found and group in group_as:
            found[address] = group_as[group]
    return list(found.items())


def _acl_address(words: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    """(prefixes, the words after them) of an ACL address: ``any`` (no prefix: any),
    ``host A`` or ``A wildcard``; None when it is not one the fabric models."""
    if words[:1] == ["any"]:
        return (), words[1:]
    if len(words) >= 2 and words[0] == "host":
        return (f"{words[1]}/32",), words[2:]
    if len(words) >= 2 and words[0][:1].isdigit() and words[1][:1].isdigit():
        try:
            net = ipaddress.IPv4Network(f"{words[0]}/{words[1]}", strict=False)
        except ValueError:  # not a contiguous wildcard
            return None, words[2:]
        return (str(net),), words[2:]
    if len(words) == 1 and words[0][:1].isdigit():
        return (f"{words[0]}/32",), []
    return None, words


def _acl(config: Config, name: str) -> tuple[FilterRuleFact, ...] | None:
    """The entries of access list ``name`` as they apply to a ping (None: no such list).

    An entry for another protocol (tcp, udp, ...) or with a condition the fabric does not
    model never matches a ping, so it is left out; ``log`` changes nothing."""
    node = _top(config, f"ip access-list extended {name}") or \
        _top(config, f"ip access-list standard {name}")
    if node is None:
        return None
    standard = node.text.startswith("ip access-list standard")
    rules: list[FilterRuleFact] = []
    for child in node.children:
        words = child.text.split()
        if words and words[0].isdigit():
            words = words[1:]
        if len(words) < 2 or words[0] not in ("permit", "deny"):
            continue
        action = words[0]
        if standard:
            sources, rest = _acl_address(words[1:])
            destinations: tuple[str, ...] | None = ()
        else:
            if words[1] not in ("ip", "icmp"):
                continue
            sources, rest = _acl_address(words[2:])
            destinations, rest = _acl_address(rest)
        if sources is None or destinations is None or [w for w in rest if w != "log"]:
            continue
        rules.append(FilterRuleFact(action, sources, destinations))
    return tuple(rules)


def _filters_and_nat(config: Config) -> tuple[tuple[PacketFilterFact, ...],
                                               tuple[SourceNatFact, ...]]:
    """Inbound interface ACLs (every packet coming in, implicit deny at the end) and
    ``ip nat inside source list L interface I overload`` (from an ``ip nat inside``
    interface, out of ``I`` when it is ``ip nat outside``, its source permitted by L)."""
    filters: list[PacketFilterFact] = []
    inside: set[str] = set()
    outside: set[str] = set()
    for node in config.interfaces():
        ifname = node.text.split()[1]
        for rest in _children(node, "ip access-group"):
            words = rest.split()
            rules = _acl(config, words[0]) if len(words) == 2 and words[1] == "in" else None
            if rules is not None:  # an ACL that does not exist filters nothing
                filters.append(PacketFilterFact(ifname, rules, default="deny",
                                                forwarded_only=False))
        side = _child(node, "ip nat")
        if side == "inside":
            inside.add(ifname)
        elif side == "outside":
            outside.add(ifname)
    nats: list[SourceNatFact] = []
    for node in config.top("ip nat inside source list "):
        words = node.text.split()
        if len(words) >= 8 and words[6] == "interface" and words[7] in outside:
            match = _acl(config, words[5])
            if match is not None:
                nats.append(SourceNatFact(words[7], match, frozenset(inside)))
    return tuple(filters), tuple(nats)


def prefix_lists(config: Config) -> dict[str, tuple[tuple[str, int], ...]]:
    """Every ``ip prefix-list``'s permitted (prefix, longest length), in sequence order
    (``ge`` and deny entries are not modelled: pydriver writes neither)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for node in config.top("ip prefix-list "):
        words = node.text.split()
        if len(words) < 5 or words[3] == "description":
            continue
        name, rest = words[2], words[3:]
        if rest[0] == "seq":
            rest = rest[2:]
        if len(rest) < 2 or rest[0] != "permit":
            continue
        try:
            net = ipaddress.IPv4Network(rest[1], strict=False)
        except ValueError:
            continue
        longest = int(rest[3]) if len(rest) >= 4 and rest[2] == "le" else net.prefixlen
        out.setdefault(name, []).append((str(net), longest))
    return {name: tuple(entries) for name, entries in out.items()}


def _classful_len(address: str) -> int:
    first = int(address.split(".", maxsplit=1)[0])
    return 8 if first < 128 else 16 if first < 192 else 24


def device_facts(config: Config, name: str) -> DeviceFacts:
    addresses: list[tuple[str, str]] = []
    tunnels: list[TunnelFact] = []
    peers: list[IpsecPeerFact] = []
    for node in config.interfaces():
        ifname = node.text.split()[1]
        if is_shutdown(node) or iface_vrf(node):
            continue  # the shared network model is the global routing table
        addr = iface_address(config, ifname)
        if addr:
            addresses.append((ifname, f"{addr[0]}/{prefix_len(addr[1])}"))
        if ifname.startswith("Tunnel"):
            found = _tunnel(config, node)
            if found:
                tunnels.append(found[0])
                if found[1] is not None:
                    peers.append(found[1])
    bgp = config.top("router bgp ")
    bgp_as: int | None = None
    router_id: str | None = None
    neighbors: list[BgpNeighborFact] = []
    networks: list[str] = []
    if bgp:
        router = bgp[0]
        bgp_as = int(router.text.split()[2])
        router_id = _child(router, "bgp router-id")
        af = next((c for c in router.children if c.mode == "config-router-af"), None)
        originate = {
            w.split()[0] for w in _children(af, "neighbor") if w.split()[1] == "default-originate"
        }
        lists = prefix_lists(config)
        bound: dict[tuple[str, str], tuple[tuple[str, int], ...]] = {}
        for rest in _children(af, "neighbor"):
            words = rest.split()
            if len(words) == 4 and words[1] == "prefix-list" and words[3] in ("in", "out"):
                bound[(words[0], words[3])] = lists.get(words[2], ())
        for address, remote_as in bgp_neighbors(router):
            neighbors.append(BgpNeighborFact(address, remote_as, address in originate,
                                             bound.get((address, "in")),
                                             bound.get((address, "out"))))
        for rest in _children(af, "network"):
            words = rest.split()
            length = (
                prefix_len(words[2])
                if len(words) > 2 and words[1] == "mask"
                else _classful_len(words[0])
            )
            networks.append(f"{words[0]}/{length}")
    filters, nats = _filters_and_nat(config)
    statics: list[tuple[str, str]] = []
    for node in config.top("ip route "):
        words = node.text.split()
        if words[2] == "vrf" or words[4] == "dhcp":
            continue  # another table, or a gateway only DHCP will tell
        prefix = f"{words[2]}/{prefix_len(words[3])}"
        hops = [w for w in words[4:6] if w[0].isdigit() and w.count(".") == 3]
        statics.append((prefix, hops[0] if hops else words[4]))
    return DeviceFacts(
        name=name,
        addresses=tuple(addresses),
        tunnels=tuple(tunnels),
        ipsec_peers=tuple(peers),
        bgp_as=bgp_as,
        bgp_router_id=router_id,
        bgp_neighbors=tuple(neighbors),
        bgp_networks=tuple(networks),
        static_routes=tuple(statics),
        filters=filters,
        source_nat=nats,
    )
