"""The code's digest names every file that renders or plans: pydriver's own, and those of
a platform registered from another package (an editable plugin changes without a new
version)."""

from __future__ import annotations

import os
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from pydriver import codebase
from pydriver.platforms.registry import GROUP


def _plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A platform package ``jip_plugin`` registered by entry point (beside pydriver's
    own), not imported; its folder."""
    package = tmp_path / "jip_plugin"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "driver.py").write_text("class Driver: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def with_plugin(group: str) -> list[EntryPoint]:
        found = list(entry_points(group=group))
        if group == GROUP:
            found.append(EntryPoint("jip_vendor", "jip_plugin.driver:Driver", GROUP))
        return found

    monkeypatch.setattr("pydriver.codebase.entry_points", with_plugin)
    return package


def test_a_plugin_platforms_files_are_in_the_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without = codebase.snapshot().digest
    package = _plugin(tmp_path, monkeypatch)
    template = package / "templates" / "site.j2"
    template.write_text("hostname {{ d.hostname }}\n")
    before = codebase.snapshot().digest
    assert before != without  # the plugin is seen at all
    template.write_text("hostname {{ d.hostname | upper }}\n")
    assert codebase.snapshot().digest != before
    assert codebase.snapshot().digest == codebase.snapshot().digest  # and the digest is stable
    assert "jip_plugin" not in sys.modules  # found without being imported


def test_a_file_edited_or_added_after_the_snapshot_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a command keeps (a render known to pass, a compiled template, the last plan)
    is kept only when the code did not change while it ran: a plugin's template edited,
    or a module added, is seen without hashing it all again."""
    package = _plugin(tmp_path, monkeypatch)
    module = package / "driver.py"
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


def test_a_file_rewritten_with_its_size_and_time_kept_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cp -p``, ``tar`` and ``rsync -t`` put the modification time back; the change
    time, which only the kernel sets, still moves."""
    module = _plugin(tmp_path, monkeypatch) / "driver.py"
    module.write_text("class Driver: A = 1\n")
    before = module.stat()
    start = codebase.snapshot()
    module.write_text("class Driver: A = 2\n")  # the same size
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert module.stat().st_mtime_ns == before.st_mtime_ns
    assert not codebase.still(start)


def test_code_changed_after_its_import_is_no_known_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running process takes the digest long after it imported the code: when the
    files changed in between, the digest would name code that is not the code running.
    Then it names none, and nothing is ever current."""
    monkeypatch.setattr(codebase, "_IMPORTED", ())  # as if the files were others then
    code = codebase._at_start.__wrapped__()
    assert code.digest.startswith("unknown ") and not codebase.still(code)
    assert codebase._at_start.__wrapped__().digest != code.digest  # each one unknown
    monkeypatch.undo()
    assert codebase._at_start.__wrapped__().digest == codebase.snapshot().digest


def test_files_going_away_while_read_make_no_known_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout or an upgrade under way (a folder gone during the walk): no command
    fails for it; the code is then no known code, and never current."""
    start = codebase.snapshot()
    real = codebase._code_files

    def vanishing(roots: tuple[Path, ...]) -> list[tuple[Path, Path]]:
        raise FileNotFoundError(roots[0] / "__pycache__")

    monkeypatch.setattr(codebase, "_code_files", vanishing)
    assert not codebase.still(start)
    gone = codebase.snapshot()
    assert gone.digest.startswith("unknown ") and not codebase.still(gone)
    monkeypatch.setattr(codebase, "_code_files", real)
    assert codebase.still(start)
