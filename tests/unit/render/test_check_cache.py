"""Validation run again renders only the routers whose inputs changed, and never lets a
router through that did not render."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.errors import RenderError
from pydriver.intent.model import DeviceIntent
from pydriver.pipeline import Pipeline
from pydriver.render import check_cache, render
from pydriver.render.environment import TemplateSet
from pydriver.render.render import RenderedConfig
from tests.conftest import Edit

SITE = "sites/bappeda.yml"
HOST = "rtr-bappeda"


class Renders:
    """The routers rendered in this process (the example is too small for workers)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: str | None = None) -> None:
        self.hosts: list[str] = []
        real = render.render_one

        def counting(intent: DeviceIntent, platform: TemplateSet, env: object
                     ) -> RenderedConfig:
            self.hosts.append(intent.hostname)
            if intent.hostname == fail:
                raise RenderError(intent.hostname, "refused by the test")
            return real(intent, platform, env)  # type: ignore[arg-type]

        monkeypatch.setattr(render, "render_one", counting)


def _hubs_of(pipe: Pipeline, host: str) -> set[str]:
    site = next(s for s in pipe.network.sites if s.router.hostname == host)
    return {link.hub for link in site.links}


def test_a_check_again_renders_only_the_changed_site_and_its_hubs(
        inv: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Pipeline(inv)
    renders = Renders(monkeypatch)
    first.check_rendering()
    assert sorted(renders.hosts) == sorted(first.intents)
    kept = check_cache.location(inv)
    assert kept is not None and len(check_cache.read(kept)) == len(first.intents)

    renders.hosts.clear()
    Pipeline(inv).check_rendering()
    assert renders.hosts == []  # nothing changed: nothing rendered

    edit(SITE, "guaranteed_mbps: 50", "guaranteed_mbps: 60")
    again = Pipeline(inv)
    again.check_rendering()
    assert set(renders.hosts) == {HOST, *_hubs_of(again, HOST)}
    assert len(renders.hosts) < len(again.intents) / 2
    assert check_cache.read(kept) == frozenset(again.inputs.values())  # only current keys


def test_a_router_that_failed_is_rendered_again_until_it_passes(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        Renders(patch, fail=HOST)
        with pytest.raises(RenderError, match="refused by the test"):
            Pipeline(inv).check_rendering()
    kept = check_cache.location(inv)
    assert check_cache.read(kept) == frozenset()  # a failed check records nothing
    renders = Renders(monkeypatch, fail=HOST)
    with pytest.raises(RenderError, match="refused by the test"):
        Pipeline(inv).check_rendering()
    assert HOST in renders.hosts


def test_no_cache_renders_every_router_every_time(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Pipeline(inv).check_rendering()  # the cache is filled...
    renders = Renders(monkeypatch)
    pipe = Pipeline(inv, cache=False)
    pipe.check_rendering()  # ...and not read by a pipeline without one
    assert sorted(renders.hosts) == sorted(pipe.intents)


def test_a_planted_or_shared_file_is_not_trusted(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Pipeline(inv).check_rendering()
    kept = check_cache.location(inv)
    assert kept is not None
    kept.chmod(0o666)  # anyone could have written these keys
    renders = Renders(monkeypatch)
    pipe = Pipeline(inv)
    pipe.check_rendering()
    assert sorted(renders.hosts) == sorted(pipe.intents)
