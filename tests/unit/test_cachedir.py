"""The user's cache does not grow for ever: folders of checkouts no command wrote to for a
month go, and so do the temporary files of killed writers; nothing else is touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pydriver import cachedir

DAY = 86400.0


def _folder(kind: Path, key: str, files: dict[str, str], age_days: float) -> Path:
    folder = kind / key
    folder.mkdir(mode=0o700, parents=True)
    then = time.time() - age_days * DAY
    for name, text in files.items():
        (folder / name).write_text(text)
        os.utime(folder / name, (then, then))
    os.utime(folder, (then, then))
    return folder


def _kind(own_cache: Path, name: str = "parsed") -> Path:
    kind = own_cache / "pydriver" / name
    kind.mkdir(mode=0o700, parents=True)
    os.chmod(own_cache / "pydriver", 0o700)
    return kind


def test_a_checkouts_folder_unwritten_for_a_month_goes_and_a_recent_one_stays(
        own_cache: Path) -> None:
    kind = _kind(own_cache)
    old = _folder(kind, "0123456789abcdef", {"cache": "old"}, cachedir.UNUSED_DAYS + 1)
    recent = _folder(kind, "fedcba9876543210", {"cache": "recent"}, cachedir.UNUSED_DAYS - 1)
    assert cachedir.prune(kind, time.time()) == ["0123456789abcdef"]
    assert not old.exists()
    assert (recent / "cache").read_text() == "recent"


def test_a_folder_written_to_lately_stays_whatever_its_own_time(own_cache: Path) -> None:
    kind = _kind(own_cache)
    folder = _folder(kind, "0123456789abcdef", {"cache": "x"}, cachedir.UNUSED_DAYS + 5)
    (folder / "cache").touch()  # a file replaced today, the folder's time left old
    os.utime(folder, (time.time() - 90 * DAY,) * 2)
    assert cachedir.prune(kind, time.time()) == []
    assert folder.exists()


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then), follow_symlinks=False)


def test_what_the_cache_did_not_make_is_left_alone(own_cache: Path, tmp_path: Path) -> None:
    """Every folder here is old enough to go, were it the cache's: each is kept for what
    it is, never followed, and what lies outside the cache is never touched."""
    kind = _kind(own_cache, "templates")
    age = cachedir.UNUSED_DAYS + 10
    elsewhere = _folder(tmp_path, "elsewhere", {"keep": "not the cache's"}, age)
    not_a_key = _folder(kind, "my-notes", {"a": "b"}, age)
    nested = _folder(kind, "00000000000000aa", {"a": "b"}, age)
    (nested / "sub").mkdir()
    _age(nested / "sub", age)
    _age(nested, age)
    shared = _folder(kind, "00000000000000bb", {"a": "b"}, age)
    os.chmod(shared, 0o777)
    linked = kind / "00000000000000cc"
    linked.symlink_to(elsewhere, target_is_directory=True)
    _age(linked, age)
    holds_link = _folder(kind, "00000000000000dd", {}, age)
    (holds_link / "link").symlink_to(elsewhere / "keep")
    _age(holds_link / "link", age)
    _age(holds_link, age)
    assert cachedir.prune(kind, time.time()) == []
    for kept in (not_a_key, nested, shared):
        assert (kept / "a").read_text() == "b"
    assert (nested / "sub").is_dir()
    assert linked.is_symlink()
    assert (holds_link / "link").is_symlink()
    assert (elsewhere / "keep").read_text() == "not the cache's"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_another_user_owns_is_left_alone(own_cache: Path) -> None:
    kind = _kind(own_cache)
    theirs = _folder(kind, "0123456789abcdef", {"cache": "theirs"}, cachedir.UNUSED_DAYS + 1)
    os.chown(theirs, 65534, 65534)
    assert cachedir.prune(kind, time.time()) == []
    assert (theirs / "cache").read_text() == "theirs"


def test_a_killed_writers_temporary_file_goes_after_a_day(own_cache: Path) -> None:
    kind = _kind(own_cache, "plans")
    folder = _folder(kind, "0123456789abcdef", {"last.json": "{}"}, 0)
    stale = folder / ".last.json.4242.a1b2c3d4e5f6.tmp"
    fresh = folder / ".last.json.4243.a1b2c3d4e5f7.tmp"
    for path, age in ((stale, cachedir.STALE_TMP_DAYS + 1), (fresh, 0)):
        path.write_text("half")
        os.utime(path, (time.time() - age * DAY,) * 2)
    assert cachedir.prune(kind, time.time()) == []
    assert sorted(p.name for p in folder.iterdir()) == [fresh.name, "last.json"]


def test_a_group_writable_cache_is_not_pruned(own_cache: Path) -> None:
    kind = _kind(own_cache)
    old = _folder(kind, "0123456789abcdef", {"cache": "old"}, cachedir.UNUSED_DAYS + 1)
    os.chmod(kind, 0o775)
    assert cachedir.prune(kind, time.time()) == []
    assert old.exists()


def _place(tmp_path: Path, kind: str) -> Path:
    """An inventory's own cache folder of ``kind`` (not made yet)."""
    inventory = tmp_path / "inventory"
    inventory.mkdir(exist_ok=True)
    path = cachedir.folder(kind, inventory)
    assert path is not None
    return path


def test_a_write_prunes_its_kind_and_keeps_what_it_wrote(own_cache: Path,
                                                         tmp_path: Path) -> None:
    path = _place(tmp_path, "checked")
    kind = _kind(own_cache, "checked")
    old = _folder(kind, "0123456789abcdef", {"keys": "old"}, cachedir.UNUSED_DAYS + 1)
    cachedir.write(path / "keys", "new")
    assert not old.exists()
    assert cachedir.read(path / "keys") == "new"


def test_a_command_prunes_each_kind_once_not_per_file(own_cache: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def counted(kind: Path, now: float) -> list[str]:
        calls.append(kind)
        return []

    monkeypatch.setattr(cachedir, "prune", counted)
    for kind in ("parsed", "templates", "parsed", "templates"):
        path = _place(tmp_path, kind)
        for name in ("one", "two"):
            cachedir.write(path / name, name)
    assert calls == [own_cache / "pydriver" / "parsed", own_cache / "pydriver" / "templates"]


def test_a_kind_is_pruned_once_a_day_whichever_command_writes(own_cache: Path,
                                                              tmp_path: Path) -> None:
    path = _place(tmp_path, "parsed")
    kind = _kind(own_cache)
    old = cachedir.UNUSED_DAYS + 1
    first = _folder(kind, "000000000000000a", {"cache": "x"}, old)
    cachedir.write(path / "cache", "one")
    assert not first.exists()
    assert (kind / cachedir.PRUNED).is_file()
    second = _folder(kind, "000000000000000b", {"cache": "x"}, old)
    cachedir._prune_once.cache_clear()  # another command, the same day
    cachedir.write(path / "cache", "two")
    assert second.exists()
    _age(kind / cachedir.PRUNED, cachedir.PRUNE_EVERY_DAYS + 0.5)
    cachedir._prune_once.cache_clear()  # another command, the next day
    cachedir.write(path / "cache", "three")
    assert not second.exists()
    assert cachedir.read(path / "cache") == "three"
