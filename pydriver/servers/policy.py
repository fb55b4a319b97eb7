"""Each server's inbound firewall policy, computed from the source of truth.

The nftables role renders exactly this list and nothing hard-coded, so who may reach a
service is decided here, in one place that tests can read: administrators only from the
management zones (BSSN 4/2021 Pasal 33: a separate management zone), each service only from
the parties that use it, everything else dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from pydriver.sot.models import Server, ServerRole


@dataclass(frozen=True, slots=True)
class Allow:
    """One accepted inbound service: ``proto``/``port`` from ``sources``."""

    name: str
    proto: str
    port: int
    sources: tuple[IPv4Network, ...]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "proto": self.proto, "port": self.port,
                "sources": [str(s) for s in self.sources]}


@dataclass(frozen=True, slots=True)
class Parties:
    """Who talks to the servers, as networks."""

    management: tuple[IPv4Network, ...]  # administrators' zones
    intranet: tuple[IPv4Network, ...]  # every intranet network: NTP and DNS clients
    routers: tuple[IPv4Address, ...]  # routers' source addresses (syslog, RADIUS)
    servers: tuple[IPv4Address, ...]  # the servers themselves (their own logs)
    monitoring: tuple[IPv4Address, ...]  # the monitoring servers (scrapes)


def allow(server: Server, parties: Parties) -> tuple[Allow, ...]:
    """The complete inbound policy of one server, in a stable order."""
    rules = [Allow("ssh", "tcp", 22, parties.management),
             Allow("node-exporter", "tcp", 9100, _hosts(parties.monitoring))]
    roles = set(server.roles)
    if ServerRole.NTP in roles:
        rules.append(Allow("ntp", "udp", 123, parties.intranet))
    if ServerRole.DNS in roles:
        rules += [Allow("dns", "udp", 53, parties.intranet),
                  Allow("dns-tcp", "tcp", 53, parties.intranet)]
    if ServerRole.SYSLOG in roles:
        senders = _hosts((*parties.routers, *parties.servers))
        rules += [Allow("syslog", "udp", 514, senders),
                  Allow("syslog-tcp", "tcp", 514, senders)]
    if ServerRole.RADIUS in roles:
        rules += [Allow("radius-auth", "udp", 1812, _hosts(parties.routers)),
                  Allow("radius-acct", "udp", 1813, _hosts(parties.routers))]
    if ServerRole.MONITORING in roles:
        rules.append(Allow("prometheus", "tcp", 9090, parties.management))
    return tuple(rules)


def _hosts(addresses: Iterable[IPv4Address]) -> tuple[IPv4Network, ...]:
    return tuple(IPv4Network(a) for a in sorted(set(addresses)))
