"""The code's digest names every file that renders or plans: pydriver's own, and those of
a platform registered from another package (an editable plugin changes without a new
version)."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from pydriver import codebase
from pydriver.platforms.registry import GROUP


def test_a_plugin_platforms_files_are_in_the_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "jip_plugin"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "driver.py").write_text("class Driver: ...\n")
    template = package / "templates" / "site.j2"
    template.write_text("hostname {{ d.hostname }}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    without = codebase.code_now()
    def with_plugin(group: str) -> list[EntryPoint]:
        found = list(entry_points(group=group))
        if group == GROUP:
            found.append(EntryPoint("jip_vendor", "jip_plugin.driver:Driver", GROUP))
        return found

    monkeypatch.setattr("pydriver.codebase.entry_points", with_plugin)
    before = codebase.code_now()
    assert before != without  # the plugin is seen at all
    template.write_text("hostname {{ d.hostname | upper }}\n")
    assert codebase.code_now() != before
    assert codebase.code_now() == codebase.code_now()  # and the digest is stable
    assert "jip_plugin" not in sys.modules  # found without being imported


def test_a_file_edited_or_added_after_the_snapshot_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a command keeps (a render known to pass, a compiled template, the last plan)
    is kept only when the code did not change while it ran: a plugin's template edited,
    or a module added, is seen without hashing it all again."""
    package = tmp_path / "jip_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "driver.py"
    module.write_text("class Driver: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def with_plugin(group: str) -> list[EntryPoint]:
        found = list(entry_points(group=group))
        if group == GROUP:
            found.append(EntryPoint("jip_vendor", "jip_plugin.driver:Driver", GROUP))
        return found

    monkeypatch.setattr("pydriver.codebase.entry_points", with_plugin)
    start = codebase.snapshot()
    assert codebase.still(start)
    assert codebase.snapshot().digest == start.digest
    module.write_text("class Driver:  # edited\n    ...\n")
    assert not codebase.still(start)
    edited = codebase.snapshot()
    assert edited.digest != start.digest
    (package / "extra.py").write_text("X = 1\n")
    assert not codebase.still(edited)
    assert codebase.still(codebase.snapshot())
