"""DeviceFacts of the emulated RouterOS: canonical crypto names, protection, BGP."""

from __future__ import annotations

from collections.abc import Callable

from pydriver.platforms.emulation import BgpNeighborFact, Route, TunnelFact
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

SITE = """
/interface bridge add name=lo0 protocol-mode=none
/interface gre add allow-fast-path=no keepalive=10s,10 local-address=192.0.2.14 mtu=1400 \\
    name=gre-hub remote-address=198.51.100.130
/interface gre add local-address=192.0.2.14 name=gre-plain remote-address=203.0.113.1
/ip ipsec profile add dh-group=ecp256,ecp384,modp2048 enc-algorithm=aes-256 \\
    hash-algorithm=sha256 name=jip nat-traversal=yes
/ip ipsec peer add address=198.51.100.130/32 exchange-mode=ike2 local-address=192.0.2.14 \\
    name=gre-hub profile=jip
/ip ipsec proposal add auth-algorithms=sha256 enc-algorithms=aes-256-gcm lifetime=1h \\
    name=jip pfs-group=ecp256
/ip ipsec identity add peer=gre-hub secret=psk-1
/ip ipsec policy add dst-address=198.51.100.130/32 peer=gre-hub proposal=jip protocol=gre \\
    src-address=192.0.2.14/32 tunnel=no
/ip address add address=10.255.0.35/32 interface=lo0
/ip address add address=10.254.0.54/30 interface=gre-hub
/ip address add address=192.0.2.14/30 interface=ether1
/ip firewall address-list add address=10.64.12.0/24 list=nets
/ip firewall address-list add address=10.255.0.35/32 list=nets
/ip route add dst-address=198.51.100.130/32 gateway=192.0.2.13
/routing bgp connection add as=4200000003 hold-time=30s keepalive-time=10s local.role=ebgp \\
    name=hub output.network=nets remote.address=10.254.0.53 remote.as=65052 \\
    router-id=10.255.0.35 output.default-originate=always
"""


class _Handle:
    def cancel(self) -> None:
        return None


class _Scheduler:
    def call_later(self, delay: float, callback: Callable[[], None]) -> _Handle:
        return _Handle()


class _Fabric:
    """A network where everything toward this router is up (a FabricView)."""

    def ipsec_up(self, device: str, peer: str) -> bool:
        return True

    def tunnel_up(self, device: str, tunnel: str) -> bool:
        return tunnel == "gre-hub"

    def bgp_established(self, device: str, neighbor: str) -> bool:
        return True

    def bgp_received(self, device: str, neighbor: str) -> tuple[str, ...]:
        return ("0.0.0.0/0",)

    def routes(self, device: str) -> tuple[Route, ...]:
        return (Route("0.0.0.0/0", "bgp", "10.254.0.53"),)

    def ping(self, device: str, destination: str, source: str | None = None) -> bool:
        return destination == "10.10.0.1"


def site(fabric: _Fabric | None = None) -> RouterOSEngine:
    ros = RouterOSEngine("rtr-dinkes", scheduler=_Scheduler(), fabric=fabric, defaults=False)
    ros.write_file("site.rsc", SITE)
    assert ros.run("/import file-name=site.rsc").endswith("executed successfully\n")
    return ros


def test_facts_are_canonical() -> None:
    facts = site().facts()
    assert facts.name == "rtr-dinkes"
    assert ("gre-hub", "10.254.0.54/30") in facts.addresses
    assert facts.tunnels == (
        TunnelFact("gre-hub", "192.0.2.14", "198.51.100.130", "10.254.0.54/30", True),
        TunnelFact("gre-plain", "192.0.2.14", "203.0.113.1", "", False),
    )
    (peer,) = facts.ipsec_peers
    assert peer.name == "gre-hub"
    assert (peer.local_address, peer.remote_address) == ("192.0.2.14", "198.51.100.130")
    assert peer.ike_encryption == {"aes-256-cbc"}
    assert peer.ike_integrity == {"sha256"}
    assert peer.ike_dh_groups == {19, 20, 14}
    assert peer.esp_encryption == {"aes-256-gcm"}
    assert peer.esp_integrity == frozenset()  # GCM carries its own integrity
    assert peer.esp_pfs_groups == {19}
    assert (peer.psk, peer.ike_version) == ("psk-1", 2)
    assert facts.bgp_as == 4200000003
    assert facts.bgp_router_id == "10.255.0.35"
    assert facts.bgp_neighbors == (BgpNeighborFact("10.254.0.53", 65052, True),)
    assert facts.bgp_networks == ("10.64.12.0/24", "10.255.0.35/32")
    assert facts.static_routes == (("198.51.100.130/32", "192.0.2.13"),)


def test_facts_follow_changes_and_disabled_items() -> None:
    ros = site()
    first = ros.facts()
    assert ros.facts() is first  # cached while nothing changed
    ros.run("/interface gre disable gre-plain")
    ros.run("/ip ipsec policy set 0 protocol=all")
    facts = ros.facts()
    assert [t.name for t in facts.tunnels] == ["gre-hub"]
    assert not facts.tunnels[0].protected


def test_status_menus_read_the_fabric() -> None:
    ros = site(_Fabric())
    assert "0 E name=\"hub-1\"" in ros.run("/routing bgp session print")
    assert "prefix-count=1" in ros.run("/routing bgp session print")
    assert "established" in ros.run("/ip ipsec active-peers print")
    assert "DAb" in ros.run("/ip route print")
    interfaces = ros.run("/interface print")
    assert "R  gre-hub" in interfaces and "R  gre-plain" not in interfaces
    assert "received=2" in ros.run("ping 10.10.0.1 count=2 src-address=10.255.0.35")
    assert "received=0" in ros.run("ping 10.10.0.9 count=2")


def test_without_fabric_everything_is_down() -> None:
    ros = site()
    assert "E name" not in ros.run("/routing bgp session print")
    assert "established" not in ros.run("/ip ipsec active-peers print")
