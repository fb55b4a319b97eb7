"""Status printouts read for post-change checks, from routers that really peer (the lab
fabric links a RouterOS hub and site configured from their rendered scripts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.lab.emu.fabric import Fabric
from pydriver.pipeline import Pipeline
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import status, users
from pydriver.platforms.mikrotik_routeros.diff import remediation
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"




@pytest.fixture(scope="module")
def lab() -> dict[str, RouterOSEngine]:
    rendered = Pipeline(INVENTORY).rendered
    fabric = Fabric()
    out: dict[str, RouterOSEngine] = {}
    for host, model in (("hub-drc-01", "CCR2004-16G-2S+"), ("rtr-kec-gunungsari", "RB750Gr3")):
        engine = RouterOSEngine(host, model, scheduler=NoTimers(), fabric=fabric)
        running = users.with_users(engine.export("show-sensitive"), engine.run(users.PRINT))
        result = engine.run_script("\n".join(remediation(running, rendered[host]).commands))
        assert result == "", result
        fabric.attach(engine)
        out[host] = engine
    return out


def test_ipsec_active_peers(lab: dict[str, RouterOSEngine]) -> None:
    site = lab["rtr-kec-gunungsari"]
    assert status.active_peers(site.run("/ip ipsec active-peers print")) == {"198.51.100.130"}
    assert status.active_peers(lab["hub-drc-01"].run("/ip ipsec active-peers print")) == \
        {"192.0.2.22"}


def test_bgp_sessions(lab: dict[str, RouterOSEngine]) -> None:
    sessions = status.bgp_sessions(lab["rtr-kec-gunungsari"].run("/routing bgp session print"))
    assert sessions == {"10.254.0.161": True, "10.254.0.165": False}


def test_routes_with_flags(lab: dict[str, RouterOSEngine]) -> None:
    rows = status.routes(lab["rtr-kec-gunungsari"].run("/ip route print"))
    by_prefix = {r.prefix: r for r in rows}
    default = by_prefix["0.0.0.0/0"]
    assert default.active and default.bgp and default.gateway == "10.254.0.161"
    static = by_prefix["198.51.100.130/32"]
    assert static.active and not static.bgp and static.gateway == "192.0.2.21"
    hub = {r.prefix for r in status.routes(lab["hub-drc-01"].run("/ip route print"))
           if r.active and r.bgp}
    assert hub == {"10.64.40.0/24", "10.255.0.42/32"}


def test_ping(lab: dict[str, RouterOSEngine]) -> None:
    site = lab["rtr-kec-gunungsari"]
    assert status.ping_received(site.run("/ping 10.254.0.161 count=3")) == 3
    assert status.ping_received(site.run("/ping 10.254.0.165 count=2")) == 0
    assert status.ping_received("garbage") == 0


def test_real_router_layouts() -> None:
    sessions = (
        "Flags: E - established\n"
        ' 0 E name="hub-drc-01-1"\n'
        "     remote.address=10.254.0.161 .as=65052 .id=10.255.0.2 .capabilities=mp,rr,gr,as4\n"
        "     local.role=ebgp .address=10.254.0.162 .as=4200000010 .id=10.255.0.42\n"
        "\n"
        ' 1   name="hub-pusdatin-01-1"\n'
        "     remote.address=10.254.0.165 .as=65052\n")
    assert status.bgp_sessions(sessions) == {"10.254.0.161": True, "10.254.0.165": False}
    peers = ("Flags: R - RESPONDER; N - NATT-PEER\n"
             "Columns: ID, STATE, UPTIME, PH2-TOTAL, REMOTE-ADDRESS\n"
             "#   ID              STATE        UPTIME  PH2-TOTAL  REMOTE-ADDRESS\n"
             "0 R 198.51.100.130  established  2h3m    1          198.51.100.130\n"
             "1   203.0.113.10    message-1-sent  3s   0          203.0.113.10\n")
    assert status.active_peers(peers) == {"198.51.100.130"}
