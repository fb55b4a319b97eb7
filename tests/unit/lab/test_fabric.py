"""The fabric: tunnels, SAs, BGP and reachability derived from both ends' configurations."""

from __future__ import annotations

import ipaddress
import threading
import time
from dataclasses import dataclass, replace

import pytest

from pydriver.errors import LabError
from pydriver.lab.emu.fabric import Fabric
from pydriver.platforms.emulation import (
    BgpNeighborFact,
    DeviceFacts,
    FilterRuleFact,
    IpsecPeerFact,
    PacketFilterFact,
    Route,
    Session,
    SourceNatFact,
    TunnelFact,
)

HUB_AS = 65000
HUB_WAN = "198.51.100.2"
HUB_LAN = "10.0.0.0/24"


@dataclass
class FakeEngine:
    """A stand-in for a device engine: facts set by the test, a generation it bumps."""

    name: str
    current: DeviceFacts
    platform: str = "fake"
    generation: int = 0

    def facts(self) -> DeviceFacts:
        return self.current

    def change(self, facts: DeviceFacts) -> None:
        self.current = facts
        self.generation += 1

    def open_session(self, username: str) -> Session:
        raise LabError(f"{self.name} has no console")

    def reboot(self) -> None:
        self.generation += 1


# --------------------------------------------------------------------------- builders


