"""Incremental planning: a one-site change renders and diffs the site and its hubs only,
and gives exactly the plan a full planning gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

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
