"""The lab's topology: what a set of real FRR routers in namespaces is made of.

Values only, checked once in :func:`NetnsTopology.check` before anything is created, so a
bad topology fails with a clear message instead of half a lab (Linux truncates nothing: an
interface name over 15 characters is refused by the kernel mid-way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Interface

from pydriver.errors import LabError

IFNAME_MAX = 15
ROUTER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,10}$")  # "pdm-" + name must fit IFNAME_MAX
SEGMENT_NAME = re.compile(r"^[a-z][a-z0-9-]{0,11}$")  # "br-" + name must fit IFNAME_MAX
IFNAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$")
KINDS = ("wan", "lan", "fibre")
DAEMONS = ("staticd", "bgpd", "ospfd")
RESERVED_IFNAMES = ("lo", "eth0", "ipsec0")  # loopback, management, strongSwan's TUN
MGMT_IFNAME = "eth0"

Endpoint = tuple[str, str]  # (router name, interface name)


@dataclass(frozen=True, slots=True)
class NetnsInterface:
    """A data interface of a router; addresses are set by the lab, as the OS would at boot.

    An interface that no link or segment uses becomes an empty bridge (a LAN with no hosts
    yet): an empty bridge is LOWER_UP, so FRR treats it as a live connected network.
    """

    name: str
    addresses: tuple[str, ...] = ()
    kind: str = "lan"


@dataclass(frozen=True, slots=True)
class NetnsRouter:
    name: str
    mgmt_address: str  # "10.10.99.21/24", on eth0, which sits on the management bridge
    interfaces: tuple[NetnsInterface, ...] = ()
    daemons: tuple[str, ...] = ("staticd", "bgpd")  # zebra always runs
    hostname: str = ""  # the router's own name (uname, vtysh prompt); default: ``name``

    @property
    def system_name(self) -> str:
        """The name the router calls itself; ``name`` is only the lab's short handle."""
        return self.hostname or self.name

    @property
    def mgmt_host(self) -> str:
        return str(IPv4Interface(self.mgmt_address).ip)

    def interface(self, name: str) -> NetnsInterface:
        for i in self.interfaces:
            if i.name == name:
                return i
        raise LabError(f"router {self.name} has no interface {name}")


@dataclass(frozen=True, slots=True)
class NetnsLink:
    """A point-to-point cable (veth pair) between two routers' interfaces."""

    a: Endpoint
    b: Endpoint


@dataclass(frozen=True, slots=True)
class NetnsSegment:
    """A shared L2 network (a bridge) in the provider namespace.

    ``gateway_addresses`` are set on that bridge; the provider namespace forwards between
    all its segments, so a segment with gateways is a piece of "the internet" (or of an
    ISP's metro network) and two such segments reach each other through it.
    """

    name: str
    members: tuple[Endpoint, ...]
    gateway_addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetnsTopology:
    routers: tuple[NetnsRouter, ...]
    links: tuple[NetnsLink, ...] = ()
    segments: tuple[NetnsSegment, ...] = ()
    mgmt_bridge_address: str = "10.10.99.250/24"
    mgmt_bridge: str = "pdmgmt0"  # another name (and network) lets a second lab run alongside
    username: str = "root"
    password: str = "lab"

    def router(self, name: str) -> NetnsRouter:
        for r in self.routers:
            if r.name == name:
                return r
        raise LabError(f"no router named {name} in the topology")

    def wired(self) -> set[Endpoint]:
        """Every (router, interface) that a link or a segment uses."""
        used: set[Endpoint] = set()
        for link in self.links:
            used.update((link.a, link.b))
        for seg in self.segments:
            used.update(seg.members)
        return used

    def check(self) -> None:
        """Refuse a topology the kernel or the lab would reject half-way through."""
        problems: list[str] = []
        names = [r.name for r in self.routers]
        if not self.routers:
            problems.append("a topology needs at least one router")
        problems += [f"router {n} appears twice" for n in set(names) if names.count(n) > 1]
        mgmt_net = _interface(self.mgmt_bridge_address, "mgmt_bridge_address", problems)
        if not re.fullmatch(r"[a-z][a-z0-9]{0,9}", self.mgmt_bridge):
            problems.append(f"mgmt_bridge {self.mgmt_bridge!r}: lower-case letters and digits, "
                            "at most 10 characters")
        if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", self.username):
            problems.append(f"username {self.username!r} is not a valid login name")
        for r in self.routers:
            problems += _check_router(r, mgmt_net)
        endpoints: list[Endpoint] = []
        for link in self.links:
            endpoints += [link.a, link.b]
        for seg in self.segments:
            if not SEGMENT_NAME.match(seg.name):
                problems.append(f"segment name {seg.name!r}: lower-case letters, digits and "
                                "'-', at most 12 characters")
            endpoints += list(seg.members)
            for g in seg.gateway_addresses:
                _interface(g, f"segment {seg.name} gateway", problems)
        seg_names = [s.name for s in self.segments]
        problems += [f"segment {n} appears twice" for n in set(seg_names)
                     if seg_names.count(n) > 1]
        for router, ifname in endpoints:
            if router not in names:
                problems.append(f"{router}:{ifname} names an unknown router")
            elif ifname not in {i.name for i in self.router(router).interfaces}:
                problems.append(f"{router}:{ifname}: the router has no such interface")
        problems += [f"{r}:{i} is wired twice" for r, i in set(endpoints)
                     if endpoints.count((r, i)) > 1]
        if problems:
            raise LabError("the lab topology is not usable:\n  " + "\n  ".join(problems))


def _interface(text: str, what: str, problems: list[str]) -> IPv4Interface | None:
    try:
        return IPv4Interface(text)
    except ValueError:
        problems.append(f"{what}: {text!r} is not an IPv4 address with a prefix length")
        return None


def _check_router(r: NetnsRouter, mgmt_net: IPv4Interface | None) -> list[str]:
    problems: list[str] = []
    if not ROUTER_NAME.match(r.name):
        problems.append(f"router name {r.name!r}: lower-case letters, digits and '-', "
                        "at most 11 characters, starting with a letter")
    mgmt = _interface(r.mgmt_address, f"router {r.name} mgmt_address", problems)
    if mgmt and mgmt_net and mgmt.network != mgmt_net.network:
        problems.append(f"router {r.name}: mgmt address {mgmt} is not in the management "
                        f"network {mgmt_net.network}")
    ifnames = [i.name for i in r.interfaces]
    problems += [f"router {r.name}: interface {n} appears twice" for n in set(ifnames)
                 if ifnames.count(n) > 1]
    for i in r.interfaces:
        if not IFNAME.match(i.name) or i.name in RESERVED_IFNAMES:
            problems.append(f"router {r.name}: interface name {i.name!r} is not usable "
                            f"(at most {IFNAME_MAX} characters; {', '.join(RESERVED_IFNAMES)} "
                            "are the lab's own)")
        if i.kind not in KINDS:
            problems.append(f"router {r.name}: interface {i.name} kind {i.kind!r} is not "
                            f"one of {', '.join(KINDS)}")
        for a in i.addresses:
            _interface(a, f"router {r.name} {i.name}", problems)
    problems += [f"router {r.name}: unknown daemon {d!r} (known: {', '.join(DAEMONS)})"
                 for d in r.daemons if d not in DAEMONS]
    return problems


@dataclass(frozen=True, slots=True)
class LabEndpoint:
    """Where pydriver logs in to a lab router (from the root namespace)."""

    name: str
    host: str
    port: int
    username: str
    password: str
    device_type: str = "linux"
