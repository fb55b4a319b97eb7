"""Property tests: random sound inventories render; random broken ones fail with a located
error and never with a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydriver.errors import SourceError
from pydriver.pipeline import Pipeline

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
HUBS = {"mikrotik_routeros": ["hub-pusdatin-01", "hub-drc-01"],
        "cisco_ios": ["hub-pusdatin-01", "hub-drc-01"],
        "linux_frr": ["hub-pusdatin-02"]}
PORTS = {"mikrotik_routeros": ["ether1", "ether2"], "cisco_ios": ["Gi0/0/0", "Gi0/0/1"],
         "linux_frr": ["eth1", "eth2"]}
ZONE_PORTS = {"mikrotik_routeros": "ether{}", "cisco_ios": "Gi0/0/2.{}", "linux_frr": "br-z{}"}
KINDS = ["opd_office", "upt", "kecamatan", "kelurahan", "puskesmas", "public_wifi"]
ZONES = ["staff", "cctv", "guest_wifi", "vicon"]


@st.composite
def site_docs(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(st.integers(1, 900), min_size=1, max_size=6, unique=True))
    docs = []
    for n, sid in enumerate(ids):
        platform = draw(st.sampled_from(sorted(HUBS)))
        medium_choices = ["internet_vpn", "isp_metro", "own_fibre"]
        if platform == "linux_frr":
            medium_choices = ["internet_vpn"]
        links = []
        for k in range(draw(st.integers(1, 2))):
            medium = draw(st.sampled_from(medium_choices))
            hub = draw(st.sampled_from(HUBS[platform]))
            if hub == "hub-pusdatin-02":
                medium = "internet_vpn"
            link: dict[str, Any] = {
                "name": f"l{k}", "medium": medium, "hub": hub,
                "role": "primary" if k == 0 else "backup",
                "capacity_mbps": draw(st.integers(10, 1000)), "interface": PORTS[platform][k]}
            if medium != "own_fibre":
                base = 8 * (n * 2 + k)
                octet2 = 10 if (medium == "isp_metro" and hub == "hub-pusdatin-01") else 20
                link["address"] = (f"100.64.{octet2}.{100 + n * 2 + k}/24"
                                   if medium == "isp_metro" else f"192.0.2.{base + 2}/29")
                link["gateway"] = (f"100.64.{octet2}.254" if medium == "isp_metro"
                                   else f"192.0.2.{base + 1}")
            links.append(link)
        zones = ["staff", *draw(st.lists(st.sampled_from(ZONES[1:]), unique=True))]
        top = min(link["capacity_mbps"] for link in links)
        guaranteed = draw(st.integers(1, min(top, 50)))
        docs.append({
            "id": sid, "code": f"s{sid}", "name": f"Site {sid}",
            "kind": draw(st.sampled_from(KINDS)),
            "router": {"hostname": f"rtr-s{sid}", "platform": platform, "model": "any"},
            "links": links,
            "zones": [{"kind": z, "interface": ZONE_PORTS[platform].format(i + 3)}
                      for i, z in enumerate(zones)],
            "bandwidth": {"uplink": "inet-telkom", "guaranteed_mbps": guaranteed,
                          "max_mbps": draw(st.integers(guaranteed, top))},
        })
    return docs


def write_inventory(root: Path, sites: list[dict[str, Any]]) -> None:
    shutil.copy(EXAMPLE / "region.yml", root / "region.yml")
    shutil.copy(EXAMPLE / "servers.yml", root / "servers.yml")
    shutil.copy(EXAMPLE / "registry.yml", root / "registry.yml")
    (root / "sites").mkdir()
    for i, doc in enumerate(sites):
        (root / "sites" / f"site{i:02d}.yml").write_text(yaml.safe_dump(doc, sort_keys=False))


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(site_docs())
def test_random_sound_inventories_render(sites: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_inventory(root, sites)
        configs = Pipeline(root).rendered
        assert {s["router"]["hostname"] for s in sites} <= set(configs)
        assert configs == Pipeline(root).rendered


def _mutations() -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of(
        st.tuples(st.just("drop"), st.sampled_from(["id", "code", "router", "links", "zones",
                                                    "bandwidth", "kind"])),
        st.tuples(st.just("retype"), st.sampled_from(["id", "links", "bandwidth", "router"])),
        st.tuples(st.just("unknown"), st.text("abcdefxyz_", min_size=3, max_size=8)),
        st.tuples(st.just("truncate"), st.floats(0.05, 0.95)),
        # "#" would turn the garbage line into a YAML comment, which is harmless
        st.tuples(st.just("garbage"),
                  st.text(min_size=1, max_size=20).filter(lambda t: "#" not in t)),
        st.tuples(st.just("dup-id"), st.none()),
        st.tuples(st.just("bad-hub"), st.none()),
    )


@SETTINGS
@given(site_docs(), _mutations())
def test_random_broken_inventories_fail_located(sites: list[dict[str, Any]],
                                                mutation: tuple[str, Any]) -> None:
    kind, arg = mutation
    victim = dict(sites[0])
    if kind == "drop":
        victim.pop(arg)
    elif kind == "retype":
        victim[arg] = "not-a-" + arg if arg != "id" else [1, 2]
    elif kind == "unknown":
        victim["zz_" + arg] = 1
    elif kind == "dup-id":
        twin = dict(victim, code=f"{victim['code']}-twin",
                    router=dict(victim["router"], hostname=f"{victim['router']['hostname']}-t"))
        twin["links"] = [dict(link, address=None, gateway=None) if link.get("address")
                         else link for link in victim["links"]]
        twin["links"] = [{k: v for k, v in link.items() if v is not None}
                         for link in twin["links"]]
        sites = [*sites, twin]
    elif kind == "bad-hub":
        victim["links"] = [dict(victim["links"][0], hub="hub-atlantis")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_inventory(root, [victim, *sites[1:]])
        path = root / "sites" / "site00.yml"
        if kind == "truncate":
            text = path.read_text()
            path.write_text(text[: int(len(text) * arg)] + "\n  - [")
        elif kind == "garbage":
            path.write_text(path.read_text() + "\n" + arg + ": [\n")
        try:
            assert Pipeline(root).rendered
        except SourceError as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.location is not None, p
                assert p.location.line >= 1 and p.location.column >= 1
                assert (root.parent / p.location.file).is_file(), p.location.file
        else:
            # a mutation can be harmless (e.g. garbage that is valid YAML and a valid key
            # is impossible here since keys are forbidden); everything else must fail
            raise AssertionError(f"mutation {kind} {arg!r} was accepted")
