"""From the source of truth to a targets lab: each server at its own address, in its zone.

A server's prefix is its data centre's zone (server, management or DMZ), and the lab's
gateway in that zone must not take an address a hub, a core gateway or another server
already owns, so those are returned as reserved.
"""

from __future__ import annotations

from collections.abc import Collection
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from pydriver.errors import LabError
from pydriver.lab.targets.model import TargetSpec
from pydriver.platforms.registry import driver
from pydriver.sot.models import Network


def router_twins(network: Network) -> tuple[TargetSpec, ...]:
    """A target for each Linux hub managed from a data centre's management zone.

    The twin is the router's host as Ansible sees it (its management address, its Debian):
    the routers playbook provisions it as it would the router, without FRR or its tunnels.
    """
    specs = []
    for dc in network.datacenters:
        for hub in dc.hubs:
            mgmt = hub.interfaces.mgmt.address
            if driver(hub.platform).host_baseline_by_ansible and mgmt is not None and \
                    mgmt.ip in dc.zones.management:
                specs.append(TargetSpec(hub.hostname, mgmt))
    return tuple(specs)


def target_specs(network: Network, names: Collection[str] | None = None
                 ) -> tuple[TargetSpec, ...]:
    """One target per server of the source of truth (or per server or router twin named
    in ``names``; see ``router_twins``)."""
    wanted = None if names is None else set(names)
    twins = {t.name: t for t in router_twins(network)}
    if wanted is not None:
        unknown = wanted - {s.name for s in network.servers} - set(twins)
        if unknown:
            raise LabError(f"no server or Linux hub named {', '.join(sorted(unknown))} in "
                           "the inventory")
    specs = []
    for server in network.servers:
        if wanted is not None and server.name not in wanted:
            continue
        dc = next((d for d in network.datacenters if d.code == server.datacenter), None)
        zone: IPv4Network | None = getattr(dc.zones, server.zone) if dc else None
        if zone is None or server.address not in zone:
            raise LabError(f"{server.name}: {server.address} is not in the {server.zone} zone "
                           f"of data centre {server.datacenter}")
        specs.append(TargetSpec(server.name, IPv4Interface(f"{server.address}/{zone.prefixlen}")))
    specs += [t for name, t in twins.items() if wanted is not None and name in wanted]
    return tuple(specs)


def reserved_addresses(network: Network) -> frozenset[IPv4Address]:
    """Addresses the source of truth gives to routers and servers (never a lab gateway)."""
    out: set[IPv4Address] = {s.address for s in network.servers}
    for dc in network.datacenters:
        out.add(dc.zones.core_gateway)
        for hub in dc.hubs:
            for iface in (hub.interfaces.mgmt, hub.interfaces.wan, hub.interfaces.core,
                          hub.interfaces.metro, hub.interfaces.fibre):
                if iface is None:
                    continue
                if iface.address is not None:
                    out.add(iface.address.ip)
                if iface.gateway is not None:
                    out.add(iface.gateway)
    return frozenset(out)


def admin_address(network: Network) -> IPv4Address:
    """An address for the lab host in the first data centre's management zone.

    The highest host address no router or server of the source of truth owns: from there
    the host is an administrator's workstation, which the servers' firewall lets in.
    """
    zone = network.datacenters[0].zones.management
    taken = reserved_addresses(network)
    for address in reversed(list(zone.hosts())):
        if address not in taken:
            return address
    raise LabError(f"no free address left in the management zone {zone}")
