"""Where pydriver keeps what saves the next command work (the last plan, the parsed
inventory), and the rules that make such a shortcut safe to take.

Why these rules: a pull request controls every file of its checkout. A cache entry
committed there could say that a changed file or router is unchanged, and the reviewer
would see no change where the merge brings one. So caches live under
``$XDG_CACHE_HOME`` (an absolute path, as the XDG rules require; else ``~/.cache``), are
not used when that place is inside the inventory's checkout, and are read only from
folders and files this user owns and no one else can write. Any doubt means no
shortcut: the work is then done again, never skipped wrongly. A cache that cannot be
written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import subprocess
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def _checkout(inventory: Path) -> Path:
    """The git work tree holding the inventory, else the inventory itself (asked once
    per inventory and process: the last plan and the parsed files both need it)."""
    try:
        top = subprocess.run(["git", "-C", str(inventory), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10)
        if top.returncode == 0 and top.stdout.strip():
            return Path(top.stdout.strip()).resolve()
    except (OSError, subprocess.SubprocessError):
        pass
    return inventory


def root() -> Path:
    """``$XDG_CACHE_HOME`` when it is an absolute path, else ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"


def folder(kind: str, inventory: Path) -> Path | None:
    """The inventory's own cache folder of ``kind`` (by its absolute path: two checkouts
    never share one); None when the only place is inside its checkout."""
    real = inventory.resolve()
    key = hashlib.sha256(str(real).encode()).hexdigest()[:16]
    place = root() / "pydriver" / kind / key
    if place.resolve().is_relative_to(_checkout(real)):
        return None
    return place


def _private(path: Path, directory: bool) -> bool:
    """A real directory (or regular file), this user's, that no one else can write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    return kind and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _folders_private(path: Path) -> bool:
    top = root() / "pydriver"
    folders = [path.parent, *(p for p in path.parent.parents if p.is_relative_to(top))]
    return all(_private(f, directory=True) for f in folders)


def trusted(path: Path | None) -> bool:
    """Whether the cache file at ``path`` may be read: a regular file in folders that
    are all this user's and no one else can write."""
    return path is not None and _folders_private(path) and _private(path, directory=False)


def write(path: Path | None, text: str) -> None:
    """Replace the cache file at ``path`` with ``text`` in one step (a reader sees the old
    file or the new one, never half of one); nothing when it cannot be done safely."""
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _folders_private(path):
            return
    except OSError:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
