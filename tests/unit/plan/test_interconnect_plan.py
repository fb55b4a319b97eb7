"""A change to an interconnect shows in each region's plan, on that region's hub only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("inventory", "hub", "site", "sign"), [
    (ROOT / "inventory", "hub-pusdatin-01", "rtr-dinkes", "shape average 300000000"),
    (ROOT / "examples" / "kabupaten-lombok-barat" / "inventory", "hub-lobar-01",
     "rtr-lobar-bpbd", "max-limit=300M/300M"),
])
def test_capacity_change_is_planned_on_the_hub(tmp_path: Path, inventory: Path, hub: str,
                                               site: str, sign: str) -> None:
    inv = tmp_path / "inventory"
    shutil.copytree(inventory, inv)
    base = Pipeline(inv)
    running = {h: base.render_host(h).main for h in (hub, site)}
    region = inv / "region.yml"
    text = region.read_text()
    head, _, tail = text.partition("interconnects:")
    assert "    capacity_mbps: 200\n" in tail
    region.write_text(head + "interconnects:" + tail.replace(
        "    capacity_mbps: 200\n", "    capacity_mbps: 300\n", 1))
    pipe = Pipeline(inv)
    plan = make_plan({h: pipe.intents[h] for h in running}, pipe.render_host, running,
                     pipe.sot, "test", network=pipe.intents)
    assert [r.host for r in plan.changes] == [hub]
    (change,) = plan.changes
    assert any(sign in c for c in change.commands), change.commands
    old = sign.replace("300", "200")
    assert any(old in c for c in change.rollback), change.rollback
