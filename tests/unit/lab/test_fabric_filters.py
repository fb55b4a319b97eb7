"""The lab's fabric honours BGP prefix filters, as both engines configure them: an
interconnect's rendered filters, read back from the emulated routers' own configs."""

from __future__ import annotations

import re
from pathlib import Path

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import driver as ios
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import BgpNeighborFact, NoTimers, filter_passes
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.scrub import scrub
from pydriver.sot.models import Platform
from tests.unit.platforms.test_ios_on_engine import _console, _push, _secrets

ROOT = Path(__file__).resolve().parents[3]


def neighbor(facts: tuple[BgpNeighborFact, ...], address: str) -> BgpNeighborFact:
    return next(n for n in facts if n.remote_address == address)


def test_filter_semantics() -> None:
    entries = (("10.10.10.0/24", 32), ("10.64.4.0/24", 24))
    assert filter_passes(entries, "10.10.10.0/24") and filter_passes(entries, "10.10.10.8/29")
    assert filter_passes(entries, "10.64.4.0/24")
    assert not filter_passes(entries, "10.64.4.0/25")  # exact entry: no longer prefix
    assert not filter_passes(entries, "10.10.0.0/16") and not filter_passes(entries, "0.0.0.0/0")
    assert filter_passes(None, "0.0.0.0/0") and not filter_passes((), "10.10.10.0/24")


def test_routeros_interconnect_filters_as_facts() -> None:
    text = Pipeline(ROOT / "examples" / "kabupaten-lombok-barat" / "inventory"
                    ).rendered["hub-lobar-01"].main
    engine = RouterOSEngine("hub-lobar-01", "CCR2004-16G-2S+", scheduler=NoTimers())
    engine.run_script(re.sub(r"@@secret:[^@]+@@", "lab", text))
    facts = engine.facts().bgp_neighbors
    ic = neighbor(facts, "10.253.1.1")
    assert ic.accept == (("10.10.10.0/24", 32),)
    assert ic.send == (("172.21.10.0/24", 32), ("172.21.128.0/18", 32))
    core = neighbor(facts, "172.21.0.2")  # iBGP inside the region: unfiltered
    assert core.accept is None and core.send is None


def test_ios_interconnect_filters_as_facts() -> None:
    intended = Pipeline(ROOT / "inventory").rendered["hub-pusdatin-01"]
    secrets = _secrets(intended)
    engine = IOSEngine("hub-pusdatin-01", "ISR4451-X/K9", scheduler=NoTimers())
    run = _console(engine)
    start = scrub(run("show running-config"), secrets, Platform.CISCO_IOS)
    assert _push(run, ios.remediation(start, intended).commands, secrets) == []
    facts = engine.facts().bgp_neighbors
    ic = neighbor(facts, "10.253.1.2")
    assert ic.accept == (("172.21.10.0/24", 32), ("172.21.128.0/18", 32))
    assert ic.send == (("10.10.10.0/24", 32),)
    sites = [n for n in facts if n.remote_as >= 4_200_000_000]
    assert sites and all(n.accept and n.send is None for n in sites)  # own zones in, all out
    assert all(longest == int(p.split("/")[1]) for n in sites for p, longest in n.accept or ())
