from __future__ import annotations

from pathlib import Path

from pydriver.pipeline import Pipeline


def intents(example: Path):  # type: ignore[no-untyped-def]
    return Pipeline(example).intents


def test_both_tunnel_ends_agree(example: Path) -> None:
    all_intents = intents(example)
    site_tunnels = [t for i in all_intents.values() if i.role == "site" for t in i.tunnels]
    assert site_tunnels
    for t in site_tunnels:
        hub = all_intents[t.peer]
        other = next(h for h in hub.tunnels if h.site == t.site and h.link == t.link)
        assert (other.local_underlay, other.remote_underlay) == (t.remote_underlay,
                                                                 t.local_underlay)
        assert other.inner.ip == t.remote_inner and t.inner.ip == other.remote_inner
        assert other.inner.network == t.inner.network
        assert other.psk == t.psk and other.crypto == t.crypto
        assert other.encapsulation == t.encapsulation
        assert other.number == t.number


def test_bgp_sessions_pair_up(example: Path) -> None:
    all_intents = intents(example)
    owners = {}
    for i in all_intents.values():
        for t in i.tunnels:
            owners[t.inner.ip] = i
        for iface in i.interfaces:
            if iface.address is not None:
                owners[iface.address.ip] = i
    for i in all_intents.values():
        for nb in i.bgp.neighbors:
            if nb.export_filter:  # an interconnect: the far end is another region's hub
                assert nb.address not in owners and nb.remote_as != i.bgp.asn
                continue
            peer = owners[nb.address]
            assert peer.bgp.asn == nb.remote_as
            assert any(n.remote_as == i.bgp.asn for n in peer.bgp.neighbors)


def test_hub_originates_default_and_filters_per_site(example: Path) -> None:
    hub = intents(example)["hub-pusdatin-01"]
    site_nbs = [nb for nb in hub.bgp.neighbors if nb.ebgp and not nb.export_filter]
    assert site_nbs and all(nb.default_originate and nb.filter_name for nb in site_nbs)
    assert not any(nb.default_originate for nb in hub.bgp.neighbors if not nb.ebgp)
    # another region's hub gets no default and only the declared exports, both ways
    (ic,) = [nb for nb in hub.bgp.neighbors if nb.export_filter]
    assert not ic.default_originate and ic.max_prefix == 50 and ic.remote_as == 65201
    assert [str(p) for p, _ in ic.export] == ["10.10.10.0/24"]
    assert [str(p) for p, _ in ic.accept] == ["172.21.10.0/24", "172.21.128.0/18"]


def test_backup_links_are_depreferred(example: Path) -> None:
    dinkes = intents(example)["rtr-dinkes"]
    assert [nb.backup for nb in dinkes.bgp.neighbors] == [False, True]


def test_hub_shapes_each_site_it_serves(example: Path) -> None:
    hub = intents(example)["hub-drc-01"]
    assert {s.site for s in hub.shaping} == {"diskominfotik", "dinkes", "bpkad", "bpbd",
                                             "upt-labkes", "kec-gunungsari"}
    for s in hub.shaping:
        assert s.guaranteed_mbps <= s.max_mbps


def test_baseline_has_no_secret_values(example: Path) -> None:
    b = intents(example)["rtr-bpbd"].baseline
    for value in (b.radius_secret, b.snmp_auth, b.snmp_priv, *(a.secret for a in b.admins)):
        assert value.startswith("@@secret:") and value.endswith("@@")
