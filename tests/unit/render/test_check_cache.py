"""Validation and ``render --out`` run again render only the routers whose inputs changed
(or, for ``--out``, whose folder no longer holds what they rendered to), and never let a
router through that did not render."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver import pipeline
from pydriver.errors import RenderError
from pydriver.intent.build import build
from pydriver.intent.model import DeviceIntent
from pydriver.pipeline import Pipeline
from pydriver.render import check_cache, render
from pydriver.render.environment import TemplateSet
from pydriver.render.render import RenderedConfig, write
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
    assert set(check_cache.read(kept)) == set(again.inputs.values())  # only current keys


def test_a_router_that_failed_is_rendered_again_until_it_passes(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        Renders(patch, fail=HOST)
        with pytest.raises(RenderError, match="refused by the test"):
            Pipeline(inv).check_rendering()
    kept = check_cache.location(inv)
    assert check_cache.read(kept) == {}  # a failed check records nothing
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


def _written(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def _expected(inv: Path) -> dict[str, bytes]:
    """Every router rendered afresh, as files under their folders."""
    return {f"{h}/{name}": text.encode() for h, c in Pipeline(inv, cache=False).rendered.items()
            for name, text in c.files}


def test_render_out_again_renders_only_what_changed_and_writes_what_a_full_render_would(
        inv: Path, edit: Edit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    renders = Renders(monkeypatch)
    first = Pipeline(inv)
    paths = first.write_rendered(out)
    assert sorted(set(renders.hosts)) == sorted(first.intents)
    assert sorted(str(p.relative_to(out)) for p in paths) == sorted(_written(out))
    assert [p.parent.name for p in paths] == sorted(p.parent.name for p in paths)
    assert _written(out) == _expected(inv)

    renders.hosts.clear()
    assert Pipeline(inv).write_rendered(out) == paths
    assert renders.hosts == []

    edit(SITE, "guaranteed_mbps: 50", "guaranteed_mbps: 60")
    before = _written(out)
    again = Pipeline(inv)
    again.write_rendered(out)
    assert set(renders.hosts) == {HOST, *_hubs_of(again, HOST)}
    now = _written(out)
    assert now == _expected(inv)
    assert {k.partition("/")[0] for k in now if now[k] != before[k]} <= set(renders.hosts)


def test_render_out_repairs_a_folder_edited_by_hand(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    Pipeline(inv).write_rendered(out)
    edited = next(p for p in sorted(out.rglob("*")) if p.is_file())
    edited.write_text(edited.read_text() + "# by hand\n")
    gone = next(p for p in sorted(out.rglob("*")) if p.is_file() and p.parent != edited.parent)
    gone.unlink()
    renders = Renders(monkeypatch)
    Pipeline(inv).write_rendered(out)
    assert sorted(renders.hosts) == sorted({edited.parent.name, gone.parent.name})
    assert _written(out) == _expected(inv)


def test_other_code_renders_every_router_again(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Pipeline(inv).check_rendering()
    monkeypatch.setattr(pipeline, "code_digest", lambda: "other code")
    renders = Renders(monkeypatch)
    pipe = Pipeline(inv)
    pipe.check_rendering()
    assert sorted(renders.hosts) == sorted(pipe.intents)


def test_code_that_changed_during_the_command_records_nothing(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "still_current", lambda: False)  # edited meanwhile
    Pipeline(inv).write_rendered(inv.parent / "build")
    assert check_cache.read(check_cache.location(inv)) == {}


def test_validate_then_render_out_shares_what_rendered(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digests validation keeps are those of the files ``render --out`` writes."""
    out = tmp_path / "build"
    Pipeline(inv).check_rendering()
    write(Pipeline(inv, cache=False).rendered, out)
    renders = Renders(monkeypatch)
    Pipeline(inv).write_rendered(out)
    assert renders.hosts == []


def test_scripts_of_a_router_left_alone_stay_runnable(inv: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    Pipeline(inv).write_rendered(out)
    scripts = sorted(out.glob("*/*.sh"))
    assert scripts
    for script in scripts:
        script.chmod(0o644)
    Pipeline(inv).write_rendered(out)
    assert {oct(s.stat().st_mode & 0o777) for s in scripts} == {oct(0o755)}


def test_nothing_to_render_builds_no_intent(
        inv: Path, edit: Edit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run again with no input changed, validation and ``render --out`` build no intent
    (the hostnames and platforms come from the network); a change builds them."""
    built: list[int] = []
    real = build

    def counting(*args: object, **kwargs: object) -> dict[str, DeviceIntent]:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", counting)
    out = tmp_path / "build"
    first = Pipeline(inv)
    first.check_rendering()
    written = first.write_rendered(out)
    assert len(built) == 1
    again = Pipeline(inv)
    again.check_rendering()
    assert again.write_rendered(out) == written
    assert len(built) == 1 and "intents" not in again.__dict__
    assert list(again.platforms) == list(first.intents)
    edit(SITE, "guaranteed_mbps: 50", "guaranteed_mbps: 60")
    Pipeline(inv).check_rendering()
    assert len(built) == 2
