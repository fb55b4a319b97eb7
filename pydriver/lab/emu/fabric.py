"""The emulated network between the routers: state that needs both ends' configurations.

An engine alone can say what its own router is configured to do; whether a tunnel passes
traffic or a BGP session is established depends on what the far end is configured to do
too. The fabric derives that shared state from every attached engine's
:class:`~pydriver.platforms.emulation.DeviceFacts`, so a post-change check run against the lab
fails when a change broke the far end's agreement, exactly as it would on the real network.

The rules, deliberately simple and deterministic:

* Underlay: every attached, powered device sits on "the internet". Any address of any
  device is reachable as an IKE/tunnel endpoint with no routing at all.
* IPsec: peer P on device A is up iff some other device B has a peer Q with
  ``Q.local_address == P.remote_address`` and ``Q.remote_address == P.local_address``,
  both devices own their local address, the IKE versions are equal, the IKE encryption,
  integrity and DH sets intersect, the ESP encryption, integrity and PFS sets intersect
  (integrity is not compared when a common cipher is AES-GCM, which carries its own; two
  empty PFS sets agree: neither end asks for PFS), and the pre-shared keys are equal.
* Tunnels: tunnel T on A is up iff some other device B has a tunnel U with swapped underlay
  endpoints, both ends own their underlay address and, when either end is ``protected``,
  both ends have an up IPsec SA between those underlay addresses.
* Connected routes: the network of every interface address; a tunnel's inner address only
  while the tunnel is up. Static routes: installed when the gateway lies in a connected
  network (or names an interface that is up; ``Null0`` discards).
* BGP: A's session to neighbour n is established iff A runs BGP, n lies in a connected
  network of A, a device B owns n with ``B.bgp_as`` equal to the configured remote AS
  (over a tunnel, B must be the tunnel's far end), and B has a neighbour entry for an
  address A owns, with A's AS, lying in a connected network of B.
* Advertisements: a device sends its ``bgp_networks`` that are exactly present as its own
  connected or static routes, its best BGP routes (never back to the device they came
  from, never iBGP-learned routes to an iBGP peer) and ``0.0.0.0/0`` where its neighbour
  entry has ``default_originate``. eBGP prepends the sender's AS; a receiver drops a path
  holding its own AS. The tables are iterated to a fixpoint.
* Best path: shortest AS path, then the lowest neighbour address. A prefix that is
  connected or static on a device is not replaced by BGP (administrative distance).
* Ping: longest-prefix match hop by hop through the devices (at most 16 hops, loops
  fail); a tunnel hands the packet to the tunnel's far end; a next hop no device owns is
  the ISP, which delivers only to underlay addresses (the ones used as tunnel or IKE
  endpoints) and to the internet (global addresses no device owns). The reply must find
  its way back to the source the same way. A ping to an address of the device itself
  succeeds.
* Filters: at every device a packet enters, the filters of the interface it came in on
  decide, first matching rule wins (an interface ACL sees every packet that comes in, a
  forward chain only packets the device forwards); a request is a "new" connection, its
  reply "established". Rules with conditions the fabric does not model never match.
* The internet answers only a public source: a packet leaves for it only where a source
  NAT rule translates it (out of the NAT's interface, from an inside interface where the
  platform has them, its source permitted by the rule's match); the reply comes back to
  that device and is forwarded on to the original source.
* A host ping starts on the LAN of one interface of a device (from the last usable
  address of that network), so it passes that device's filters as traffic from the LAN
  does, and its reply is delivered back onto that LAN.
* A powered-off device is not on the network at all: its SAs, tunnels and sessions are
  down on both ends and it answers nothing.

Queries about a device that is not attached answer "down"/empty rather than raise: an
engine may ask before the lab attaches it. Everything is recomputed lazily, as a whole,
when an engine's ``generation`` changed since the last look; the work is linear in the
devices times their neighbours, plus the routes actually exchanged.
"""

from __future__ import annotations

import functools
import ipaddress
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from pydriver.errors import LabError
from pydriver.platforms.emulation import (
    BgpNeighborFact,
    DeviceEngine,
    DeviceFacts,
    FilterRuleFact,
    IpsecPeerFact,
    Route,
    TunnelFact,
    filter_passes,
)

MAX_HOPS = 16
DEFAULT_ROUTE = "0.0.0.0/0"
NULL_INTERFACES = frozenset({"Null0", "null0", "blackhole"})
_PROTOCOL_ORDER = {"connected": 0, "static": 1, "bgp": 2}

