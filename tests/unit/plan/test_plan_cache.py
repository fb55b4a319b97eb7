"""The last plan that saves the next one work is the user's, never the checkout's.

A pull request controls every file of its checkout. A forged "last plan" committed beside
the inventory, saying a changed router is unchanged, must not hide the change from the
reviewer; the same forgery in the user's own cache is used (which shows that the cache is
read from there, and only there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pydriver.deploy import backup, plan_cache
from pydriver.deploy.sources import build_plan
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from tests.conftest import Edit
from tests.unit.plan.test_incremental import running_form

SITE = "rtr-dinkes"


def forged(plan: Plan) -> str:
    """The plan with the site's change erased, its hashes kept and its digest made again
    (as anyone with the code can)."""
    routers = tuple(
        replace(r, action="noop", commands=(), rollback=(), added=0, removed=0, sections=(),
                removed_lines=(), risks=()) if r.host == SITE else r for r in plan.routers)
    return replace(plan, routers=routers).to_json()


@pytest.fixture
def setup(inv: Path, edit: Edit, tmp_path: Path) -> tuple[Pipeline, Path, str]:
    pipe = Pipeline(inv, state=tmp_path / "state")
    repo = tmp_path / "backups"
    running = {h: running_form(c) for h, c in pipe.rendered.items()}
    platforms = {h: i.platform.value for h, i in pipe.intents.items()}
    backup.store(repo, running, platforms)
    edit("sites/dinkes.yml", "guaranteed_mbps: 80\n  max_mbps: 200",
         "guaranteed_mbps: 90\n  max_mbps: 150")
    changed = Pipeline(inv, state=tmp_path / "state")
    real = build_plan(changed, "backups", None, 1, repo)
    assert SITE in {r.host for r in real.changes}
    return changed, repo, forged(real)


def test_a_last_plan_in_the_checkout_is_not_read(
        setup: tuple[Pipeline, Path, str], inv: Path) -> None:
    pipe, repo, forgery = setup
    cache = plan_cache.location(inv)
    assert cache is not None
    cache.unlink()
    for planted in (inv.parent / ".pydriver" / "plans" / "last.json",
                    pipe.state / "plans" / "last.json"):
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.write_text(forgery)
    again = build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    site = next(r for r in again.routers if r.host == SITE)
    assert site.action == "update" and site.commands


def test_the_users_cache_is_what_saves_work(
        setup: tuple[Pipeline, Path, str], inv: Path, own_cache: Path) -> None:
    pipe, repo, forgery = setup
    cache = plan_cache.location(inv)
    assert cache is not None and cache.is_file()
    assert cache.is_relative_to(own_cache / "pydriver")
    assert cache.parent.stat().st_mode & 0o077 == 0
    cache.write_text(forgery)
    again = build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    assert next(r for r in again.routers if r.host == SITE).action == "noop"
    # a copy of the inventory elsewhere has a cache of its own
    assert plan_cache.location(inv.parent.parent / "other" / "inventory") != cache


def reused(pipe: Pipeline, repo: Path, inv: Path) -> bool:
    again = build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    return next(r for r in again.routers if r.host == SITE).action == "noop"


def test_a_cache_others_can_write_is_not_trusted(
        setup: tuple[Pipeline, Path, str], inv: Path) -> None:
    pipe, repo, forgery = setup
    cache = plan_cache.location(inv)
    assert cache is not None
    cache.write_text(forgery)
    cache.parent.chmod(0o777)
    assert not reused(pipe, repo, inv)
    cache.parent.chmod(0o700)
    cache.chmod(0o666)
    assert not reused(pipe, repo, inv)
    cache.chmod(0o600)
    link = cache.with_name("elsewhere.json")
    cache.rename(link)
    cache.symlink_to(link)
    assert not reused(pipe, repo, inv)


@pytest.mark.parametrize("where", ["relative", "in the checkout", "beside the inventory"])
def test_a_cache_home_in_the_checkout_is_not_used(
        where: str, setup: tuple[Pipeline, Path, str], inv: Path,
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``XDG_CACHE_HOME=.cache`` (relative: the XDG rules say to ignore it) or a cache
    set inside the work tree (a CI job's workspace) would put the plan back where a
    pull request can plant one. Without git to name the work tree (a tree unpacked with
    no ``.git``, no git installed), the folder holding ``inventory/`` is taken as one."""
    pipe, repo, _ = setup
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(inv)
    monkeypatch.setenv("XDG_CACHE_HOME", {"relative": ".cache",
                                          "in the checkout": str(inv / ".cache"),
                                          "beside the inventory": str(inv.parent / ".cache")
                                          }[where])
    cache = plan_cache.location(inv)
    if where == "relative":
        assert cache is not None and cache.is_relative_to(home / ".cache")
    else:
        assert cache is None
    build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    assert not list(inv.parent.rglob("last.json"))


def test_the_checkout_is_the_outermost_work_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An inventory deep in a repository, or in a submodule of one: a cache anywhere in
    the outer work tree is the pull request's, not the user's."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], check=True, capture_output=True)

    outer, inner = tmp_path / "outer", tmp_path / "inner"
    for tree in (outer, inner):
        tree.mkdir()
        git("init", "-q", str(tree))
    (inner / "inventory").mkdir()
    (inner / "inventory" / "region.yml").write_text("a: 1\n")
    git("-C", str(inner), "add", "-A")
    git("-C", str(inner), "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x")
    git("-C", str(outer), "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        str(inner), "regions/ntb")
    inventory = outer / "regions" / "ntb" / "inventory"
    assert inventory.is_dir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(outer / ".cache"))
    assert plan_cache.location(inventory) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert plan_cache.location(inventory) is not None


def test_backups_and_last_plan_are_read_with_the_network_set_aside(
        setup: tuple[Pipeline, Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the backups and the last plan allocates enough to set the collector off; with
    a province's network alive, every pass walked all of it. Both run with the heap the
    intents left settled (frozen out of the walks), and nothing stays frozen after."""
    import gc

    pipe, repo, _ = setup
    frozen: dict[str, int] = {}
    read, previous = backup.read, plan_cache.previous

    def spy_read(*args: object, **kwargs: object) -> dict[str, str]:
        frozen["backups"] = gc.get_freeze_count()
        return read(*args, **kwargs)  # type: ignore[arg-type]

    def spy_previous(*args: object) -> Plan | None:
        frozen["last plan"] = gc.get_freeze_count()
        return previous(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(backup, "read", spy_read)
    monkeypatch.setattr(plan_cache, "previous", spy_previous)
    assert gc.get_freeze_count() == 0
    build_plan(Pipeline(pipe.inventory, state=pipe.state), "backups", None, 1, repo)
    assert frozen["backups"] > 1000 and frozen["last plan"] > 1000
    assert gc.get_freeze_count() == 0


def test_a_plan_made_while_the_code_changed_is_not_kept(
        setup: tuple[Pipeline, Path, str], inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan says it was made by the code of its start; when that code changed during
    the command (a checkout, an edit), parts of it may have been made by other code."""
    from pydriver import codebase

    pipe, repo, _ = setup
    cache = plan_cache.location(inv)
    assert cache is not None and cache.is_file()
    cache.unlink()
    monkeypatch.setattr(codebase, "still_current", lambda: False)
    build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    assert not cache.exists()
    monkeypatch.setattr(codebase, "still_current", lambda: True)
    build_plan(Pipeline(inv, state=pipe.state), "backups", None, 1, repo)
    assert cache.is_file()
