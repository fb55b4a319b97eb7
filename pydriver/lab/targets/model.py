"""What a targets lab is made of: the servers asked for, the targets that came up, the plan.

Pure code: it checks a request before anything is created (names, addresses, subnets) and
chooses the host's gateway address in each server subnet, so a request that cannot work is
refused with every reason at once and leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

from pydriver.errors import LabError

MAX_TARGETS = 16
USER = "root"
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """A server to boot: its name (the target's hostname) and its address with prefix."""

    name: str
    address: IPv4Interface

    @classmethod
    def of(cls, name: str, address: str | IPv4Interface) -> TargetSpec:
        try:
            return cls(name, IPv4Interface(address))
        except ValueError as exc:
            raise LabError(f"{name}: {address!r} is not an IPv4 address/prefix") from exc


@dataclass(frozen=True, slots=True)
class Target:
    """A running target and how to log in to it (root, the lab's key, its known host key)."""

    name: str
    interface: IPv4Interface
    gateway: IPv4Address
    user: str
    ssh_key: Path
    known_hosts: Path

    @property
    def address(self) -> IPv4Address:
        return self.interface.ip

    def ssh_argv(self, *command: str) -> list[str]:
        """An ``ssh`` command line that logs in non-interactively and checks the host key."""
        return ["ssh", "-i", str(self.ssh_key), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", f"UserKnownHostsFile={self.known_hosts}",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR", f"{self.user}@{self.address}", *command]


@dataclass(frozen=True, slots=True)
class TargetStatus:
    name: str
    running: bool  # the container's systemd is alive
    ssh: bool  # its sshd answers on the target's address
    memory_kib: int  # proportional set size of every process in the container

    @property
    def healthy(self) -> bool:
        return self.running and self.ssh


@dataclass(frozen=True, slots=True)
class LabStatus:
    bridge: bool
    proxy: bool
    targets: tuple[TargetStatus, ...]

    @property
    def healthy(self) -> bool:
        return self.bridge and self.proxy and all(t.healthy for t in self.targets)


@dataclass(frozen=True, slots=True)
class UpTimings:
    """Where the time of one ``up`` went, in seconds (the figures to watch in CI)."""

    image: float  # building the image, or finding it in the cache
    image_built: bool
    unpack: float
    network: float  # bridge and apt proxy
    boot: dict[str, float] = field(default_factory=dict)  # nspawn start to sshd answering
    total: float = 0.0


@dataclass(frozen=True, slots=True)
class Plan:
    """A checked request: the targets in order and the host's address in each subnet."""

    specs: tuple[TargetSpec, ...]
    gateways: dict[IPv4Network, IPv4Interface]

    def gateway(self, spec: TargetSpec) -> IPv4Interface:
        return self.gateways[spec.address.network]


def plan(servers: Sequence[TargetSpec | tuple[str, str | IPv4Interface]],
         reserved: Collection[IPv4Address] = ()) -> Plan:
    """Check the servers and choose gateways; every problem is reported in one LabError.

    The gateway of a subnet is its highest host address that no target uses and that is not
    ``reserved`` (addresses the source of truth gives to routers or other hosts), so the lab
    never answers ARP for an address a real device of that zone owns.
    """
    specs = tuple(s if isinstance(s, TargetSpec) else TargetSpec.of(*s) for s in servers)
    problems: list[str] = []
    if not specs:
        problems.append("at least one server is needed")
    if len(specs) > MAX_TARGETS:
        problems.append(f"{len(specs)} servers: at most {MAX_TARGETS} targets at once")
    seen_names: set[str] = set()
    seen_addresses: dict[IPv4Address, str] = {}
    for s in specs:
        if not _NAME.fullmatch(s.name):
            problems.append(f"{s.name!r}: a target name is a lower-case hostname label of at "
                            "most 32 characters")
        if s.name in seen_names:
            problems.append(f"{s.name}: listed twice")
        seen_names.add(s.name)
        net = s.address.network
        if net.prefixlen > 30 or net.prefixlen < 8:
            problems.append(f"{s.name}: prefix /{net.prefixlen} (the lab needs /8 to /30)")
        elif s.address.ip in (net.network_address, net.broadcast_address):
            problems.append(f"{s.name}: {s.address.ip} is not a host address of {net}")
        other = seen_addresses.get(s.address.ip)
        if other is not None:
            problems.append(f"{s.name}: address {s.address.ip} is also {other}'s")
        seen_addresses[s.address.ip] = s.name
    nets = sorted({s.address.network for s in specs})
    for i, a in enumerate(nets):
        for b in nets[i + 1:]:
            if a.overlaps(b):
                problems.append(f"subnets {a} and {b} overlap")
    taken = set(seen_addresses) | set(reserved)
    gateways: dict[IPv4Network, IPv4Interface] = {}
    for net in nets:
        if net.prefixlen > 30 or net.prefixlen < 8:
            continue
        gw = next((a for a in _hosts_from_top(net) if a not in taken), None)
        if gw is None:
            problems.append(f"{net}: no free address left for the lab's gateway")
        else:
            gateways[net] = IPv4Interface(f"{gw}/{net.prefixlen}")
    if problems:
        raise LabError("the targets cannot be set up:\n  " + "\n  ".join(problems))
    return Plan(specs, gateways)


def _hosts_from_top(net: IPv4Network) -> list[IPv4Address]:
    top = int(net.broadcast_address) - 1
    bottom = max(int(net.network_address) + 1, top - 1023)  # a gateway is near the top
    return [IPv4Address(a) for a in range(top, bottom - 1, -1)]
