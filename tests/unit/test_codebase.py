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