IPv4Net = ipaddress.IPv4Network


def _host(text: str) -> str | None:
    """The bare address of ``a.b.c.d`` or ``a.b.c.d/len``; None when it is not IPv4."""
    try:
        return str(ipaddress.IPv4Interface(text.strip()).ip)
    except ValueError:
        return None


def _network(text: str) -> IPv4Net | None:
    try:
        return ipaddress.IPv4Network(text.strip(), strict=False)
    except ValueError:
        return None


def _address_int(text: str) -> int:
    return int(ipaddress.IPv4Address(text))


# --------------------------------------------------------------------------- per device


@dataclass(frozen=True, slots=True)
class _Device:
    """One powered device's facts, normalised once per recompute."""

    name: str
    facts: DeviceFacts
    owned: frozenset[str]
    iface_address: Mapping[str, str]  # interface -> its first address (bare)
    iface_of: Mapping[str, str]  # address (bare) -> the interface holding it
    tunnel_names: frozenset[str]
    neighbors_by_address: Mapping[str, BgpNeighborFact]


def _device(name: str, facts: DeviceFacts) -> _Device:
    owned: set[str] = set()
    iface_address: dict[str, str] = {}
    iface_of: dict[str, str] = {}
    pairs = [*facts.addresses, *((t.name, t.address) for t in facts.tunnels if t.address)]
    for ifname, text in pairs:
        host = _host(text)
        if host is None:
            continue
        owned.add(host)
        iface_address.setdefault(ifname, host)
        iface_of.setdefault(host, ifname)
    neighbors: dict[str, BgpNeighborFact] = {}
    for nb in facts.bgp_neighbors:
        neighbors.setdefault(nb.remote_address, nb)
    return _Device(
        name=name,
        facts=facts,
        owned=frozenset(owned),
        iface_address=iface_address,
        iface_of=iface_of,
        tunnel_names=frozenset(t.name for t in facts.tunnels),
        neighbors_by_address=neighbors,
    )


# --------------------------------------------------------------------------- IPsec, tunnels


def _esp_agrees(p: IpsecPeerFact, q: IpsecPeerFact) -> bool:
    """A common cipher, and a common integrity algorithm unless that cipher is AEAD.

    IOS lists no ESP integrity for ``esp-gcm`` while RouterOS keeps its (ignored)
    auth-algorithms: an AES-GCM pair must come up whatever either end lists there.
    """
    common = p.esp_encryption & q.esp_encryption
    if any(cipher.endswith("-gcm") for cipher in common):
        return True
    return bool(common) and bool(p.esp_integrity & q.esp_integrity)


def _proposals_agree(p: IpsecPeerFact, q: IpsecPeerFact) -> bool:
    pfs_ok = bool(p.esp_pfs_groups & q.esp_pfs_groups) or not (p.esp_pfs_groups or q.esp_pfs_groups)
    return (
        p.ike_version == q.ike_version
        and bool(p.ike_encryption & q.ike_encryption)
        and bool(p.ike_integrity & q.ike_integrity)
        and bool(p.ike_dh_groups & q.ike_dh_groups)
        and _esp_agrees(p, q)
        and pfs_ok
        and p.psk == q.psk
    )


@dataclass(frozen=True, slots=True)
class _Sas:
    """The SAs that are up: by peer name, and by (local, remote) underlay pair."""

    names: Mapping[str, frozenset[str]]
    pairs: Mapping[str, frozenset[tuple[str, str]]]


def _ipsec(devices: Mapping[str, _Device]) -> _Sas:
    by_ends: dict[tuple[str, str], list[tuple[str, IpsecPeerFact]]] = {}
    for dev in devices.values():
        for peer in dev.facts.ipsec_peers:
            by_ends.setdefault((peer.local_address, peer.remote_address), []).append(
                (dev.name, peer)
            )
    names: dict[str, set[str]] = {name: set() for name in devices}
    pairs: dict[str, set[tuple[str, str]]] = {name: set() for name in devices}
    for dev in devices.values():
        for peer in dev.facts.ipsec_peers:
            if peer.local_address not in dev.owned:
                continue
            for other, far in by_ends.get((peer.remote_address, peer.local_address), ()):
                if (
                    other != dev.name
                    and far.local_address in devices[other].owned
                    and _proposals_agree(peer, far)
                ):
                    names[dev.name].add(peer.name)
                    pairs[dev.name].add((peer.local_address, peer.remote_address))
                    break
    return _Sas(
        {k: frozenset(v) for k, v in names.items()}, {k: frozenset(v) for k, v in pairs.items()}
    )


