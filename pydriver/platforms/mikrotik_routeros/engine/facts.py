"""A RouterOS configuration in the fabric's platform-neutral terms (base.DeviceFacts).

RouterOS spells crypto its own way (``aes-256`` for IKE, ``ecp256`` for DH group 19) and
splits an IPsec peer over profile, peer, identity, proposal and policy; the fabric needs
one :class:`IpsecPeerFact` per peer with canonical names so ends on different platforms
compare equal.
"""

from __future__ import annotations

import ipaddress
import re

from pydriver.platforms.emulation import (
    BgpNeighborFact,
    DeviceFacts,
    FilterRuleFact,
    IpsecPeerFact,
    PacketFilterFact,
    SourceNatFact,
    TunnelFact,
)
from pydriver.platforms.mikrotik_routeros.engine.store import Config, Item, Table

DH_GROUPS = {
    "modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14, "modp3072": 15,
    "modp4096": 16, "modp6144": 17, "modp8192": 18, "ecp256": 19, "ecp384": 20, "ecp521": 21,
}
IKE_ENC = {"aes-128": "aes-128-cbc", "aes-192": "aes-192-cbc", "aes-256": "aes-256-cbc"}


def _enabled(table: Table) -> list[Item]:
    return [i for i in table.items if not table.disabled(i)]


def _v(table: Table, item: Item, name: str) -> str:
    return table.value(item, name) or ""


