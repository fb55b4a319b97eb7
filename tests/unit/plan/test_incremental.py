"""Incremental planning: a one-site change renders and diffs the site and its hubs only,
and gives exactly the plan a full planning gives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import Environment

from pydriver import fanout
from pydriver import pipeline as pipeline_module
from pydriver.intent.model import DeviceIntent
from pydriver.pipeline import Pipeline
from pydriver.render.environment import TemplateSet
from pydriver.render.render import RenderedConfig
from tests.conftest import Edit


def running_form(config: RenderedConfig) -> str:
    if len(config.files) == 1:
        return config.main
    return "".join(f"### pydriver file: {name}\n{text}" for name, text in config.files)


def test_one_site_change_replans_the_site_and_its_hubs_only(
        inv: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Pipeline(inv)
    running = {h: running_form(c) for h, c in first.rendered.items()}
    running["rtr-bpbd"] = running["rtr-bpbd"].replace("max-limit=100M/100M", "max-limit=1M/1M")
    before = first.plan(running, "backups")
    assert [r.host for r in before.changes] == ["rtr-bpbd"]

    edit("sites/dinkes.yml", "guaranteed_mbps: 80\n  max_mbps: 200",
         "guaranteed_mbps: 90\n  max_mbps: 150")
    rendered: list[str] = []
    real = pipeline_module.render_one  # type: ignore[attr-defined]

    def counted(intent: DeviceIntent, platform: TemplateSet, env: Environment
                ) -> RenderedConfig:
        rendered.append(intent.hostname)
        result: RenderedConfig = real(intent, platform, env)
        return result

    monkeypatch.setattr(pipeline_module, "render_one", counted)
    after = Pipeline(inv).plan(running, "backups", previous=before)
    hubs = {nb.description for nb in Pipeline(inv).intents["rtr-dinkes"].bgp.neighbors}
    assert set(rendered) == {"rtr-dinkes"} | hubs
    # the site was rendered again (its intent changed) and shapes its links to the new max
    assert {r.host for r in after.changes} == {"rtr-bpbd", "rtr-dinkes"} | hubs
    site = next(r for r in after.changes if r.host == "rtr-dinkes")
    assert any("shape average 150000000" in c for c in site.commands)

    monkeypatch.undo()
    full = Pipeline(inv).plan(running, "backups")
    assert after.routers == full.routers
    risky = next(r for r in after.changes if r.role == "hub")
    assert any("sites depend on this hub" in risk for risk in risky.risks)


def normal_forms(pipe: Pipeline) -> dict[str, str]:
    """What the backups repository holds: each router's config in its normal form."""
    return {h: pipe.driver(pipe.intents[h].platform).normalise(running_form(c))
            for h, c in pipe.rendered.items()}


def test_a_backup_in_normal_form_is_not_normalised_again(
        inv: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Pipeline(inv)
    running = normal_forms(first)
    before = first.plan(running, "backups")
    assert not before.changes and before.code
    edit("sites/dinkes.yml", "guaranteed_mbps: 80\n  max_mbps: 200",
         "guaranteed_mbps: 90\n  max_mbps: 150")
    normalised: list[str] = []

    class Counting:
        """A platform driver that notes every text it normalises."""

        def __init__(self, platform: str) -> None:
            self.real = pipeline_module.driver(platform)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.real, name)

        def normalise(self, text: str) -> str:
            normalised.append(text)
            result: str = self.real.normalise(text)
            return result

    spy = Counting
    monkeypatch.setattr("pydriver.plan.make.driver", spy)
    monkeypatch.setattr(fanout, "can_fork", lambda: False)  # the spy sees this process only
    after = Pipeline(inv).plan(running, "backups", previous=before)
    assert {r.host for r in after.changes} >= {"rtr-dinkes"}
    assert normalised == []  # every router planned again was read as stored
    monkeypatch.undo()
    # ...and the plan is the one a full planning gives
    assert after.routers == Pipeline(inv).plan(running, "backups").routers

    # a last plan made by other code: its normal form may not be this code's
    other = replace(before, code="0" * 64)
    monkeypatch.setattr("pydriver.plan.make.driver", spy)
    monkeypatch.setattr(fanout, "can_fork", lambda: False)
    Pipeline(inv).plan(running, "backups", previous=other)
    assert normalised  # the routers planned again were normalised as read


def test_a_backup_read_after_a_plan_from_the_routers_is_normalised(inv: Path) -> None:
    """Planned from the routers (an export, not its normal form), then from the backups
    (the normal form): the shortcut needs last time's text to have been its own normal
    form, so the backups are normalised and the plan is the full one."""
    first = Pipeline(inv)
    exported = {h: running_form(c) for h, c in first.rendered.items()}
    normal = normal_forms(first)
    assert any(exported[h] != normal[h] for h in exported)
    before = first.plan(exported, "device")
    after = Pipeline(inv).plan(normal, "backups", previous=before)
    assert after.routers == Pipeline(inv).plan(normal, "backups").routers
