"""Each region renders only its own end of an interconnect, on every platform, and the two
ends fit: read back from the rendered text (and, for RouterOS and IOS-XE, from what the
emulated router shows once the configuration is pushed into it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import driver as ios
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros.diff import remediation
from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.offline import apply_text
from pydriver.platforms.scrub import scrub
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import Platform
from tests.unit.platforms.test_ios_on_engine import _console, _push, _secrets
from tests.unit.platforms.test_routeros_diff import factory

ROOT = Path(__file__).resolve().parents[3]
PROVINCE = ROOT / "inventory"
KABUPATEN = ROOT / "examples" / "kabupaten-lombok-barat" / "inventory"
PUSAT = ROOT / "examples" / "pusat" / "inventory"


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    out: dict[str, RenderedConfig] = {}
    for inv in (PROVINCE, KABUPATEN, PUSAT):
        out.update(Pipeline(inv).rendered)
    return out


def block(text: str, head: str) -> list[str]:
    """The lines of the IOS/FRR section that starts with ``head`` (its indented body)."""
    lines = text.splitlines()
    start = lines.index(head)
    body = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append(line.strip())
    return body


def routeros_items(export: str, menu: str) -> list[dict[str, str]]:
    """The items of one menu of a RouterOS export, as property dicts."""
    items, current = [], ""
    for line in normalise(export).splitlines():
        if line.startswith("/"):
            current = line
        elif current == menu and line.startswith("add "):
            items.append(dict(re.findall(r'([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)', line)))
    return items


def test_ios_end_on_the_emulated_router(rendered: dict[str, RenderedConfig]) -> None:
    intended = rendered["hub-pusdatin-01"]
    secrets = _secrets(intended)
    engine = IOSEngine("hub-pusdatin-01", "ISR4451-X/K9", scheduler=NoTimers())
    run = _console(engine)
    start = scrub(run("show running-config"), secrets, Platform.CISCO_IOS)
    assert _push(run, ios.remediation(start, intended).commands, secrets) == []
    shown = run("show running-config")
    assert "JIP_PSK_IC_NTB_LOBAR" not in shown and "env:" not in shown
    bgp = block(shown, "router bgp 65052")
    ic = [line for line in bgp if line.startswith("neighbor 10.253.1.2 ")]
    assert "neighbor 10.253.1.2 remote-as 65201" in ic
    assert {"neighbor 10.253.1.2 prefix-list IC-KAB-LOMBOK-BARAT-IN in",
            "neighbor 10.253.1.2 prefix-list IC-KAB-LOMBOK-BARAT-OUT out",
            "neighbor 10.253.1.2 maximum-prefix 50"} <= set(ic)
    assert not any("default-originate" in line for line in ic)
    lists = re.findall(r"^ip prefix-list (IC-\S+) seq \d+ permit (\S+)(?: le (\d+))?$", shown,
                       re.M)
    assert sorted(lists) == [("IC-KAB-LOMBOK-BARAT-IN", "172.21.10.0/24", "32"),
                             ("IC-KAB-LOMBOK-BARAT-IN", "172.21.128.0/18", "32"),
                             ("IC-KAB-LOMBOK-BARAT-OUT", "10.10.10.0/24", "32")]
    tunnel = block(shown, "interface Tunnel90001")
    assert "tunnel destination 100.64.10.201" in tunnel
    assert "ip address 10.253.1.1 255.255.255.252" in tunnel
    assert "service-policy output IC-KAB-LOMBOK-BARAT" in tunnel
    assert "shape average 200000000" in block(shown, "policy-map IC-KAB-LOMBOK-BARAT")[1:]


def test_routeros_end_converges_on_the_emulated_router(
        rendered: dict[str, RenderedConfig]) -> None:
    intended = rendered["hub-lobar-01"]
    running = factory("CCR2004-16G-2S+")
    after = apply_text(running, remediation(running, intended).commands)
    assert remediation(after, intended).empty
    (conn,) = [c for c in routeros_items(after, "/routing bgp connection")
               if c["remote.address"] == "10.253.1.1"]
    assert conn["as"] == "65201" and conn["remote.as"] == "65052"
    assert conn["input.filter"] == "ic-provinsi-ntb-in"
    assert conn["output.filter-chain"] == "ic-provinsi-ntb-out"
    assert conn["input.limit-process-routes-ipv4"] == "20"
    assert "output.default-originate" not in conn
    rules = {(r["chain"], r["rule"]) for r in routeros_items(after, "/routing filter rule")}
    assert ("ic-provinsi-ntb-in",
            '"if (dst in 10.10.10.0/24 && dst-len<=32) { accept; }"') in rules
    assert ("ic-provinsi-ntb-out",
            '"if (dst in 172.21.128.0/18 && dst-len<=32) { accept; }"') in rules
    # the lower tier starts the SA: its hub's peer is not passive
    (peer,) = [p for p in routeros_items(after, "/ip ipsec peer")
               if p["address"] == "100.64.10.1/32"]
    assert "passive" not in peer and peer["local-address"] == "100.64.10.201"
    (queue,) = [q for q in routeros_items(after, "/queue simple")
                if q["name"] == "ic-provinsi-ntb-gre-ic-provinsi-ntb-0"]
    assert queue["max-limit"] == "200M/200M"


def test_frr_ends_fit_each_other(rendered: dict[str, RenderedConfig]) -> None:
    province = dict(rendered["hub-pusdatin-02"].files)
    pusat = dict(rendered["hub-nasional-01"].files)
    assert re.search(r"^ neighbor 10\.253\.0\.1 remote-as 65000$", province["frr.conf"], re.M)
    assert re.search(r"^ neighbor 10\.253\.0\.2 remote-as 65052$", pusat["frr.conf"], re.M)
    assert re.search(r"^ ip address 10\.253\.0\.2/30$", province["frr.conf"], re.M)
    assert re.search(r"^ ip address 10\.253\.0\.1/30$", pusat["frr.conf"], re.M)
    for text, out_list in ((province["frr.conf"], "10.10.10.0/24"),
                           (pusat["frr.conf"], "172.16.10.0/24")):
        assert re.search(rf"^ip prefix-list IC-\S+-OUT seq 5 permit {re.escape(out_list)} "
                         r"le 32$", text, re.M)
        assert re.search(r"^  neighbor 10\.253\.0\.\d maximum-prefix 20$", text, re.M)

    def child(text: str) -> dict[str, str]:
        return dict(re.findall(r"^\s+(local_ts|remote_ts|start_action) = (\S+)$", text, re.M)
                    [-3:])

    def conn(text: str, name: str) -> str:
        return text[text.index(f"    {name} {{"):]

    ours = child(conn(province["swanctl.conf"], "jip-ic-pusat-0"))
    theirs = child(conn(pusat["swanctl.conf"], "jip-ic-provinsi-ntb-0"))
    assert ours["local_ts"] == theirs["remote_ts"] and ours["remote_ts"] == theirs["local_ts"]
    # the province (lower tier) starts; the pusat waits
    assert (ours["start_action"], theirs["start_action"]) == ("start", "none")
    assert "@@secret:env:JIP_PSK_IC_PUSAT_NTB@@" in province["swanctl.conf"]


def test_each_region_renders_only_its_own_routers(rendered: dict[str, RenderedConfig]) -> None:
    assert set(Pipeline(KABUPATEN).rendered) == {
        "hub-lobar-01", "hub-lobar-02", "rtr-lobar-diskominfo", "rtr-lobar-bappeda",
        "rtr-lobar-dinkes", "rtr-lobar-dikbud", "rtr-lobar-bpbd", "rtr-lobar-kec-gerung",
        "rtr-lobar-pkm-gerung"}
    assert not {"hub-lobar-01", "hub-nasional-01"} & set(Pipeline(PROVINCE).rendered)
    assert len(rendered) == 19 + 9 + 2  # no router name is shared between the regions