def _list(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def _host(prefix: str) -> str:
    return prefix.split("/", maxsplit=1)[0]


def _as_number(text: str) -> int | None:
    if not text:
        return None
    if "." in text:  # asdot notation: 1.10 -> 65546
        high, low = text.split(".", 1)
        return int(high) * 65536 + int(low)
    return int(text) if text.isdigit() else None


def _covers(prefix: str, address: str) -> bool:
    try:
        return ipaddress.IPv4Address(address) in ipaddress.IPv4Network(prefix, strict=False)
    except ValueError:
        return False


def _tunnels(config: Config) -> tuple[TunnelFact, ...]:
    gre = config.table(("interface", "gre"))
    addresses = config.table(("ip", "address"))
    policies = config.table(("ip", "ipsec", "policy"))
    out = []
    for item in _enabled(gre):
        name = _v(gre, item, "name")
        local, remote = _v(gre, item, "local-address"), _v(gre, item, "remote-address")
        inner = next((_v(addresses, a, "address") for a in _enabled(addresses)
                      if _v(addresses, a, "interface") == name), "")
        protected = any(
            _v(policies, p, "protocol") == "gre"
            and _covers(_v(policies, p, "src-address"), local)
            and _covers(_v(policies, p, "dst-address"), remote)
            and _v(policies, p, "action") == "encrypt"
            for p in _enabled(policies)
        )
        out.append(TunnelFact(name, local, remote, inner, protected))
    return tuple(out)


def _ipsec(config: Config) -> tuple[IpsecPeerFact, ...]:
    peers = config.table(("ip", "ipsec", "peer"))
    profiles = config.table(("ip", "ipsec", "profile"))
    proposals = config.table(("ip", "ipsec", "proposal"))
    identities = config.table(("ip", "ipsec", "identity"))
    policies = config.table(("ip", "ipsec", "policy"))
    out = []
    for peer in _enabled(peers):
        name = _v(peers, peer, "name")
        profile = profiles.by_name(_v(peers, peer, "profile")) or profiles.items[0]
        policy = next((p for p in _enabled(policies) if _v(policies, p, "peer") == name), None)
        proposal_name = _v(policies, policy, "proposal") if policy is not None else "default"
        proposal = proposals.by_name(proposal_name) or proposals.items[0]
        identity = next((i for i in _enabled(identities) if _v(identities, i, "peer") == name
                         and _v(identities, i, "auth-method") == "pre-shared-key"), None)
        esp_enc = _list(_v(proposals, proposal, "enc-algorithms"))
        cbc = any(not e.endswith("gcm") for e in esp_enc)
        pfs = _v(proposals, proposal, "pfs-group")
        out.append(IpsecPeerFact(
            name=name,
            local_address=_v(peers, peer, "local-address"),
            remote_address=_host(_v(peers, peer, "address")),
            ike_encryption=frozenset(IKE_ENC.get(e, e)
                                     for e in _list(_v(profiles, profile, "enc-algorithm"))),
            ike_integrity=frozenset([_v(profiles, profile, "hash-algorithm")]),
            ike_dh_groups=frozenset(DH_GROUPS[g] for g in _list(_v(profiles, profile, "dh-group"))
                                    if g in DH_GROUPS),
            esp_encryption=frozenset(esp_enc),
            esp_integrity=frozenset(_list(_v(proposals, proposal, "auth-algorithms")))
            if cbc else frozenset(),
            esp_pfs_groups=frozenset([DH_GROUPS[pfs]]) if pfs in DH_GROUPS else frozenset(),
            psk=_v(identities, identity, "secret") if identity is not None else "",
            ike_version=2 if _v(peers, peer, "exchange-mode") == "ike2" else 1,
        ))
    return tuple(out)


#: what a rule may carry besides its conditions
_RULE_META = frozenset({"chain", "action", "comment", "disabled", "log", "log-prefix",
                        "to-addresses", "to-ports"})
_STATES = {"new": "new", "established": "established", "related": "established"}


def _addresses(value: str) -> tuple[str, ...] | None:
    out = []
    for part in _list(value):
        try:
            out.append(str(ipaddress.IPv4Network(part, strict=False)))
        except ValueError:  # a range or a negation: not modelled
            return None
    return tuple(out)


def _rule(config: Config, table: Table, item: Item, action: str,
          handled: frozenset[str] = frozenset()) -> FilterRuleFact | None:
    """A firewall rule as it applies to a ping (None: it never matches one, or it has a
    condition the fabric does not model); ``handled`` are conditions the caller took."""
    lists = config.table(("ip", "firewall", "address-list"))
    found: dict[str, tuple[str, ...]] = {"src": (), "dst": ()}
    states: frozenset[str] = frozenset()
    for key in item.props:
        value = _v(table, item, key)
        if key in _RULE_META or key in handled:
            continue
        if key in ("src-address", "dst-address"):
            nets = _addresses(value)
            if nets is None:
                return None
            found[key[:3]] = nets
        elif key in ("src-address-list", "dst-address-list"):
            if value.startswith("!"):
                return None
            members = [_v(lists, e, "address") for e in _enabled(lists)
                       if _v(lists, e, "list") == value]
            nets = _addresses(",".join(members))
            if nets is None or not nets:  # an empty list matches nothing
                return None
            found[key[:3]] = nets
        elif key == "connection-state":
            states = frozenset(_STATES[s] for s in _list(value) if s in _STATES)
            if not states:
                return None
        elif key == "protocol":
            if value != "icmp":
                return None
        else:
            return None
    return FilterRuleFact(action, found["src"], found["dst"], states)


def _forward_filter(config: Config) -> tuple[PacketFilterFact, ...]:
    """The forward chain, in order (accept or drop; anything else is not modelled)."""
    table = config.table(("ip", "firewall", "filter"))
    rules: list[FilterRuleFact] = []
    for item in _enabled(table):
        action = {"accept": "permit", "drop": "deny", "reject": "deny"}.get(
            _v(table, item, "action"))
        if _v(table, item, "chain") != "forward" or action is None:
            continue
        rule = _rule(config, table, item, action)
        if rule is not None:
            rules.append(rule)
    return (PacketFilterFact(None, tuple(rules)),) if rules else ()


def _source_nat(config: Config) -> tuple[SourceNatFact, ...]:
    """``chain=srcnat action=masquerade out-interface=X``: leaving X, translated."""
    table = config.table(("ip", "firewall", "nat"))
    out = []
    for item in _enabled(table):
        out_if = _v(table, item, "out-interface")
        if _v(table, item, "chain") != "srcnat" or \
                _v(table, item, "action") != "masquerade" or not out_if:
            continue
        rule = _rule(config, table, item, "permit", handled=frozenset({"out-interface"}))
        if rule is not None:
            out.append(SourceNatFact(out_if, (rule,)))
    return tuple(out)


_EXACT = re.compile(r"if \(dst==(\S+)\) \{ accept; \}")
_WITHIN = re.compile(r"if \(dst in (\S+) && dst-len<=(\d+)\) \{ accept; \}")


def filter_chains(config: Config) -> dict[str, tuple[tuple[str, int], ...] | None]:
    """Every routing filter chain as a prefix filter: the (prefix, longest length) its
    rules accept, in the two forms pydriver writes; a chain holding any other rule (one
    that sets attributes and accepts everything) is no prefix filter (None)."""
    rules = config.table(("routing", "filter", "rule"))
    out: dict[str, list[tuple[str, int]] | None] = {}
    for item in _enabled(rules):
        chain, text = _v(rules, item, "chain"), _v(rules, item, "rule").strip('"')
        exact, within = _EXACT.fullmatch(text), _WITHIN.fullmatch(text)
        entries = out.setdefault(chain, [])
        if entries is None:
            continue
        try:
            if exact:
                net = ipaddress.IPv4Network(exact.group(1), strict=False)
                entries.append((str(net), net.prefixlen))
            elif within:
                net = ipaddress.IPv4Network(within.group(1), strict=False)
                entries.append((str(net), int(within.group(2))))
            else:
                out[chain] = None
        except ValueError:
            out[chain] = None
    return {chain: None if e is None else tuple(e) for chain, e in out.items()}


def device_facts(name: str, config: Config) -> DeviceFacts:
    addresses = config.table(("ip", "address"))
    routes = config.table(("ip", "route"))
    bgp = config.table(("routing", "bgp", "connection"))
    lists = config.table(("ip", "firewall", "address-list"))
    connections = _enabled(bgp)
    networks: list[str] = []
    for conn in connections:
        wanted = _v(bgp, conn, "output.network")
        for entry in _enabled(lists):
            if wanted and _v(lists, entry, "list") == wanted:
                prefix = _v(lists, entry, "address")
                prefix = prefix if "/" in prefix else prefix + "/32"
                if prefix not in networks:
                    networks.append(prefix)
    first = connections[0] if connections else None
    chains = filter_chains(config)
    return DeviceFacts(
        name=name,
        addresses=tuple((_v(addresses, a, "interface"), _v(addresses, a, "address"))
                        for a in _enabled(addresses)),
        tunnels=_tunnels(config),
        ipsec_peers=_ipsec(config),
        bgp_as=_as_number(_v(bgp, first, "as")) if first is not None else None,
        bgp_router_id=(_v(bgp, first, "router-id") or None) if first is not None else None,
        bgp_neighbors=tuple(
            BgpNeighborFact(
                _host(_v(bgp, c, "remote.address")),
                _as_number(_v(bgp, c, "remote.as")) or 0,
                _v(bgp, c, "output.default-originate") == "always",
                chains.get(_v(bgp, c, "input.filter")),
                chains.get(_v(bgp, c, "output.filter-chain")),
            )
            for c in connections
        ),
        bgp_networks=tuple(networks),
        static_routes=tuple((_v(routes, r, "dst-address"), _v(routes, r, "gateway"))
                            for r in _enabled(routes)),
        filters=_forward_filter(config),
        source_nat=_source_nat(config),
    )