@dataclass(frozen=True, slots=True)
class _TunnelEnd:
    device: str
    tunnel: str


def _tunnels(devices: Mapping[str, _Device], sas: _Sas) -> dict[tuple[str, str], _TunnelEnd]:
    """(device, tunnel) -> the far end, for every tunnel that is up."""
    by_ends: dict[tuple[str, str], list[tuple[str, TunnelFact]]] = {}
    for dev in devices.values():
        for tun in dev.facts.tunnels:
            by_ends.setdefault((tun.local_underlay, tun.remote_underlay), []).append(
                (dev.name, tun)
            )
    up: dict[tuple[str, str], _TunnelEnd] = {}
    for dev in devices.values():
        for tun in dev.facts.tunnels:
            if tun.local_underlay not in dev.owned:
                continue
            ends = (tun.local_underlay, tun.remote_underlay)
            for other, far in sorted(
                by_ends.get((tun.remote_underlay, tun.local_underlay), ()),
                key=lambda e: (e[0], e[1].name),
            ):
                if other == dev.name or far.local_underlay not in devices[other].owned:
                    continue
                if (tun.protected or far.protected) and not (
                    ends in sas.pairs[dev.name] and (ends[1], ends[0]) in sas.pairs[other]
                ):
                    continue
                up[(dev.name, tun.name)] = _TunnelEnd(other, far.name)
                break
    return up


# --------------------------------------------------------------------------- local routes


V = TypeVar("V")
_Lpm = tuple[tuple[int, dict[int, V]], ...]  # (mask, {network: value}), longest mask first


def _lpm_index(items: Iterable[tuple[IPv4Net, V]]) -> _Lpm[V]:
    """A longest-prefix-match index: one dict per prefix length, so a lookup is <= 33 probes."""
    by_len: dict[int, dict[int, V]] = {}
    for net, value in items:
        by_len.setdefault(net.prefixlen, {}).setdefault(int(net.network_address), value)
    return tuple(
        (int(_mask(length)), table) for length, table in sorted(by_len.items(), reverse=True)
    )


