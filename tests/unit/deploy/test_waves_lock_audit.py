from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from pydriver.deploy import audit
from pydriver.deploy.lock import apply_lock
from pydriver.deploy.waves import wave_size, waves
from pydriver.errors import ApplyError
from pydriver.pipeline import Pipeline
from pydriver.plan.model import RouterPlan


def rp(host: str, role: str) -> RouterPlan:
    return RouterPlan(host, "mikrotik_routeros", role, None, "update", "h")


def test_hubs_and_sites_never_share_a_wave_and_a_canary_goes_first() -> None:
    plans = [rp(f"s{i:02d}", "site") for i in range(10)] + [rp("h1", "hub"), rp("h2", "hub")]
    result = waves(plans, "30%")
    assert [w[0].host for w in result[:1]] == ["h1"]
    assert all(len({r.role for r in w}) == 1 for w in result)
    roles = [w[0].role for w in result]
    assert roles == sorted(roles)  # hub waves first
    site_waves = [w for w in result if w[0].role == "site"]
    assert len(site_waves[0]) == 1 and [len(w) for w in site_waves[1:]] == [3, 3, 3]
    assert sorted(r.host for w in result for r in w) == sorted(p.host for p in plans)


def test_wave_size_parsing() -> None:
    assert wave_size("25%", 10) == 3 and wave_size("4", 10) == 4
    with pytest.raises(ValueError):
        wave_size("0", 10)


def _hold(state: str, inv: str, ready: object) -> None:
    with apply_lock(Path(state), Path(inv)):
        ready.set()  # type: ignore[attr-defined]
        time.sleep(30)


def test_second_apply_is_refused_and_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold, args=(str(tmp_path), str(tmp_path / "inv"), ready))
    proc.start()
    try:
        assert ready.wait(10)
        with pytest.raises(ApplyError, match=f"another apply is running.*pid {proc.pid}"), \
                apply_lock(tmp_path, tmp_path / "inv"):
            pass
    finally:
        proc.kill()
        proc.join()
    with apply_lock(tmp_path, tmp_path / "inv"):
        pass  # the kernel released the killed holder's lock


def test_audit_log_appends_and_finds_last_failures(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    audit.append(tmp_path, {"event": "apply", "inventory": str(inv.resolve()),
                            "routers": {"a": {"status": "failed"}, "b": {"status": "applied"}}})
    audit.append(tmp_path, {"event": "apply", "inventory": str(inv.resolve()),
                            "routers": {"a": {"status": "applied"},
                                        "c": {"status": "rolled-back"}}})
    assert len(list(audit.records(tmp_path))) == 2
    assert audit.last_failed(tmp_path, inv) == ["c"]


def test_a_hub_may_lose_only_sessions_whose_far_end_changes_them_later() -> None:
    from pydriver.deploy.apply import changing_later
    from pydriver.deploy.apply import excused as _excused
    from pydriver.platforms.base import CheckResult

    intents = Pipeline(Path(__file__).resolve().parents[3] / "inventory").intents
    hub, site = intents["hub-drc-01"], intents["rtr-kec-gunungsari"]
    key = RouterPlan("rtr-kec-gunungsari", "mikrotik_routeros", "site", "kec-gunungsari",
                     "update", "h", sections=("crypto",))
    queue = RouterPlan("rtr-upt-labkes", "mikrotik_routeros", "site", "upt-labkes", "update",
                       "h", sections=("qos",))
    later = changing_later([[key, queue]])
    assert later == {"rtr-kec-gunungsari", "kec-gunungsari"}
    down = CheckResult("bgp 10.254.0.162 (kec-gunungsari inet-drc)", False, "Idle",
                       "kec-gunungsari")
    other = CheckResult("bgp 10.254.0.158 (upt-labkes metro-drc)", False, "Idle", "upt-labkes")
    before = {down.name, other.name}
    assert "later wave" in str(_excused(hub, before, set(), later, down))
    assert _excused(hub, before, set(), later, other) is None  # was up, must stay up
    assert "not configured yet" in str(_excused(hub, set(), set(), later, other))
    assert _excused(site, before, set(), later, down) is None  # a site must come up whole
    assert "not in this run" in str(_excused(site, set(), {"kec-gunungsari"}, later, down))


def test_routers_left_out_are_known_by_host_name_and_site_code() -> None:
    """A hub's BGP check names its peer by site code, a tunnel check by host name: a router
    the lab leaves out must match both."""
    from nornir.core.inventory import Host

    from pydriver.deploy.apply import RunState

    hosts = {"rtr-a": Host("rtr-a", data={"site": "a", "skip": "no linux_frr lab"}),
             "rtr-b": Host("rtr-b", data={"site": "b"}),
             "hub-1": Host("hub-1", data={"site": None, "skip": "left out"})}
    assert RunState(intents={}, secrets={}, hosts=hosts).absent() == {"rtr-a", "a", "hub-1"}


def test_the_lower_tier_hub_must_bring_its_interconnect_up() -> None:
    from pydriver.deploy.apply import excused as _excused
    from pydriver.platforms.base import CheckResult

    root = Path(__file__).resolve().parents[3]
    province = Pipeline(root / "inventory").intents
    kabupaten = Pipeline(root / "examples" / "kabupaten-lombok-barat" / "inventory").intents
    # the kabupaten (lower tier) starts the SA; the province waits for it
    lower, higher = kabupaten["hub-lobar-01"], province["hub-pusdatin-01"]
    assert lower.initiated() == {"hub-pusdatin-01", "ic-provinsi-ntb"}
    assert higher.initiated() == set()
    down = CheckResult("bgp 10.253.1.1 (ic-provinsi-ntb 52)", False, "Idle", "ic-provinsi-ntb")
    ping = CheckResult("ping 10.253.1.1 over gre-ic-provinsi-ntb-0", False, "0% success",
                       "hub-pusdatin-01")
    for result in (down, ping):  # new, never up before: still required (a PSK mismatch)
        assert _excused(lower, set(), set(), set(), result) is None
        away = frozenset({"hub-pusdatin-01", "ic-provinsi-ntb"})  # a lab without the province
        assert "not in this lab" in str(_excused(lower, set(), set(), set(), result, away))
    up = CheckResult("bgp 10.253.1.2 (ic-kab-lombok-barat 52.01)", False, "Idle",
                     "ic-kab-lombok-barat")
    assert "not configured yet" in str(_excused(higher, set(), set(), set(), up))
