"""Namespaces and cables: the management bridge, point-to-point links, shared segments, LANs.

Everything lives inside namespaces the lab created, except the management bridge and one
veth end per router in the root namespace (pydriver runs there and must reach every sshd).
Veth pairs are created directly inside their namespaces, so no temporary name ever exists
in the root namespace; each root-namespace link is journalled before it is created.
"""

from __future__ import annotations

from pydriver.lab.netns.cmd import in_netns, run
from pydriver.lab.netns.journal import Journal
from pydriver.lab.netns.model import MGMT_IFNAME, NetnsRouter, NetnsTopology
from pydriver.lab.netns.router import netns_name


def provider_netns(topology: NetnsTopology) -> str:
    """The namespace that holds the segments ("the internet"), one per lab."""
    return f"{topology.mgmt_bridge}-inet"  # cannot clash with a router's "pd-<name>"


def mgmt_veth(router: str) -> str:
    return f"pdm-{router}"


def segment_bridge(segment: str) -> str:
    return f"br-{segment}"


def add_netns(journal: Journal, name: str) -> None:
    journal.add("netns", name)
    run(["ip", "netns", "add", name])
    _batch(name, ["link set lo up"])
    # A router forwards; a hub also sends site-to-site traffic back into ipsec0, which must
    # not make it send ICMP redirects. Nothing else differs from a fresh Debian namespace.
    in_netns(name, ["sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                    "net.ipv4.conf.all.send_redirects=0",
                    "net.ipv4.conf.default.send_redirects=0"])


def _batch(netns: str | None, commands: list[str]) -> None:
    """Many ip commands in one process (each ip fork costs more than the change itself)."""
    if not commands:
        return
    ns = ["-n", netns] if netns else []
    run(["ip", *ns, "-batch", "-"], stdin="\n".join(commands) + "\n")


def build(journal: Journal, topology: NetnsTopology) -> None:
    """Create every namespace and cable of the topology (routers' processes come later)."""
    for r in topology.routers:
        add_netns(journal, netns_name(r.name))
    if topology.segments:
        add_netns(journal, provider_netns(topology))
    _mgmt(journal, topology)
    for link in topology.links:
        (ra, ia), (rb, ib) = link.a, link.b
        run(["ip", "link", "add", ia, "netns", netns_name(ra), "type", "veth", "peer", "name",
             ib, "netns", netns_name(rb)])
    provider: list[str] = []
    for si, seg in enumerate(topology.segments):
        br = segment_bridge(seg.name)
        provider += [f"link add {br} type bridge", f"link set {br} up"]
        provider += [f"addr add {g} dev {br}" for g in seg.gateway_addresses]
        for mi, (router, ifname) in enumerate(seg.members):
            port = f"s{si}p{mi}"
            run(["ip", "link", "add", ifname, "netns", netns_name(router), "type", "veth",
                 "peer", "name", port, "netns", provider_netns(topology)])
            provider.append(f"link set {port} master {br} up")
    _batch(provider_netns(topology) if topology.segments else None, provider)
    wired = topology.wired()
    for r in topology.routers:
        _batch(netns_name(r.name), _interfaces(r, {i for n, i in wired if n == r.name}))


def _mgmt(journal: Journal, topology: NetnsTopology) -> None:
    bridge = topology.mgmt_bridge
    journal.add("link", bridge)
    root = [f"link add {bridge} type bridge",
            f"addr add {topology.mgmt_bridge_address} dev {bridge}",
            f"link set {bridge} up"]
    _batch(None, root)
    for r in topology.routers:
        veth = mgmt_veth(r.name)
        journal.add("link", veth)
        run(["ip", "link", "add", veth, "type", "veth", "peer", "name", MGMT_IFNAME, "netns",
             netns_name(r.name)])
        _batch(None, [f"link set {veth} master {bridge} up"])
        _batch(netns_name(r.name), [f"addr add {r.mgmt_address} dev {MGMT_IFNAME}",
                                    f"link set {MGMT_IFNAME} up"])


def _interfaces(r: NetnsRouter, wired: set[str]) -> list[str]:
    """Unwired interfaces become empty bridges (live LANs); then addresses, then up."""
    out: list[str] = []
    for i in r.interfaces:
        if i.name not in wired:
            out.append(f"link add {i.name} type bridge")
        out += [f"addr add {a} dev {i.name}" for a in i.addresses]
        out.append(f"link set {i.name} up")
    return out


def link_exists(name: str) -> bool:
    return run(["ip", "link", "show", "dev", name], check=False).returncode == 0


def delete_link(name: str) -> None:
    if link_exists(name):
        run(["ip", "link", "del", "dev", name])
