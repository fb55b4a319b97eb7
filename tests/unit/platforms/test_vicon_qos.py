"""A video conference between an OPD of the kabupaten and an OPD of the province gets the
same class end to end: marked EF at the site, trusted (never re-marked) and served first
with a guaranteed share at every hub and across the interconnect, on every platform. Read
back from the rendered text of every router on the path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydriver.intent.model import VICON_SHARE, vicon_mbps
from pydriver.pipeline import Pipeline
from pydriver.render.render import RenderedConfig

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    out: dict[str, RenderedConfig] = {}
    for inv in (ROOT / "inventory", ROOT / "examples" / "kabupaten-lombok-barat" / "inventory",
                ROOT / "examples" / "pusat" / "inventory"):
        out.update(Pipeline(inv).rendered)
    return out


def ros_items(text: str, menu: str) -> list[dict[str, str]]:
    items, current = [], ""
    for line in text.splitlines():
        if line.startswith("/"):
            current = line
        elif current == menu and line.startswith("add "):
            items.append(dict(re.findall(r'([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)', line)))
    return items


def ios_policies(text: str) -> dict[str, list[str]]:
    """policy-map name -> its body lines (stripped)."""
    out: dict[str, list[str]] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("policy-map "):
            name = line.split()[1]
            out[name] = []
        elif name and line.startswith(" "):
            out[name].append(line.strip())
        else:
            name = None
    return out


def test_routeros_site_marks_and_guarantees(rendered: dict[str, RenderedConfig]) -> None:
    text = rendered["rtr-lobar-bpbd"].main
    (mark,) = ros_items(text, "/ip firewall mangle")
    assert mark["action"] == "change-dscp" and mark["new-dscp"] == "46"
    vicon = next(q for q in ros_items(text, "/queue simple") if q["name"] == "jip-vicon")
    assert vicon["priority"] == "1/1" and vicon["limit-at"] == "30M/30M"  # 30% of 100


def test_routeros_hub_trusts_and_prioritises(rendered: dict[str, RenderedConfig]) -> None:
    text = rendered["hub-lobar-01"].main
    marks = ros_items(text, "/ip firewall mangle")
    assert {(m["action"], m["dscp"]) for m in marks} == {("mark-packet", "46"),
                                                         ("mark-packet", "34")}
    assert not any(m.get("new-dscp") for m in marks)  # trusted: never re-marked
    queues = {q["name"]: q for q in ros_items(text, "/queue simple")}
    ic = "ic-provinsi-ntb-gre-ic-provinsi-ntb-0"
    child = queues[f"{ic}-vicon"]
    assert child["parent"] == ic and child["packet-marks"] == "jip-vicon"
    assert child["priority"] == "1/1" and child["limit-at"] == "60M/60M"  # 30% of 200
    parents = [q for q in queues.values() if "parent" not in q]
    assert parents and all(f"{p['name']}-vicon" in queues for p in parents)


def test_ios_path_prioritises_ef_everywhere(rendered: dict[str, RenderedConfig]) -> None:
    for host in ("hub-pusdatin-01", "rtr-dinkes", "hub-lobar-02", "rtr-lobar-dinkes"):
        text = rendered[host].main
        assert re.search(r"^class-map match-any JIP-VICON-DSCP\n match dscp ef af41$", text,
                         re.M), host
        policies = ios_policies(text)
        assert policies["JIP-VICON-PRIORITY"] == ["class JIP-VICON-DSCP",
                                                  f"priority percent {VICON_SHARE}"]
        shaped = [n for n, body in policies.items() if any("shape average" in b for b in body)]
        assert shaped and all("service-policy JIP-VICON-PRIORITY" in policies[n]
                              for n in shaped), host
    hub = rendered["hub-pusdatin-01"].main
    assert "IC-KAB-LOMBOK-BARAT" in ios_policies(hub)
    assert "set dscp" not in hub  # a hub trusts the marking
    site = rendered["rtr-dinkes"].main
    assert ios_policies(site)["JIP-MARK"] == ["class JIP-VICON", "set dscp ef"]
    links = re.findall(r"^interface (\S+)\n(?: .*\n)*? service-policy output JIP-SITE-OUT$",
                       site, re.M)
    assert links == ["GigabitEthernet0/0/0", "GigabitEthernet0/0/1"]


def test_frr_hub_and_site_serve_ef_first(rendered: dict[str, RenderedConfig]) -> None:
    for host, wan in (("hub-pusdatin-02", 300), ("hub-nasional-01", 2000)):
        tc = dict(rendered[host].files)["tc.sh"]
        assert f"classid 1:5 htb rate {vicon_mbps(wan)}mbit ceil {wan}mbit prio 0" in tc
        filters = re.findall(r"u32 match ip dsfield (0x[0-9a-f]{2}) 0xfc flowid 1:5", tc)
        assert filters == ["0xb8", "0x88"]  # EF, AF41
    site = dict(rendered["rtr-ruang-operasi"].files)
    assert "ip saddr 172.16.135.0/24 ip dscp set ef" in site["nftables.conf"]
    assert re.findall(r"dsfield (0x[0-9a-f]{2}) 0xfc flowid 1:10", site["tc.sh"]) == [
        "0xb8", "0x88"]