def _mask(length: int) -> int:
    return (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF


def _lpm_find(index: _Lpm[V], address: int) -> V | None:
    for mask, table in index:
        found = table.get(address & mask)
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class _Local:
    """A device's connected and static routes, and the networks next hops resolve in."""

    routes: tuple[Route, ...]
    connected: _Lpm[str]  # network -> interface
    prefixes: frozenset[str]

    def interface_for(self, address: str) -> str | None:
        """The connected interface whose network holds ``address`` (longest match)."""
        return _lpm_find(self.connected, _address_int(address))


def _local_routes(dev: _Device, tunnels_up: Mapping[tuple[str, str], _TunnelEnd]) -> _Local:
    routes: dict[tuple[str, str], Route] = {}
    connected: list[tuple[IPv4Net, str]] = []
    up_ifaces: set[str] = set()
    seen: set[tuple[str, str]] = set()
    pairs = [*dev.facts.addresses, *((t.name, t.address) for t in dev.facts.tunnels)]
    for ifname, text in pairs:
        if ifname in dev.tunnel_names and (dev.name, ifname) not in tunnels_up:
            continue
        net = _network(text) if text else None
        if net is None or (ifname, str(net)) in seen:
            continue
        seen.add((ifname, str(net)))
        up_ifaces.add(ifname)
        connected.append((net, ifname))
        routes.setdefault((str(net), "connected"), Route(str(net), "connected", interface=ifname))
    local = _Local((), _lpm_index(connected), frozenset())
    for prefix_text, gateway in dev.facts.static_routes:
        net = _network(prefix_text)
        if net is None or (str(net), "connected") in routes or (str(net), "static") in routes:
            continue
        prefix = str(net)
        if gateway in NULL_INTERFACES:
            routes[(prefix, "static")] = Route(prefix, "static", interface=gateway)
        elif _host(gateway) is not None and "/" not in gateway:
            exit_if = local.interface_for(gateway)
            if exit_if is not None:
                routes[(prefix, "static")] = Route(prefix, "static", gateway, exit_if)
        elif gateway in up_ifaces:
            routes[(prefix, "static")] = Route(prefix, "static", interface=gateway)
    return _Local(tuple(routes.values()), local.connected, frozenset(key for key, _ in routes))


# --------------------------------------------------------------------------- BGP


@dataclass(frozen=True, slots=True)
class _Session:
    """A's established session to neighbour ``address``, owned by ``peer``."""

    address: str
    peer: str
    peer_entry: BgpNeighborFact  # the peer's neighbour entry pointing back at us
    interface: str
    ebgp: bool


def _sessions(
    devices: Mapping[str, _Device],
    owners: Mapping[str, list[str]],
    locals_: Mapping[str, _Local],
    tunnels_up: Mapping[tuple[str, str], _TunnelEnd],
) -> dict[str, dict[str, _Session]]:
    sessions: dict[str, dict[str, _Session]] = {name: {} for name in devices}
    for dev in devices.values():
        local_as = dev.facts.bgp_as
        if local_as is None:
            continue
        for address, nb in dev.neighbors_by_address.items():
            session = _session(dev, address, nb, devices, owners, locals_, tunnels_up)
            if session is not None:
                sessions[dev.name][address] = session
    return sessions


def _session(
    dev: _Device,
    address: str,
    nb: BgpNeighborFact,
    devices: Mapping[str, _Device],
    owners: Mapping[str, list[str]],
    locals_: Mapping[str, _Local],
    tunnels_up: Mapping[tuple[str, str], _TunnelEnd],
) -> _Session | None:
    if _host(address) != address:
        return None
    ifname = locals_[dev.name].interface_for(address)
    if ifname is None:
        return None
    candidates = [o for o in owners.get(address, ()) if o != dev.name]
    if ifname in dev.tunnel_names:
        far = tunnels_up.get((dev.name, ifname))
        candidates = [o for o in candidates if far is not None and o == far.device]
    for other in candidates:
        peer = devices[other]
        if peer.facts.bgp_as is None or peer.facts.bgp_as != nb.remote_as:
            continue
        for mine in sorted(dev.owned):
            back = peer.neighbors_by_address.get(mine)
            if (
                back is not None
                and back.remote_as == dev.facts.bgp_as
                and locals_[other].interface_for(mine) is not None
            ):
                return _Session(address, other, back, ifname, nb.remote_as != dev.facts.bgp_as)
    return None


class _Best(NamedTuple):
    """The best BGP path a device holds for one prefix.

    A named tuple rather than a frozen dataclass: a hub with hundreds of spokes creates one
    per (device, prefix) on every recompute, and a tuple is several times cheaper to build.
    """

    path: tuple[int, ...]
    neighbor: str
    neighbor_key: int
    source: str  # the device it was learned from
    ibgp: bool


@dataclass(slots=True)
class _Bgp:
    best: dict[str, dict[str, _Best]] = field(default_factory=dict)
    # best again, grouped by the device it came from: a hub skips whole groups its spokes
    # learned from the hub itself instead of looking at each prefix
    by_source: dict[str, dict[str, dict[str, _Best]]] = field(default_factory=dict)
    received: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def _originated(dev: _Device, local: _Local) -> tuple[str, ...]:
    out: list[str] = []
    for text in dev.facts.bgp_networks:
        net = _network(text)
        if net is not None and str(net) in local.prefixes:
            out.append(str(net))
    return tuple(dict.fromkeys(out))


def _bgp(
    devices: Mapping[str, _Device],
    locals_: Mapping[str, _Local],
    sessions: Mapping[str, dict[str, _Session]],
) -> _Bgp:
    """Best paths and Adj-RIB-In for every device, iterated to a fixpoint."""
    originated = {name: _originated(dev, locals_[name]) for name, dev in devices.items()}
    state = _Bgp(
        best={name: {} for name in devices},
        by_source={name: {} for name in devices},
        received={name: {} for name in devices},
    )
    receivers: dict[str, set[str]] = {name: set() for name in devices}
    for name, by_address in sessions.items():
        for session in by_address.values():
            receivers[session.peer].add(name)
    dirty = [name for name in sorted(devices) if sessions[name]]
    # Shortest-path selection settles within the network's diameter; the bound only
    # guarantees termination should a preference ever oscillate.
    step = 0
    computed_at: dict[str, int] = {}
    changed_at: dict[str, int] = {}
    for _round in range(len(devices) + 2):
        if not dirty:
            break
        changed: set[str] = set()
        for name in dirty:
            step += 1
            computed_at[name] = step
            table = _recompute(name, devices, originated, sessions[name], state)
            if table != state.best[name]:
                state.best[name] = table
                groups: dict[str, dict[str, _Best]] = {}
                for prefix, best in table.items():
                    groups.setdefault(best.source, {})[prefix] = best
                state.by_source[name] = groups
                changed.add(name)
                changed_at[name] = step
        # only those that computed before a sender's last change have stale input
        dirty = sorted(
            {r for c in changed for r in receivers[c] if computed_at.get(r, 0) < changed_at[c]}
        )
    return state


def _recompute(
    name: str,
    devices: Mapping[str, _Device],
    originated: Mapping[str, tuple[str, ...]],
    sessions: Mapping[str, _Session],
    state: _Bgp,
) -> dict[str, _Best]:
    my_as = devices[name].facts.bgp_as
    own = set(originated[name])
    table: dict[str, _Best] = {}
    received: dict[str, tuple[str, ...]] = {}
    for address, session in sessions.items():
        peer = devices[session.peer]
        peer_as = peer.facts.bgp_as
        if peer_as is None or my_as is None:  # sessions exist only between BGP speakers
            continue
        key = _address_int(address)
        offers: dict[str, tuple[int, ...]] = {}
        for source, group in state.by_source[session.peer].items():
            if source == name:
                continue
            for prefix, best in group.items():
                if session.ebgp or not best.ibgp:
                    offers[prefix] = best.path
        for prefix in originated[session.peer]:
            offers[prefix] = ()
        if session.peer_entry.default_originate:
            offers[DEFAULT_ROUTE] = ()
        mine = next((n for n in devices[name].facts.bgp_neighbors
                     if n.remote_address == address), None)
        accepted: list[str] = []
        for prefix, path in offers.items():
            full = (peer_as, *path) if session.ebgp else path
            if my_as in full:
                continue
            # the sender's outbound and the receiver's inbound prefix filters
            if not filter_passes(session.peer_entry.send, prefix) or (
                    mine is not None and not filter_passes(mine.accept, prefix)):
                continue
            accepted.append(prefix)
            if prefix in own:
                continue
            current = table.get(prefix)
            if current is None or (len(full), key) < (len(current.path), current.neighbor_key):
                table[prefix] = _Best(full, address, key, session.peer, not session.ebgp)
        received[address] = tuple(sorted(accepted, key=_prefix_key))
    state.received[name] = received
    return table


@functools.lru_cache(maxsize=1 << 16)
def _prefix_key(prefix: str) -> tuple[int, int]:
    """Sort key of a normalised prefix; cached because hubs sort the same ones repeatedly."""
    net = ipaddress.IPv4Network(prefix)
    return int(net.network_address), net.prefixlen


# --------------------------------------------------------------------------- snapshot


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """Everything derived from one set of generations.

    Routing tables and their lookup indexes are built per device on first use (under the
    fabric's lock): a show command on one router should not pay for all 300 tables.
    """

    devices: Mapping[str, _Device]
    owners: Mapping[str, list[str]]
    underlay: frozenset[str]
    sas: _Sas
    tunnels_up: Mapping[tuple[str, str], _TunnelEnd]
    sessions: Mapping[str, dict[str, _Session]]
    locals_: Mapping[str, _Local]
    bgp: _Bgp
    route_cache: dict[str, tuple[Route, ...]] = field(default_factory=dict)
    lookup_cache: dict[str, _Lpm[Route]] = field(default_factory=dict)

    def routes(self, device: str) -> tuple[Route, ...]:
        cached = self.route_cache.get(device)
        if cached is not None:
            return cached
        local = self.locals_.get(device)
        if local is None:
            return ()
        sessions = self.sessions[device]
        learned = [
            Route(prefix, "bgp", best.neighbor, sessions[best.neighbor].interface)
            for prefix, best in self.bgp.best[device].items()
            if prefix not in local.prefixes
        ]
        table = tuple(
            sorted(
                [*local.routes, *learned],
                key=lambda r: (*_prefix_key(r.prefix), _PROTOCOL_ORDER.get(r.protocol, 9)),
            )
        )
        self.route_cache[device] = table
        return table


def _build(facts: Mapping[str, DeviceFacts]) -> _Snapshot:
    devices = {name: _device(name, f) for name, f in sorted(facts.items())}
    owners: dict[str, list[str]] = {}
    for dev in devices.values():
        for address in sorted(dev.owned):
            owners.setdefault(address, []).append(dev.name)
    underlay = frozenset(
        a
        for dev in devices.values()
        for a in (
            *(t.local_underlay for t in dev.facts.tunnels),
            *(p.local_address for p in dev.facts.ipsec_peers),
        )
        if a in dev.owned
    )
    sas = _ipsec(devices)
    tunnels_up = _tunnels(devices, sas)
    locals_ = {name: _local_routes(dev, tunnels_up) for name, dev in devices.items()}
    sessions = _sessions(devices, owners, locals_, tunnels_up)
    bgp = _bgp(devices, locals_, sessions)
    return _Snapshot(devices, owners, underlay, sas, tunnels_up, sessions, locals_, bgp)


# --------------------------------------------------------------------------- forwarding


def _lookup(snap: _Snapshot, device: str, destination: str) -> Route | None:
    """Longest-prefix match in ``device``'s table (tables indexed on first use)."""
    index = snap.lookup_cache.get(device)
    if index is None:
        index = _lpm_index((ipaddress.IPv4Network(r.prefix), r) for r in snap.routes(device))
        snap.lookup_cache[device] = index
    return _lpm_find(index, _address_int(destination))


INTERNET = "<internet>"  # the next hop of a packet the ISP carries to the internet


@dataclass(frozen=True, slots=True)
class _Hop:
    device: str  # a device, or INTERNET
    interface: str  # the exit interface on the device the packet leaves
    arrival: str | None = None  # the interface it comes in on at ``device``


def _is_internet(snap: _Snapshot, address: str) -> bool:
    return address not in snap.owners and ipaddress.IPv4Address(address).is_global


def _next_hop(snap: _Snapshot, device: str, destination: str) -> _Hop | None:
    """The device a packet for ``destination`` goes to next from ``device``, and the exit."""
    route = _lookup(snap, device, destination)
    if route is None or route.interface is None or route.interface in NULL_INTERFACES:
        return None
    via = route.gateway or destination
    far_tunnel = snap.tunnels_up.get((device, route.interface))
    if far_tunnel is not None:
        if via in snap.devices[far_tunnel.device].owned:
            return _Hop(far_tunnel.device, route.interface, far_tunnel.tunnel)
        return None
    if route.interface in snap.devices[device].tunnel_names:
        return None
    nearby = [o for o in snap.owners.get(via, ()) if o != device]
    if nearby:
        return _Hop(nearby[0], route.interface, snap.devices[nearby[0]].iface_of.get(via))
    if via != destination and destination in snap.underlay:
        # Out through a gateway the lab does not model: the internet carries underlay only.
        far = [o for o in snap.owners.get(destination, ()) if o != device]
        if far:
            return _Hop(far[0], route.interface, snap.devices[far[0]].iface_of.get(destination))
    if via != destination and via not in snap.owners and _is_internet(snap, destination):
        return _Hop(INTERNET, route.interface)
    return None


def _net_match(address: str, prefixes: tuple[str, ...]) -> bool:
    if not prefixes:
        return True
    ip = ipaddress.IPv4Address(address)
    return any(ip in ipaddress.IPv4Network(p, strict=False) for p in prefixes)


def _rule_matches(rule: FilterRuleFact, src: str, dst: str, state: str) -> bool:
    return (_net_match(src, rule.sources) and _net_match(dst, rule.destinations)
            and (not rule.states or state in rule.states))


def _first_match(rules: tuple[FilterRuleFact, ...], default: str, src: str, dst: str,
                 state: str) -> str:
    for rule in rules:
        if _rule_matches(rule, src, dst, state):
            return rule.action
    return default


def _allowed(dev: _Device, arrival: str | None, src: str, dst: str, state: str) -> bool:
    """Do ``dev``'s filters let in a packet that arrives on ``arrival``?"""
    forwarded = dst not in dev.owned
    for f in dev.facts.filters:
        if f.interface is not None and f.interface != arrival:
            continue
        if f.forwarded_only and not forwarded:
            continue
        if _first_match(f.rules, f.default, src, dst, state) != "permit":
            return False
    return True


def _translated(snap: _Snapshot, dev: _Device, arrival: str | None, exit_if: str, src: str,
                dst: str) -> str | None:
    """The public source ``dev`` gives a packet it sends to the internet (None: none)."""
    for nat in dev.facts.source_nat:
        if nat.out_interface != exit_if:
            continue
        if nat.inside is not None and arrival not in nat.inside:
            continue
        if _first_match(nat.match, "deny", src, dst, "new") == "permit":
            public = dev.iface_address.get(exit_if)
            if public is not None:
                return public
    return None


@dataclass(frozen=True, slots=True)
class _Reached:
    device: str  # the device that answers (for the internet: the one that NATs)
    first_exit: str | None
    internet: bool = False
    arrival: str | None = None  # where the answer comes back in (the NAT's interface)


def _trace(snap: _Snapshot, start: str, destination: str, source: str | None = None,
           state: str = "new", arrival: str | None = None,
           lan: tuple[str, str] | None = None) -> _Reached | None:
    """Where a packet from ``start`` to ``destination`` ends, or None when it is lost.

    ``arrival`` is the interface of ``start`` it came in on (None: ``start`` sends it);
    ``lan`` (device, interface) delivers a packet for a host on that LAN.
    """
    current = start
    first_exit: str | None = None
    visited = {start}
    for _ in range(MAX_HOPS + 1):
        dev = snap.devices[current]
        if arrival is not None and source is not None and \
                not _allowed(dev, arrival, source, destination, state):
            return None
        if destination in dev.owned:
            return _Reached(current, first_exit)
        if lan is not None and current == lan[0]:
            route = _lookup(snap, current, destination)
            if route is not None and route.protocol == "connected" and \
                    route.interface == lan[1]:
                return _Reached(current, first_exit)
        hop = _next_hop(snap, current, destination)
        if hop is None:
            return None
        if first_exit is None:
            first_exit = hop.interface
        if hop.device == INTERNET:
            if source is None or _translated(snap, dev, arrival, hop.interface, source,
                                             destination) is None:
                return None  # nobody on the internet answers a private source
            return _Reached(current, first_exit, internet=True, arrival=hop.interface)
        if hop.device in visited:
            return None
        visited.add(hop.device)
        current = hop.device
        arrival = hop.arrival
    return None


def _source_for(snap: _Snapshot, dev: _Device, destination: str) -> str | None:
    """The address ``dev`` sends from toward ``destination``: its exit interface's."""
    hop = _next_hop(snap, dev.name, destination)
    return dev.iface_address.get(hop.interface) if hop is not None else None


def _answered(snap: _Snapshot, reached: _Reached, device: str, src: str, destination: str,
              lan: tuple[str, str] | None) -> bool:
    """Does the reply from where the request ended get back to ``src`` on ``device``?"""
    back = _trace(snap, reached.device, src, destination, "established",
                  reached.arrival if reached.internet else None, lan)
    return back is not None and back.device == device


def _ping(snap: _Snapshot, device: str, destination: str, source: str | None) -> bool:
    dev = snap.devices.get(device)
    dest = _host(destination)
    if dev is None or dest is None or "/" in destination:
        return False
    if dest in dev.owned:
        return True
    src: str | None = None
    if source is not None:
        src = dev.iface_address.get(source, _host(source))
        if src is None or src not in dev.owned:
            return False
    else:
        src = _source_for(snap, dev, dest)
        if src is None:
            return False
    reached = _trace(snap, device, dest, src)
    return reached is not None and _answered(snap, reached, device, src, dest, None)


def _host_ping(snap: _Snapshot, device: str, interface: str, destination: str) -> bool:
    """A ping from a host on the LAN of ``device``'s ``interface`` (its last usable
    address), through ``device`` as traffic from that LAN goes."""
    dev = snap.devices.get(device)
    dest = _host(destination)
    gateway = dev.iface_address.get(interface) if dev is not None else None
    if dev is None or dest is None or gateway is None:
        return False
    net = next((ipaddress.IPv4Network(a, strict=False) for i, a in dev.facts.addresses
                if i == interface and _host(a) == gateway), None)
    if net is None or net.num_addresses < 4:
        return False
    host = str(net.broadcast_address - 1)
    lan = (device, interface)
    reached = _trace(snap, device, dest, host, "new", interface)
    return reached is not None and _answered(snap, reached, device, host, dest, lan)


# --------------------------------------------------------------------------- the fabric


class Fabric:
    """The shared network model every engine of one lab queries (a ``FabricView``)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._engines: dict[str, DeviceEngine] = {}
        self._powered: dict[str, bool] = {}
        self._facts: dict[str, tuple[int, DeviceFacts]] = {}
        self._topology_version = 0
        self._built_version = -1
        self._snapshot: _Snapshot | None = None

    # ---- membership

    def attach(self, engine: DeviceEngine) -> None:
        """Put ``engine``'s router on the network, powered up (replaces a same-named one)."""
        with self._lock:
            self._engines[engine.name] = engine
            self._powered[engine.name] = True
            self._facts.pop(engine.name, None)
            self._topology_version += 1

    def detach(self, name: str) -> None:
        """Take a router off the network; an unknown name is a lab bug, so it raises."""
        with self._lock:
            self._require(name)
            del self._engines[name]
            del self._powered[name]
            self._facts.pop(name, None)
            self._topology_version += 1

    def set_power(self, name: str, up: bool) -> None:
        """A powered-off (rebooting, unreachable) router drops every SA and session."""
        with self._lock:
            self._require(name)
            if self._powered[name] != up:
                self._powered[name] = up
                self._topology_version += 1

    def devices(self) -> tuple[str, ...]:
        """Attached routers, powered or not (for the lab's control API and its tests)."""
        with self._lock:
            return tuple(sorted(self._engines))

    def _require(self, name: str) -> None:
        if name not in self._engines:
            raise LabError(f"no device {name!r} is attached to the fabric")

    # ---- recompute

    def _current(self) -> _Snapshot:
        with self._lock:
            stale = self._built_version != self._topology_version or self._snapshot is None
            for name, engine in self._engines.items():
                cached = self._facts.get(name)
                if cached is None or cached[0] != engine.generation:
                    generation = engine.generation
                    self._facts[name] = (generation, engine.facts())
                    stale = True
            if stale or self._snapshot is None:
                powered = {
                    name: facts
                    for name, (_, facts) in self._facts.items()
                    if self._powered.get(name, False)
                }
                self._snapshot = _build(powered)
                self._built_version = self._topology_version
            return self._snapshot

    # ---- FabricView

    def ipsec_up(self, device: str, peer: str) -> bool:
        return peer in self._current().sas.names.get(device, frozenset())

    def tunnel_up(self, device: str, tunnel: str) -> bool:
        return (device, tunnel) in self._current().tunnels_up

    def bgp_learned_within(self, device: str, prefix: str) -> bool:
        """Whether ``device`` holds a BGP route inside ``prefix`` (what another region sent
        it: an interconnect's filters decide; a question of the lab, asked by rehearse)."""
        net = ipaddress.IPv4Network(prefix)
        table = self._current().bgp.best.get(device, {})
        return any(ipaddress.IPv4Network(p).subnet_of(net) for p in table)

    def bgp_established(self, device: str, neighbor: str) -> bool:
        return neighbor in self._current().sessions.get(device, {})

    def bgp_peer_router_id(self, device: str, neighbor: str) -> str | None:
        """The BGP identifier of the router behind ``device``'s established session to
        ``neighbor`` (what ``show bgp neighbors`` calls the remote router ID)."""
        snap = self._current()
        session = snap.sessions.get(device, {}).get(neighbor)
        if session is None:
            return None
        facts = snap.devices[session.peer].facts
        if facts.bgp_router_id:
            return facts.bgp_router_id
        owned = [a.split("/")[0] for _, a in facts.addresses]
        return max(owned, key=_address_int) if owned else None

    def bgp_received(self, device: str, neighbor: str) -> tuple[str, ...]:
        return self._current().bgp.received.get(device, {}).get(neighbor, ())

    def routes(self, device: str) -> tuple[Route, ...]:
        snap = self._current()
        with self._lock:  # the table is built lazily inside the snapshot
            return snap.routes(device)

    def ping(self, device: str, destination: str, source: str | None = None) -> bool:
        snap = self._current()
        with self._lock:  # the lookup index is filled lazily inside the snapshot
            return _ping(snap, device, destination, source)

    def host_ping(self, device: str, interface: str, destination: str) -> bool:
        """Would a host on the LAN of ``device``'s ``interface`` get an answer? (A question
        of the lab, not of a router: no engine asks it.)"""
        snap = self._current()
        with self._lock:
            return _host_ping(snap, device, interface, destination)
