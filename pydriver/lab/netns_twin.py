"""Real FRR twins of an inventory's linux_frr routers, in network namespaces.

Maps the intent onto the netns lab's topology: each router keeps its interface names and
its underlay addresses (what the OS would configure at boot); its management port gets an
out-of-band address in the data centre's management zone, so pydriver reaches it the way
an administrator would, and the rendered firewall (management only from that zone) lets it
in. Internet links share one "internet" segment whose provider namespace holds every
gateway, so IKE between a site and its hub crosses a routed network as in production.
"""

from __future__ import annotations

import hashlib
from ipaddress import IPv4Interface
from pathlib import Path

from pydriver.errors import LabError
from pydriver.intent.model import DeviceIntent
from pydriver.lab.model import LabRouter
from pydriver.pipeline import Pipeline
from pydriver.platforms.registry import driver
from pydriver.sot.models import Platform

MGMT_BRIDGE_HOST = 250  # the lab's own address in the management zone
OOB_FIRST = 200  # out-of-band addresses for routers managed in band in production


def short_name(hostname: str) -> str:
    """Namespace-safe name (<= 11 characters), stable for a hostname."""
    digest = hashlib.sha256(hostname.encode()).hexdigest()[:6]
    return f"f{digest}"


def _mgmt_zone(intents: dict[str, DeviceIntent]) -> IPv4Interface:
    for i in intents.values():
        if i.platform is Platform.LINUX_FRR and i.is_hub:
            mgmt = next(x for x in i.interfaces if x.role == "mgmt")
            if mgmt.address is not None:
                return mgmt.address
    first = next(iter(intents.values())).baseline.management[0]
    return IPv4Interface(f"{first.network_address + MGMT_BRIDGE_HOST}/{first.prefixlen}")


def topology(intents: dict[str, DeviceIntent]) -> tuple[object, dict[str, str]]:
    """The netns topology for the linux_frr routers, and lab name -> hostname."""
    from pydriver.lab.netns.model import (
        NetnsInterface,
        NetnsRouter,
        NetnsSegment,
        NetnsTopology,
    )

    linux = {h: i for h, i in sorted(intents.items()) if i.platform is Platform.LINUX_FRR}
    if not linux:
        raise LabError(f"the inventory has no {Platform.LINUX_FRR.value} router")
    zone = _mgmt_zone(intents).network
    bridge = f"{zone.network_address + MGMT_BRIDGE_HOST}/{zone.prefixlen}"
    routers = []
    members = []
    gateways: set[str] = set()
    names: dict[str, str] = {}
    oob = OOB_FIRST
    for host, intent in linux.items():
        name = short_name(host)
        names[name] = host
        mgmt = next((x for x in intent.interfaces if x.role == "mgmt"), None)
        if mgmt is not None and mgmt.address is not None:
            mgmt_address = str(mgmt.address)
        else:
            mgmt_address = f"{zone.network_address + oob}/{zone.prefixlen}"
            oob += 1
        interfaces = []
        for x in intent.interfaces:
            if x.role == "mgmt":
                continue
            underlay = x.role in ("wan", "link", "metro")
            addresses = (str(x.address),) if underlay and x.address is not None else ()
            interfaces.append(NetnsInterface(x.name, addresses, "wan" if underlay else "lan"))
            if underlay and x.address is not None:
                members.append((name, x.name))
        for r in intent.static_routes:
            if r.prefix.prefixlen in {32, 0}:
                net = next((x.address.network for x in intent.interfaces
                            if x.address is not None and r.gateway in x.address.network), None)
                if net is not None:
                    gateways.add(f"{r.gateway}/{net.prefixlen}")
        routers.append(NetnsRouter(name, mgmt_address, tuple(interfaces), hostname=host))
    topo = NetnsTopology(
        routers=tuple(routers),
        segments=(NetnsSegment("inet", tuple(members), tuple(sorted(gateways))),),
        mgmt_bridge_address=bridge)
    return topo, names


def up(pipe: Pipeline, state: Path) -> list[LabRouter]:
    from pydriver.lab.netns.lab import NetnsLab

    topo, names = topology(pipe.intents)
    endpoints = NetnsLab().up(topo, state)  # type: ignore[arg-type]
    device_type = driver(Platform.LINUX_FRR).device_type
    return [LabRouter(names[e.name], Platform.LINUX_FRR.value, device_type, e.host, e.port,
                      e.username, e.password, "") for e in endpoints]


def down(state: Path) -> None:
    from pydriver.lab.netns.lab import teardown

    teardown(state)