def peer(name: str, local: str, remote: str, **overrides: object) -> IpsecPeerFact:
    base = IpsecPeerFact(
        name=name,
        local_address=local,
        remote_address=remote,
        ike_encryption=frozenset({"aes-256-cbc", "aes-256-gcm"}),
        ike_integrity=frozenset({"sha256"}),
        ike_dh_groups=frozenset({19, 14}),
        esp_encryption=frozenset({"aes-256-gcm"}),
        esp_integrity=frozenset({"sha256"}),
        esp_pfs_groups=frozenset({19}),
        psk="s3cret",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def spoke_addresses(i: int) -> tuple[str, str, str, str, str]:
    """(wan/len, isp gateway, tunnel hub side, tunnel spoke side/len, lan/len) of spoke i."""
    wan = ipaddress.IPv4Address("100.64.0.0") + 4 * i
    inner = ipaddress.IPv4Address("10.254.0.0") + 4 * i
    lan = ipaddress.IPv4Address("10.1.0.0") + 256 * i
    return f"{wan + 2}/30", str(wan + 1), str(inner + 1), f"{inner + 2}/30", f"{lan + 1}/24"


def spoke_lan(i: int) -> str:
    return str(ipaddress.IPv4Interface(spoke_addresses(i)[4]).network)


def spoke_facts(i: int, *, psk: str = "s3cret") -> DeviceFacts:
    wan, gw, hub_inner, inner, lan = spoke_addresses(i)
    wan_ip = wan.split("/")[0]
    return DeviceFacts(
        name=f"site{i}",
        addresses=(("ether1", wan), ("bridge-lan", lan), ("gre-hub", inner)),
        tunnels=(TunnelFact("gre-hub", wan_ip, HUB_WAN, inner, protected=True),),
        ipsec_peers=(peer("hub", wan_ip, HUB_WAN, psk=psk),),
        bgp_as=HUB_AS + 1 + i,
        bgp_neighbors=(BgpNeighborFact(hub_inner, HUB_AS),),
        bgp_networks=(spoke_lan(i),),
        static_routes=(("0.0.0.0/0", gw),),
    )


def hub_facts(spokes: range, *, psk: dict[int, str] | None = None) -> DeviceFacts:
    psk = psk or {}
    addresses = [("ether1", f"{HUB_WAN}/29"), ("lan", "10.0.0.1/24")]
    tunnels: list[TunnelFact] = []
    peers: list[IpsecPeerFact] = []
    neighbors: list[BgpNeighborFact] = []
    for i in spokes:
        wan, _gw, hub_inner, inner, _lan = spoke_addresses(i)
        wan_ip = wan.split("/")[0]
        name = f"Tunnel{i}"
        addresses.append((name, f"{hub_inner}/30"))
        tunnels.append(TunnelFact(name, HUB_WAN, wan_ip, f"{hub_inner}/30", protected=True))
        peers.append(peer(name, HUB_WAN, wan_ip, psk=psk.get(i, "s3cret")))
        neighbors.append(
            BgpNeighborFact(inner.split("/")[0], HUB_AS + 1 + i, default_originate=True)
        )
    return DeviceFacts(
        name="hub",
        addresses=tuple(addresses),
        tunnels=tuple(tunnels),
        ipsec_peers=tuple(peers),
        bgp_as=HUB_AS,
        bgp_neighbors=tuple(neighbors),
        bgp_networks=(HUB_LAN,),
        static_routes=(("0.0.0.0/0", "198.51.100.1"), ("10.0.0.0/8", "Null0")),
    )


def star(count: int) -> tuple[Fabric, FakeEngine, list[FakeEngine]]:
    fabric = Fabric()
    hub = FakeEngine("hub", hub_facts(range(count)))
    spokes = [FakeEngine(f"site{i}", spoke_facts(i)) for i in range(count)]
    for engine in (hub, *spokes):
        fabric.attach(engine)
    return fabric, hub, spokes


def lan_ip(i: int) -> str:
    return spoke_addresses(i)[4].split("/")[0]


def pair(a: DeviceFacts, b: DeviceFacts) -> Fabric:
    fabric = Fabric()
    fabric.attach(FakeEngine(a.name, a))
    fabric.attach(FakeEngine(b.name, b))
    return fabric


def ipsec_pair(**b_overrides: object) -> Fabric:
    a = DeviceFacts(
        "a", (("wan", "192.0.2.1/24"),), ipsec_peers=(peer("to-b", "192.0.2.1", "192.0.2.2"),)
    )
    b_peer = peer("to-a", "192.0.2.2", "192.0.2.1", **b_overrides)
    b = DeviceFacts("b", (("wan", "192.0.2.2/24"),), ipsec_peers=(b_peer,))
    return pair(a, b)


def link(name: str, asn: int | None, links: dict[str, str], **extra: object) -> DeviceFacts:
    """A router with plain Ethernet links: interface -> address/len."""
    return DeviceFacts(name=name, addresses=tuple(links.items()), bgp_as=asn, **extra)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- IPsec


def test_matching_ends_bring_the_sa_up_on_both_sides() -> None:
    fabric = ipsec_pair()
    assert fabric.ipsec_up("a", "to-b")
    assert fabric.ipsec_up("b", "to-a")
    assert not fabric.ipsec_up("a", "no-such-peer")


@pytest.mark.parametrize(
    "mismatch",
    [
        {"psk": "other"},
        {"ike_encryption": frozenset({"aes-128-cbc"})},
        {"ike_integrity": frozenset({"sha512"})},
        {"ike_dh_groups": frozenset({20})},
        {"esp_encryption": frozenset({"aes-128-gcm"})},
        {"esp_pfs_groups": frozenset({14})},
        {"esp_pfs_groups": frozenset()},
        {"ike_version": 1},
        {"remote_address": "192.0.2.9"},
        {"local_address": "192.0.2.7"},
    ],
    ids=lambda m: next(iter(m)) + "=" + str(next(iter(m.values()))),
)
def test_any_mismatch_keeps_the_sa_down_on_both_sides(mismatch: dict[str, object]) -> None:
    fabric = ipsec_pair(**mismatch)
    assert not fabric.ipsec_up("a", "to-b")
    assert not fabric.ipsec_up("b", "to-a")


def test_aes_gcm_needs_no_common_esp_integrity_but_cbc_does() -> None:
    assert ipsec_pair(esp_integrity=frozenset()).ipsec_up("a", "to-b")
    cbc = frozenset({"aes-256-cbc"})
    a = DeviceFacts(
        "a",
        (("wan", "192.0.2.1/24"),),
        ipsec_peers=(peer("p", "192.0.2.1", "192.0.2.2", esp_encryption=cbc),),
    )
    b = DeviceFacts(
        "b",
        (("wan", "192.0.2.2/24"),),
        ipsec_peers=(
            peer("p", "192.0.2.2", "192.0.2.1", esp_encryption=cbc, esp_integrity=frozenset()),
        ),
    )
    assert not pair(a, b).ipsec_up("a", "p")
    assert pair(
        a, replace(b, ipsec_peers=(peer("p", "192.0.2.2", "192.0.2.1", esp_encryption=cbc),))
    ).ipsec_up("a", "p")


def test_an_end_must_own_its_local_address() -> None:
    a = DeviceFacts(
        "a", (("wan", "192.0.2.1/24"),), ipsec_peers=(peer("p", "192.0.2.1", "192.0.2.2"),)
    )
    b = DeviceFacts(
        "b", (("wan", "192.0.2.3/24"),), ipsec_peers=(peer("p", "192.0.2.2", "192.0.2.1"),)
    )
    assert not pair(a, b).ipsec_up("a", "p")


def test_one_proposal_in_common_is_enough() -> None:
    fabric = ipsec_pair(
        ike_encryption=frozenset({"aes-256-gcm", "aes-128-cbc"}),
        ike_dh_groups=frozenset({14, 21}),
    )
    assert fabric.ipsec_up("a", "to-b")


# --------------------------------------------------------------------------- tunnels


def tunnel_pair(*, protected: bool, psk_b: str = "s3cret", remote_b: str = "192.0.2.1") -> Fabric:
    a = DeviceFacts(
        "a",
        (("wan", "192.0.2.1/24"), ("gre1", "10.9.0.1/30")),
        tunnels=(TunnelFact("gre1", "192.0.2.1", "192.0.2.2", "10.9.0.1/30", protected),),
        ipsec_peers=(peer("gre1", "192.0.2.1", "192.0.2.2"),) if protected else (),
    )
    b = DeviceFacts(
        "b",
        (("wan", "192.0.2.2/24"),),
        tunnels=(TunnelFact("gre1", "192.0.2.2", remote_b, "10.9.0.2/30", protected),),
        ipsec_peers=(peer("gre1", "192.0.2.2", "192.0.2.1", psk=psk_b),) if protected else (),
    )
    return pair(a, b)


def test_protected_tunnel_is_up_with_its_sa_and_down_without() -> None:
    up = tunnel_pair(protected=True)
    assert up.tunnel_up("a", "gre1") and up.tunnel_up("b", "gre1")
    down = tunnel_pair(protected=True, psk_b="wrong")
    assert not down.tunnel_up("a", "gre1") and not down.tunnel_up("b", "gre1")


def test_plain_tunnel_needs_no_sa_but_matching_endpoints() -> None:
    assert tunnel_pair(protected=False).tunnel_up("a", "gre1")
    assert not tunnel_pair(protected=False, remote_b="192.0.2.99").tunnel_up("a", "gre1")


def test_tunnel_inner_network_is_connected_only_while_up() -> None:
    up = {r.prefix for r in tunnel_pair(protected=True).routes("b")}
    down = {r.prefix for r in tunnel_pair(protected=True, psk_b="x").routes("b")}
    assert "10.9.0.0/30" in up  # b's inner address comes from the tunnel fact alone
    assert "10.9.0.0/30" not in down
    assert "192.0.2.0/24" in down


# --------------------------------------------------------------------------- routes, BGP


def test_static_routes_need_a_connected_gateway() -> None:
    facts = link(
        "r",
        None,
        {"e1": "10.1.1.1/24"},
        static_routes=(
            ("10.2.0.0/16", "10.1.1.254"),
            ("10.3.0.0/16", "10.99.0.1"),
            ("10.4.0.0/16", "Null0"),
            ("10.5.0.0/16", "e1"),
        ),
    )
    fabric = Fabric()
    fabric.attach(FakeEngine("r", facts))
    assert fabric.routes("r") == (
        Route("10.1.1.0/24", "connected", interface="e1"),
        Route("10.2.0.0/16", "static", "10.1.1.254", "e1"),
        Route("10.4.0.0/16", "static", interface="Null0"),
        Route("10.5.0.0/16", "static", interface="e1"),
    )


def ebgp_pair(*, b_remote_as: int = 65001, b_back: bool = True) -> Fabric:
    a = link(
        "a",
        65001,
        {"e1": "10.12.0.1/30", "lan": "172.16.1.1/24"},
        bgp_neighbors=(BgpNeighborFact("10.12.0.2", 65002),),
        bgp_networks=("172.16.1.0/24", "172.16.99.0/24"),  # the second is not in a's table
    )
    b = link(
        "b",
        65002,
        {"e1": "10.12.0.2/30", "lan": "172.16.2.1/24"},
        bgp_neighbors=(BgpNeighborFact("10.12.0.1", b_remote_as),) if b_back else (),
        bgp_networks=("172.16.2.0/24",),
    )
    return pair(a, b)


def test_bgp_session_is_established_both_ways_and_carries_networks() -> None:
    fabric = ebgp_pair()
    assert fabric.bgp_established("a", "10.12.0.2")
    assert fabric.bgp_established("b", "10.12.0.1")
    assert fabric.bgp_received("a", "10.12.0.2") == ("172.16.2.0/24",)
    assert fabric.bgp_received("b", "10.12.0.1") == ("172.16.1.0/24",)
    assert Route("172.16.2.0/24", "bgp", "10.12.0.2", "e1") in fabric.routes("a")
    assert fabric.ping("a", "172.16.2.1", "172.16.1.1")


@pytest.mark.parametrize("broken", [{"b_remote_as": 65099}, {"b_back": False}])
def test_bgp_needs_both_ends_to_agree(broken: dict[str, object]) -> None:
    fabric = ebgp_pair(**broken)  # type: ignore[arg-type]
    assert not fabric.bgp_established("a", "10.12.0.2")
    assert not fabric.bgp_established("b", "10.12.0.1")
    assert fabric.bgp_received("a", "10.12.0.2") == ()
    assert not fabric.ping("a", "172.16.2.1", "172.16.1.1")


def test_bgp_neighbour_must_be_on_a_connected_network() -> None:
    a = link(
        "a", 65001, {"e1": "10.12.0.1/30"}, bgp_neighbors=(BgpNeighborFact("10.77.0.2", 65002),)
    )
    b = link(
        "b", 65002, {"e1": "10.77.0.2/30"}, bgp_neighbors=(BgpNeighborFact("10.12.0.1", 65001),)
    )
    fabric = pair(a, b)
    assert not fabric.bgp_established("a", "10.77.0.2")
    assert not fabric.bgp_established("b", "10.12.0.1")


def chain_with_shortcut() -> Fabric:
    """a-b, a-c, b-c, b-d, c-d: d's LAN reaches a over two equal paths; c's over a shorter one."""

    def nb(*pairs: tuple[str, int]) -> tuple[BgpNeighborFact, ...]:
        return tuple(BgpNeighborFact(addr, asn) for addr, asn in pairs)

    routers = [
        link("a", 1, {"ab": "10.0.1.1/30", "ac": "10.0.2.1/30", "lan": "172.16.1.1/24"},
             bgp_neighbors=nb(("10.0.1.2", 2), ("10.0.2.2", 3)),
             bgp_networks=("172.16.1.0/24",)),
        link("b", 2, {"ab": "10.0.1.2/30", "bc": "10.0.3.1/30", "bd": "10.0.4.1/30"},
             bgp_neighbors=nb(("10.0.1.1", 1), ("10.0.3.2", 3), ("10.0.4.2", 4))),
        link("c", 3, {"ac": "10.0.2.2/30", "bc": "10.0.3.2/30", "cd": "10.0.5.1/30",
                      "lan": "172.16.3.1/24"},
             bgp_neighbors=nb(("10.0.2.1", 1), ("10.0.3.1", 2), ("10.0.5.2", 4)),
             bgp_networks=("172.16.3.0/24",)),
        link("d", 4, {"bd": "10.0.4.2/30", "cd": "10.0.5.2/30", "lan": "172.16.4.1/24"},
             bgp_neighbors=nb(("10.0.4.1", 2), ("10.0.5.1", 3)),
             bgp_networks=("172.16.4.0/24",)),
    ]  # fmt: skip
    fabric = Fabric()
    for facts in routers:
        fabric.attach(FakeEngine(facts.name, facts))
    return fabric


def test_best_path_is_the_shortest_as_path_then_the_lowest_neighbour() -> None:
    fabric = chain_with_shortcut()
    table = {r.prefix: r for r in fabric.routes("a")}
    assert table["172.16.3.0/24"].gateway == "10.0.2.2"  # direct from c, not via b
    assert table["172.16.4.0/24"].gateway == "10.0.1.2"  # tie: 10.0.1.2 < 10.0.2.2
    # c hears its own LAN back from nobody: every path would carry AS 3
    assert all("172.16.3.0/24" not in fabric.bgp_received("c", n) for n in ("10.0.2.1", "10.0.3.1"))
    assert fabric.ping("a", "172.16.4.1", "172.16.1.1")
    assert not fabric.ping("a", "172.16.4.1", "10.0.1.1")  # nobody announces the link net


def test_ibgp_learned_routes_are_not_passed_to_another_ibgp_peer() -> None:
    def nb(addr: str, asn: int) -> BgpNeighborFact:
        return BgpNeighborFact(addr, asn)

    x = link(
        "x",
        7,
        {"xy": "10.0.1.1/30", "lan": "172.16.7.1/24"},
        bgp_neighbors=(nb("10.0.1.2", 7),),
        bgp_networks=("172.16.7.0/24",),
    )
    y = link(
        "y",
        7,
        {"xy": "10.0.1.2/30", "yz": "10.0.2.1/30"},
        bgp_neighbors=(nb("10.0.1.1", 7), nb("10.0.2.2", 7)),
    )
    z = link("z", 7, {"yz": "10.0.2.2/30"}, bgp_neighbors=(nb("10.0.2.1", 7),))  # fmt: skip
    fabric = Fabric()
    for facts in (x, y, z):
        fabric.attach(FakeEngine(facts.name, facts))
    assert fabric.bgp_received("y", "10.0.1.1") == ("172.16.7.0/24",)
    assert fabric.bgp_established("z", "10.0.2.1")
    assert fabric.bgp_received("z", "10.0.2.1") == ()


# --------------------------------------------------------------------------- hub and spokes


def test_spoke_learns_the_default_and_the_other_spoke_through_the_hub() -> None:
    fabric, _hub, _spokes = star(2)
    hub_side_a = spoke_addresses(0)[2]
    assert fabric.tunnel_up("site0", "gre-hub") and fabric.ipsec_up("site0", "hub")
    assert fabric.bgp_established("site0", hub_side_a)
    assert fabric.bgp_received("site0", hub_side_a) == ("0.0.0.0/0", HUB_LAN, spoke_lan(1))
    # the hub announces 10.0.0.0/24 (connected), not a route it only has in BGP
    assert fabric.bgp_received("hub", spoke_addresses(0)[3].split("/")[0]) == (spoke_lan(0),)
    table = {r.prefix: r for r in fabric.routes("site0")}
    assert table[spoke_lan(1)] == Route(spoke_lan(1), "bgp", hub_side_a, "gre-hub")
    assert table["0.0.0.0/0"].protocol == "static"  # the ISP default wins over BGP's
    assert fabric.ping("site0", lan_ip(1), lan_ip(0))
    assert fabric.ping("site1", lan_ip(0), lan_ip(1))
    # sourced from the tunnel address by default: the transit net is not announced, so the
    # reply from site1 goes out to the ISP and is lost, as on the real network
    assert not fabric.ping("site0", lan_ip(1))
    assert fabric.ping("site0", "10.0.0.1")  # the hub has the transit net connected


def test_breaking_the_hubs_sa_to_one_spoke_cuts_the_spoke_to_spoke_path() -> None:
    fabric, hub, _spokes = star(2)
    assert fabric.ping("site0", lan_ip(1), lan_ip(0))
    hub.change(hub_facts(range(2), psk={1: "rotated-on-one-end-only"}))
    assert not fabric.ipsec_up("hub", "Tunnel1") and not fabric.ipsec_up("site1", "hub")
    assert not fabric.tunnel_up("site1", "gre-hub")
    assert fabric.ipsec_up("hub", "Tunnel0")
    hub_side_a = spoke_addresses(0)[2]
    assert spoke_lan(1) not in fabric.bgp_received("site0", hub_side_a)
    assert not fabric.ping("site0", lan_ip(1), lan_ip(0))
    assert fabric.ping("site0", "10.0.0.1", lan_ip(0))  # the hub itself still answers
    hub.change(hub_facts(range(2)))
    assert fabric.ping("site0", lan_ip(1), lan_ip(0))


def test_a_powered_off_spoke_drops_its_sa_and_session_until_it_is_back() -> None:
    fabric, _hub, _spokes = star(2)
    spoke1_inner = spoke_addresses(1)[3].split("/")[0]
    assert fabric.bgp_established("hub", spoke1_inner)
    fabric.set_power("site1", False)
    assert not fabric.bgp_established("hub", spoke1_inner)
    assert not fabric.ipsec_up("hub", "Tunnel1")
    assert not fabric.tunnel_up("hub", "Tunnel1")
    assert fabric.routes("site1") == ()
    assert spoke_lan(1) not in {r.prefix for r in fabric.routes("site0")}
    assert fabric.bgp_established("hub", spoke_addresses(0)[3].split("/")[0])
    fabric.set_power("site1", True)
    assert fabric.bgp_established("hub", spoke1_inner)
    assert fabric.ping("site0", lan_ip(1), lan_ip(0))


def test_underlay_is_the_internet_but_lans_are_not() -> None:
    fabric, _hub, _spokes = star(1)
    wan0 = spoke_addresses(0)[0].split("/")[0]
    assert fabric.ping("site0", HUB_WAN, wan0)
    assert fabric.ping("hub", wan0)
    # without the tunnel, the LAN behind the hub is not reachable over the ISP
    broken = Fabric()
    broken.attach(FakeEngine("hub", hub_facts(range(1), psk={0: "x"})))
    broken.attach(FakeEngine("site0", spoke_facts(0)))
    assert broken.ping("site0", HUB_WAN, wan0)
    assert not broken.ping("site0", "10.0.0.1", lan_ip(0))


# --------------------------------------------------------------------------- ping details


def test_ping_edge_cases() -> None:
    fabric, _hub, _spokes = star(1)
    assert fabric.ping("site0", lan_ip(0))  # its own address
    assert fabric.ping("site0", "10.0.0.1", "bridge-lan")  # source given as an interface
    assert not fabric.ping("site0", "10.0.0.1", "10.200.0.1")  # not one of its addresses
    assert not fabric.ping("site0", "10.0.0.77")  # nobody owns it
    assert not fabric.ping("site0", "not-an-address")
    assert not fabric.ping("nobody", "10.0.0.1")


def test_a_routing_loop_fails_instead_of_spinning() -> None:
    a = link("a", None, {"ab": "10.0.1.1/30"}, static_routes=(("10.50.0.0/16", "10.0.1.2"),))
    b = link("b", None, {"ab": "10.0.1.2/30"}, static_routes=(("10.50.0.0/16", "10.0.1.1"),))
    c = link("c", None, {"lan": "10.50.0.1/24"})
    fabric = pair(a, b)
    fabric.attach(FakeEngine("c", c))
    assert not fabric.ping("a", "10.50.0.1")


def test_the_return_path_is_required() -> None:
    a = link(
        "a",
        None,
        {"ab": "10.0.1.1/30", "lan": "172.16.1.1/24"},
        static_routes=(("172.16.2.0/24", "10.0.1.2"),),
    )
    b = link("b", None, {"ab": "10.0.1.2/30", "lan": "172.16.2.1/24"})  # fmt: skip
    fabric = pair(a, b)
    assert fabric.ping("a", "172.16.2.1")  # from 10.0.1.1: b is connected to it
    assert not fabric.ping("a", "172.16.2.1", "172.16.1.1")  # b has no route back


# --------------------------------------------------------------------------- lifecycle


def test_recomputes_only_when_a_generation_changes() -> None:
    fabric, hub, _spokes = star(1)
    assert fabric.tunnel_up("hub", "Tunnel0")
    hub.current = hub_facts(range(1), psk={0: "silently-changed"})  # no generation bump
    assert fabric.tunnel_up("hub", "Tunnel0")
    hub.generation += 1
    assert not fabric.tunnel_up("hub", "Tunnel0")


def test_detach_and_unknown_devices() -> None:
    fabric, _hub, _spokes = star(1)
    fabric.detach("hub")
    assert fabric.devices() == ("site0",)
    assert not fabric.tunnel_up("site0", "gre-hub")
    assert fabric.routes("hub") == ()
    with pytest.raises(LabError):
        fabric.detach("hub")
    with pytest.raises(LabError):
        fabric.set_power("hub", False)


def test_queries_from_threads_while_configuration_changes() -> None:
    fabric, hub, _spokes = star(3)
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                fabric.routes("site0")
                fabric.ping("site0", lan_ip(2), lan_ip(0))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for n in range(31):
        hub.change(hub_facts(range(3), psk={2: "x"} if n % 2 else {}))
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    assert fabric.ping("site0", lan_ip(2), lan_ip(0))  # the last change restored the key


# --------------------------------------------------------------------------- scale


def test_a_hub_with_300_spokes() -> None:
    started = time.perf_counter()
    fabric, _hub, _spokes = star(300)
    hub_side = spoke_addresses(299)[2]
    received = fabric.bgp_received("site299", hub_side)
    elapsed = time.perf_counter() - started
    print(f"300-spoke fabric computed in {elapsed:.2f} s")
    assert len(received) == 1 + 1 + 299  # default, hub LAN, every other spoke's LAN
    assert sum(fabric.bgp_established("hub", spoke_addresses(i)[3].split("/")[0])
               for i in range(300)) == 300  # fmt: skip
    assert fabric.ping("site0", lan_ip(299), lan_ip(0))


# --------------------------------------------------------------------------- NAT and filters


INTERNET_HOST = "8.8.8.8"
GUEST_BLOCK = (FilterRuleFact("deny", destinations=("10.0.0.0/8",)),
               FilterRuleFact("permit"))


def natted_star(nat: SourceNatFact | None, spoke_filters: tuple[PacketFilterFact, ...] = ()
                ) -> Fabric:
    fabric = Fabric()
    hub = hub_facts(range(1))
    fabric.attach(FakeEngine("hub", replace(hub, source_nat=(nat,) if nat else ())))
    # as the sites are: a route to the hub's underlay, the default from the hub (BGP)
    gateway = spoke_addresses(0)[1]
    spoke = replace(spoke_facts(0), filters=spoke_filters,
                    static_routes=((f"{HUB_WAN}/32", gateway),))
    fabric.attach(FakeEngine("site0", spoke))
    return fabric


HUB_NAT = SourceNatFact("ether1", (FilterRuleFact("permit", sources=("10.1.0.0/16",)),),
                        inside=frozenset({"Tunnel0"}))


def test_the_internet_answers_only_through_source_nat() -> None:
    assert natted_star(HUB_NAT).host_ping("site0", "bridge-lan", INTERNET_HOST)
    assert not natted_star(None).host_ping("site0", "bridge-lan", INTERNET_HOST)
    # an IOS rule needs the packet to come in on an inside interface
    not_inside = replace(HUB_NAT, inside=frozenset({"lan"}))
    assert not natted_star(not_inside).host_ping("site0", "bridge-lan", INTERNET_HOST)
    # RouterOS masquerade has no inside: any source its match permits
    masquerade = replace(HUB_NAT, inside=None)
    assert natted_star(masquerade).host_ping("site0", "bridge-lan", INTERNET_HOST)
    other_sources = replace(HUB_NAT, match=(FilterRuleFact("permit", ("172.16.0.0/12",)),))
    assert not natted_star(other_sources).host_ping("site0", "bridge-lan", INTERNET_HOST)
    wrong_exit = replace(HUB_NAT, out_interface="lan")
    assert not natted_star(wrong_exit).host_ping("site0", "bridge-lan", INTERNET_HOST)
    # nor does it carry a private destination nobody owns
    assert not natted_star(HUB_NAT).host_ping("site0", "bridge-lan", "10.99.0.1")


def test_an_inbound_acl_keeps_the_lan_off_the_intranet_but_not_the_internet() -> None:
    acl = (PacketFilterFact("bridge-lan", GUEST_BLOCK, default="deny", forwarded_only=False),)
    open_ = natted_star(HUB_NAT)
    closed = natted_star(HUB_NAT, acl)
    assert open_.host_ping("site0", "bridge-lan", "10.0.0.1")
    assert not closed.host_ping("site0", "bridge-lan", "10.0.0.1")
    assert not closed.host_ping("site0", "bridge-lan", lan_ip(0))  # the router itself too
    assert closed.host_ping("site0", "bridge-lan", INTERNET_HOST)
    # the router's own traffic does not come in on the LAN: the ACL does not see it
    assert closed.ping("site0", "10.0.0.1", "bridge-lan")


def test_a_forward_chain_sees_only_what_the_router_forwards() -> None:
    chain = (PacketFilterFact(None, (FilterRuleFact("deny", ("10.1.0.0/24",), ("10.0.0.0/8",)),)),)
    fabric = natted_star(HUB_NAT, chain)
    assert not fabric.host_ping("site0", "bridge-lan", "10.0.0.1")
    assert fabric.host_ping("site0", "bridge-lan", lan_ip(0))  # input, not forward
    assert fabric.host_ping("site0", "bridge-lan", INTERNET_HOST)
    # a rule for new connections does not stop the replies of allowed ones
    new_only = (PacketFilterFact(None, (FilterRuleFact("deny", ("10.0.0.0/24",), (),
                                                       frozenset({"new"})),)),)
    assert natted_star(HUB_NAT, new_only).host_ping("site0", "bridge-lan", "10.0.0.1")
    every = (PacketFilterFact(None, (FilterRuleFact("deny", ("10.0.0.0/24",)),)),)
    assert not natted_star(HUB_NAT, every).host_ping("site0", "bridge-lan", "10.0.0.1")


def test_host_ping_edge_cases() -> None:
    fabric = natted_star(HUB_NAT)
    assert not fabric.host_ping("site0", "nowhere", "10.0.0.1")
    assert not fabric.host_ping("nobody", "bridge-lan", "10.0.0.1")
    assert not fabric.host_ping("site0", "bridge-lan", "not-an-address")
