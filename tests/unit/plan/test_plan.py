"""Plans made from running configs given as text (pure: no device)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pydriver.errors import PlanError
from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan, sot_ref
from pydriver.plan.model import PLAN_VERSION, Plan
from pydriver.platforms.linux_frr import driver as frr
from pydriver.report import plan as report


def test_converged_network_plans_nothing(example: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    running = {h: c.main for h, c in rendered.items() if c.platform.value == "cisco_ios"}
    running |= {h: frr.join(dict(c.files)) for h, c in rendered.items()
                if c.platform.value == "linux_frr"}
    plan = make_plan(intents, rendered, running, sot_ref(example), "test")
    ios_and_frr = [r for r in plan.routers if r.platform != "mikrotik_routeros"]
    assert ios_and_frr and all(r.action == "noop" for r in ios_and_frr)
    assert all(r.action == "skip" for r in plan.routers if r.platform == "mikrotik_routeros")
    assert "No changes" in report.text(plan)


def test_a_bandwidth_change_is_a_hub_change_with_risks(example: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    hub = "hub-pusdatin-01"
    old = rendered[hub].main.replace("shape average 200000000", "shape average 100000000")
    plan = make_plan(intents, rendered, {hub: old}, sot_ref(example), "test")
    r = plan.router(hub)
    assert r.action == "update" and r.added >= 1
    assert any("shape average 200000000" in c for c in r.commands)
    assert any("sites depend on this hub" in risk for risk in r.risks)
    text = report.text(plan)
    assert text.index("Risks:") < text.index("# hub-pusdatin-01")
    md = report.markdown(plan)
    assert "| hub-pusdatin-01 | hub |" in md


def test_plan_json_round_trips_and_is_versioned(example: Path, tmp_path: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    plan = make_plan(intents, rendered, {"rtr-dinkes": "hostname Router\n"},
                     sot_ref(example), "test")
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json())
    again = Plan.load(path)
    assert again == plan and again.digest == plan.digest
    data = json.loads(path.read_text())
    assert data["version"] == PLAN_VERSION == 3 and data["summary"]["to_change"] == 1
    data["version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(PlanError, match="version 99"):
        Plan.load(path)
    path.write_text("{not json")
    with pytest.raises(PlanError, match="not a pydriver plan"):
        Plan.load(path)


def test_sot_digest_follows_content(inv: Path) -> None:
    before = sot_ref(inv)
    (inv / "sites" / "dinkes.yml").write_text((inv / "sites" / "dinkes.yml").read_text() + "#\n")
    assert sot_ref(inv).digest != before.digest
