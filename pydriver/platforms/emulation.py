"""The contract between the SSH server, the per-platform device engines and the fabric.

The server owns sockets, echo, line endings and fault knobs; an engine owns one router's
configuration state and its command language; the fabric owns what neither end can know
alone (is a tunnel up, is a BGP session established, which routes exist). Keeping the three
apart lets one process host hundreds of routers and lets engines be unit-tested with no
socket at all.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class TimerHandle(Protocol):
    """What :meth:`Scheduler.call_later` returns: something that can be cancelled."""

    def cancel(self) -> None: ...


class Scheduler(Protocol):
    """Runs a callback later; the server backs it with the asyncio loop, tests with a fake."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle: ...


class _Never:
    def cancel(self) -> None:
        return None


class NoTimers:
    """A scheduler whose jobs never fire: for engines used with no time passing (an offline
    text transform, a unit test of what a command does)."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        return _Never()


@dataclass(frozen=True, slots=True)
class IpsecPeerFact:
    """One IKEv2 peer as a device is configured, in platform-neutral terms.

    Proposal items are canonical strings so ends on different platforms compare equal:
    encryption ``aes-256-gcm``/``aes-128-gcm``/``aes-256-cbc``/``aes-128-cbc``,
    integrity ``sha256``/``sha384``/``sha512``, DH groups as ints (14, 19, 20, 21).
    """

    name: str
    local_address: str
    remote_address: str
    ike_encryption: frozenset[str]
    ike_integrity: frozenset[str]
    ike_dh_groups: frozenset[int]
    esp_encryption: frozenset[str]
    esp_integrity: frozenset[str]
    esp_pfs_groups: frozenset[int]
    psk: str
    ike_version: int = 2


@dataclass(frozen=True, slots=True)
class TunnelFact:
    """A point-to-point tunnel interface (GRE over IPsec, or IPsec VTI)."""

    name: str
    local_underlay: str
    remote_underlay: str
    address: str  # inner address with prefix, e.g. "10.254.0.2/30"
    protected: bool  # True when the tunnel rides an IPsec SA (needs a matching IpsecPeerFact)


@dataclass(frozen=True, slots=True)
class BgpNeighborFact:
    """One configured BGP neighbour."""

    remote_address: str
    remote_as: int
    default_originate: bool = False
    # prefix filters as (prefix "a.b.c.d/len", longest length taken): what is accepted
    # from this neighbour and sent to it; None: no filter (everything)
    accept: tuple[tuple[str, int], ...] | None = None
    send: tuple[tuple[str, int], ...] | None = None


def filter_passes(entries: tuple[tuple[str, int], ...] | None, prefix: str) -> bool:
    """Whether a prefix filter (as in :class:`BgpNeighborFact`) lets ``prefix`` through."""
    if entries is None:
        return True
    net = ipaddress.IPv4Network(prefix)
    for entry, longest in entries:
        allowed = ipaddress.IPv4Network(entry)
        if net.subnet_of(allowed) and allowed.prefixlen <= net.prefixlen <= longest:
            return True
    return False


@dataclass(frozen=True, slots=True)
class FilterRuleFact:
    """One rule of a packet filter (an ACL entry, a firewall rule), for a ping: the first
    rule whose every condition matches decides. Empty address lists match any address;
    ``states`` are the connection states it matches (empty: any)."""

    action: str  # "permit" | "deny"
    sources: tuple[str, ...] = ()  # "a.b.c.d/len"
    destinations: tuple[str, ...] = ()
    states: frozenset[str] = frozenset()  # "new", "established"


@dataclass(frozen=True, slots=True)
class PacketFilterFact:
    """The rules a packet arriving on ``interface`` (None: any) passes through.

    ``forwarded_only``: a firewall's forward chain (RouterOS) sees only packets the device
    forwards; an interface ACL (IOS ``ip access-group ... in``) sees every packet that
    comes in, to the device itself too. ``default`` decides when no rule matches."""

    interface: str | None
    rules: tuple[FilterRuleFact, ...]
    default: str = "permit"
    forwarded_only: bool = True


@dataclass(frozen=True, slots=True)
class SourceNatFact:
    """Source NAT to ``out_interface``'s address (IOS ``overload``, RouterOS masquerade)
    for packets leaving through it that ``match`` permits; ``inside`` (IOS) names the
    interfaces such packets must have come in on (None: any)."""

    out_interface: str
    match: tuple[FilterRuleFact, ...]
    inside: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    """What a device's configuration says, as far as the shared network model cares."""

    name: str
    addresses: tuple[tuple[str, str], ...] = ()  # (interface, "a.b.c.d/len")
    tunnels: tuple[TunnelFact, ...] = ()
    ipsec_peers: tuple[IpsecPeerFact, ...] = ()
    bgp_as: int | None = None
    bgp_router_id: str | None = None
    bgp_neighbors: tuple[BgpNeighborFact, ...] = ()
    bgp_networks: tuple[str, ...] = ()  # prefixes announced, "a.b.c.d/len"
    static_routes: tuple[tuple[str, str], ...] = ()  # (prefix, gateway)
    filters: tuple[PacketFilterFact, ...] = ()
    source_nat: tuple[SourceNatFact, ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """A configuration line an engine would not take, where it was and what it said."""

    line_no: int  # 1-based, in the text given to ``load_config``
    text: str
    error: str  # the device's own message (IOS: the caret line and ``% Invalid input ...``)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What ``load_config`` made of a saved configuration: how many configuration lines it
    read (comments, blank lines and the text inside banners and certificates not counted)
    and which of them it refused. The engine runs what it accepted."""

    lines: int
    refused: tuple[Refused, ...] = ()

    @property
    def accepted(self) -> int:
        return self.lines - len(self.refused)

    @property
    def ratio(self) -> float:
        return self.accepted / self.lines if self.lines else 1.0


@dataclass(slots=True)
class Faults:
    """Fault knobs per device, set by tests through the lab's control API."""

    drop_after_commands: int | None = None  # close the session after N commands
    reject_pattern: str | None = None  # regex: a matching command is rejected as invalid
    latency_ms: int = 0  # delay before each reply
    refuse_login: bool = False
    commands_seen: int = 0  # configuration commands received (used to prove idempotence)
    sessions_opened: int = 0  # SSH connections accepted (one per router is the ideal)
    log: list[str] = field(default_factory=list)  # every line received, in order


# a configuration line a router reads from a file (``copy <file> running-config``), shown to
# the server's fault knobs first, as a typed line is: None lets it through, a message
# refuses it; ``SessionDropped`` cuts the session there
LineGate = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Route:
    """One route in a device's table as the fabric derives it."""

    prefix: str  # "a.b.c.d/len"
    protocol: str  # "connected" | "static" | "bgp"
    gateway: str | None = None
    interface: str | None = None


class FabricView(Protocol):
    """The shared network model as one device sees it (see ``fabric.py``)."""

    def ipsec_up(self, device: str, peer: str) -> bool:
        """Is the IKE/Child SA of ``device``'s peer named ``peer`` established?"""
        ...

    def tunnel_up(self, device: str, tunnel: str) -> bool:
        """Is ``device``'s tunnel interface ``tunnel`` passing traffic?"""
        ...

    def bgp_established(self, device: str, neighbor: str) -> bool:
        """Is ``device``'s BGP session to ``neighbor`` (address) established?"""
        ...

    def bgp_received(self, device: str, neighbor: str) -> tuple[str, ...]:
        """Prefixes ``device`` receives from ``neighbor`` (empty unless established)."""
        ...

    def routes(self, device: str) -> tuple[Route, ...]:
        """``device``'s routing table: connected, static and BGP-learned routes."""
        ...

    def ping(self, device: str, destination: str, source: str | None = None) -> bool:
        """Would a ping from ``device`` (optionally sourced from ``source``) be answered?"""
        ...


class Session(Protocol):
    """One SSH shell session on a device: its own mode/menu, the device's shared state."""

    def banner(self) -> str:
        """Text shown after login, before the first prompt (may be empty)."""
        ...

    def prompt(self) -> str:
        """The prompt to show now (changes with mode, menu and identity)."""
        ...

    def handle(self, line: str) -> str:
        """Run one input line; return its output with "\\n" line ends (no prompt)."""
        ...

    @property
    def closed(self) -> bool:
        """True once the user has logged out (``exit``/``quit`` at the top level)."""
        ...


class DeviceEngine(Protocol):
    """One emulated router's configuration state and command language, with no socket.

    Engines are built as ``Engine(name, scheduler=..., fabric=...)`` and must bump
    ``generation`` on every configuration change so the fabric knows to recompute.
    """

    name: str
    platform: str
    generation: int

    def open_session(self, username: str) -> Session:
        """A new shell for ``username`` (already authenticated by the server)."""
        ...

    def reboot(self) -> None:
        """Power-cycle: unsaved state is lost where the platform loses it."""
        ...

    def facts(self) -> DeviceFacts:
        """The network-relevant facts of the current configuration."""
        ...
