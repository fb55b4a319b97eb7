"""Compiled templates kept between processes: used when trusted, ignored when not, and
never a different output."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from pydriver.pipeline import Pipeline
from pydriver.render import template_cache
from pydriver.render.environment import environment
from pydriver.render.render import render, render_one


class Compiles:
    """Counts the templates Jinja compiles from source (not those read back compiled)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str | None] = []  # the template's file (names repeat per folder)
        real = jinja2.Environment.compile

        def counting(env: jinja2.Environment, source: str, name: str | None = None,
                     filename: str | None = None, raw: bool = False,
                     defer_init: bool = False) -> object:
            self.names.append(filename)
            return real(env, source, name, filename, raw, defer_init)  # type: ignore[call-overload]

        monkeypatch.setattr(jinja2.Environment, "compile", counting)


def _fresh(pipe: Pipeline, folder: Path | None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every router rendered in a new environment (as a new process would), in one
    process (no workers: the count is this process's)."""
    env = environment.__wrapped__(
        tuple(pipe.driver(p) for p in sorted({i.platform for i in pipe.intents.values()})),
        folder)
    return {h: render_one(i, pipe.driver(i.platform), env).files
            for h, i in pipe.intents.items()}


def test_templates_compiled_by_one_process_are_read_back_by_the_next(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = Pipeline(example)
    folder = template_cache.location(example)
    assert folder is not None
    compiles = Compiles(monkeypatch)
    first = _fresh(pipe, folder)
    assert len(set(compiles.names)) >= 6  # every platform's site and hub templates, macros
    assert len(list(folder.glob("*.jinja"))) == len(set(compiles.names))
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    compiles.names.clear()
    assert _fresh(pipe, folder) == first
    assert compiles.names == []
    assert _fresh(pipe, None) == first  # the same output compiled afresh
    assert compiles.names


def test_a_compiled_template_anyone_else_could_have_written_is_not_run(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled code runs as pydriver's: a file in the folder that others can write is
    compiled again, not read; so is one that is a link."""
    pipe = Pipeline(example)
    folder = template_cache.location(example)
    assert folder is not None
    first = _fresh(pipe, folder)
    entries = sorted(folder.glob("*.jinja"))
    entries[0].chmod(0o666)
    target = folder.parent / "elsewhere.jinja"
    target.write_bytes(entries[1].read_bytes())
    entries[1].unlink()
    entries[1].symlink_to(target)
    compiles = Compiles(monkeypatch)
    assert _fresh(pipe, folder) == first
    assert len(compiles.names) == 2
    compiles.names.clear()
    os.chmod(folder, 0o770)  # the folder itself open to the group: nothing is read
    assert _fresh(pipe, folder) == first
    assert len(compiles.names) == len(entries)


def test_a_stale_compiled_template_is_compiled_again(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry made from another source (a template changed since, or a file swapped for
    another template's code) fails Jinja's checksum and is compiled again."""
    pipe = Pipeline(example)
    folder = template_cache.location(example)
    assert folder is not None
    first = _fresh(pipe, folder)
    entries = sorted(folder.glob("*.jinja"))
    swapped = entries[0].read_bytes()
    entries[0].write_bytes(entries[1].read_bytes())
    entries[1].write_bytes(swapped)
    compiles = Compiles(monkeypatch)
    assert _fresh(pipe, folder) == first
    assert len(compiles.names) == 2


def test_the_pipeline_keeps_compiled_templates_only_with_its_cache(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = template_cache.location(inv)
    assert folder is not None
    Pipeline(inv, cache=False).render_host("rtr-dinkes")
    assert not folder.exists()
    with_cache = Pipeline(inv).rendered
    assert sorted(folder.glob("*.jinja"))
    assert with_cache == render(Pipeline(inv, cache=False).intents, Pipeline(inv).driver)


def test_a_template_compiled_under_other_options_is_compiled_again(tmp_path: Path) -> None:
    """The code Jinja compiles depends on the environment's options as well as on the
    source: an entry made under others (or another Jinja) is not read."""
    (tmp_path / "t.j2").write_text("{% if true %}\n  a\n{% endif %}\n")
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o700)
    outputs = []
    for trim in (True, False, True):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), trim_blocks=trim,
                                 bytecode_cache=template_cache.TemplateCache(folder))
        outputs.append(env.get_template("t.j2").render())
    assert outputs == ["  a\n", "\n  a\n", "  a\n"]
    assert len(list(folder.glob("*.jinja"))) == 1  # the last one's: one entry per template


def test_code_compiled_by_another_pydriver_is_compiled_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja runs a filter on a constant while compiling (``("in/icmp") | ros_comment``
    compiles to its result): code compiled by another pydriver, whose filter said
    otherwise, would render that pydriver's output. The entry is not read across
    versions of the code."""
    from pydriver import codebase

    (tmp_path / "t.j2").write_text('comment={{ ("in/icmp") | tag }}\n')
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o700)

    def rendered(tag: str, code: str) -> str:
        monkeypatch.setattr(codebase, "code_digest", lambda: code)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path),
                                 bytecode_cache=template_cache.TemplateCache(folder))
        env.filters["tag"] = lambda key: f"{tag}:{key}"
        return env.get_template("t.j2").render()

    assert rendered("pydriver", "code-1") == "comment=pydriver:in/icmp"
    assert rendered("pd", "code-1") == "comment=pydriver:in/icmp"  # the same code: read back
    assert rendered("pd", "code-2") == "comment=pd:in/icmp"  # another pydriver: compiled
    # and the first one's entry is gone: an edit or an upgrade leaves no files behind
    assert len(list(folder.glob("*.jinja"))) == 1


def test_nothing_is_removed_from_a_folder_others_can_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries of other code are removed only where entries are trusted at all."""
    from pydriver import codebase

    (tmp_path / "t.j2").write_text("a\n")
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o700)
    for code in ("code-1", "code-2"):
        monkeypatch.setattr(codebase, "code_digest", lambda code=code: code)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path),
                                 bytecode_cache=template_cache.TemplateCache(folder))
        assert env.get_template("t.j2").render() == "a"
        os.chmod(folder, 0o770)  # after the first: open to the group
    assert len(list(folder.glob("*.jinja"))) == 1  # code-1's, neither replaced nor removed


def test_nothing_is_kept_when_the_code_changed_during_the_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A filter imported after the code's digest was taken may be another pydriver's:
    what it compiled is not kept under that digest, and the entry kept before stays."""
    from pydriver import codebase

    (tmp_path / "t.j2").write_text("a\n")
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o700)
    for code, current in (("code-1", True), ("code-2", False)):
        monkeypatch.setattr(codebase, "code_digest", lambda code=code: code)
        monkeypatch.setattr(codebase, "still_current", lambda current=current: current)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path),
                                 bytecode_cache=template_cache.TemplateCache(folder))
        assert env.get_template("t.j2").render() == "a"
    kept = list(folder.glob("*.jinja"))
    assert len(kept) == 1  # code-1's: code-2's was neither written nor put in its place
    monkeypatch.setattr(codebase, "code_digest", lambda: "code-1")
    assert kept[0].name.startswith(template_cache.fingerprint(env))
