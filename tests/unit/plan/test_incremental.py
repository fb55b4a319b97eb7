"""Incremental planning: a one-site change renders and diffs the site and its hubs only,
and gives exactly the plan a full planning gives."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jinja2 import Environment

from pydriver import fanout
from pydriver import pipeline as pipeline_module
from pydriver.errors import SourceError
from pydriver.intent.model import DeviceIntent
from pydriver.pipeline import Pipeline
from pydriver.plan import make
from pydriver.render.environment import TemplateSet
from pydriver.render.render import RenderedConfig
from tests.conftest import Edit
from tests.unit.test_random_inventories import SETTINGS, site_docs, write_inventory


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


class Hashed:
    """Counts the routers whose intent a plan hashes (in this process: no worker forks)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hosts: list[str] = []
        real = make.intent_hash

        def counting(intent: DeviceIntent) -> str:
            self.hosts.append(intent.hostname)
            return real(intent)

        monkeypatch.setattr(make, "intent_hash", counting)
        monkeypatch.setattr(fanout, "can_fork", lambda: False)


def test_site_routers_whose_files_are_unchanged_are_not_even_hashed(
        inv: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Pipeline(inv)
    running = normal_forms(first)
    before = first.plan(running, "backups")
    assert {r.host for r in before.routers if r.inputs_hash} == set(first.intents)
    edit("sites/dinkes.yml", "guaranteed_mbps: 80\n  max_mbps: 200",
         "guaranteed_mbps: 90\n  max_mbps: 150")
    hashed = Hashed(monkeypatch)
    after = Pipeline(inv).plan(running, "backups", previous=before)
    hubs = {h for h, i in first.intents.items() if i.is_hub}

    def hubs_of(site: str) -> set[str]:
        return {nb.description for nb in first.intents[site].bgp.neighbors}

    # the site and the hubs it links to; the other hubs are not hashed either
    assert set(hashed.hosts) == {"rtr-dinkes"} | hubs_of("rtr-dinkes")
    assert hubs - hubs_of("rtr-dinkes")
    monkeypatch.undo()
    assert after.routers == Pipeline(inv).plan(running, "backups").routers

    # a file edited without changing its data (a comment): hashed once, found unchanged,
    # and its new inputs kept for the plan after
    edit("sites/bpbd.yml", "id:", "# reviewed\nid:")
    hashed = Hashed(monkeypatch)
    again = Pipeline(inv).plan(running, "backups", previous=after)
    assert set(hashed.hosts) == {"rtr-bpbd"} | hubs_of("rtr-bpbd")
    hashed.hosts.clear()
    Pipeline(inv).plan(running, "backups", previous=again)
    assert hashed.hosts == []


def test_a_change_to_a_shared_file_rehashes_every_router(
        inv: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Pipeline(inv)
    running = normal_forms(first)
    before = first.plan(running, "backups")
    edit("servers.yml", "10.10.10.11,", "10.10.10.12,")
    hashed = Hashed(monkeypatch)
    after = Pipeline(inv).plan(running, "backups", previous=before)
    assert set(hashed.hosts) == set(first.intents)
    monkeypatch.undo()
    assert after.routers == Pipeline(inv).plan(running, "backups").routers
    assert any(r.role == "site" for r in after.changes)  # an NTP server moved


@SETTINGS
@given(site_docs(), st.data())
def test_a_site_routers_intent_is_made_from_its_file_and_the_shared_ones(
        sites: list[dict[str, Any]], data: st.DataObject) -> None:
    """What the shortcut rests on: changing, adding or removing one site's file leaves the
    intent of every site whose own file is unchanged as it was."""
    victim = data.draw(st.integers(0, len(sites) - 1))
    how = data.draw(st.sampled_from(["drop", "bandwidth", "hub"]))
    changed = [dict(s) for s in sites]
    if how == "drop":
        del changed[victim]
    elif how == "bandwidth":
        bw = dict(changed[victim]["bandwidth"])
        bw["max_mbps"] = bw["guaranteed_mbps"]
        bw["guaranteed_mbps"] = 1
        changed[victim]["bandwidth"] = bw
    else:
        changed[victim]["links"] = [dict(link, hub="hub-drc-01" if link["hub"] ==
                                         "hub-pusdatin-01" else link["hub"])
                                    for link in changed[victim]["links"]]
    with tempfile.TemporaryDirectory() as tmp:
        one, two = Path(tmp) / "one", Path(tmp) / "two"
        one.mkdir()
        two.mkdir()
        write_inventory(one, sites)
        write_inventory(two, changed)
        try:
            a, b = Pipeline(one, cache=False), Pipeline(two, cache=False)
            a.intents, b.intents  # noqa: B018
        except SourceError:
            assume(False)
        same_files = set(a.inputs.values()) & set(b.inputs.values())
        assert same_files or len(sites) == 1
        for host, key in a.inputs.items():
            if b.inputs.get(host) == key:
                assert a.intents[host] == b.intents[host], host
