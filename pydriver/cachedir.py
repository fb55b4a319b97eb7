"""Where pydriver keeps what saves the next command work (the last plan, the parsed
inventory, the compiled templates), and the rules that make such a shortcut safe to take.

Why these rules: a pull request controls every file of its checkout. A cache entry
committed there could say that a changed file or router is unchanged, and the reviewer
would see no change where the merge brings one; a compiled template planted there would
run as pydriver's code. So caches live under
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
import re
import secrets
import stat
import subprocess
import time
from functools import lru_cache
from pathlib import Path

#: A checkout's cache folder that no command has written to for this long is removed (the
#: checkout, a worktree or a CI job's copy, is most likely gone): only time is lost if not.
UNUSED_DAYS = 30
#: A temporary file this old is a writer's that was killed before its rename.
STALE_TMP_DAYS = 1
#: A kind is pruned at most this often: its stamp file (:data:`PRUNED`) tells when it was.
PRUNE_EVERY_DAYS = 1
PRUNED = ".pruned"
_DAY = 86400.0
_KEY = re.compile(r"[0-9a-f]{16}")


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", *args],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


@lru_cache(maxsize=64)
def _checkout(inventory: Path) -> Path:
    """The tree a pull request could have written the inventory with: the outermost git
    work tree holding it (a submodule's superproject included), asked once per inventory
    and process. When git cannot tell (no git, a tree unpacked without ``.git``, a
    repository git refuses to read), the folder that holds the inventory: ``inventory/``
    sits at the top of its repository."""
    top = _git(inventory, "--show-toplevel")
    if not top:
        return inventory.parent
    tree = Path(top).resolve()
    for _ in range(8):  # a submodule of a submodule...
        outer = _git(tree, "--show-superproject-working-tree")
        if not outer:
            break
        tree = Path(outer).resolve()
    return tree


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


def _owned(st: os.stat_result) -> bool:
    """This user's, and no one else can write it: the one rule every cache file and folder
    is held to, whether seen by its name or on a descriptor opened."""
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _private(folder: Path) -> bool:
    """A real directory (not a link to one), this user's, that no one else can write."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _owned(st)


def _folders_private(path: Path) -> bool:
    top = root() / "pydriver"
    folders = [path.parent, *(p for p in path.parent.parents if p.is_relative_to(top))]
    return all(_private(f) for f in folders)


def _make_private(folder: Path) -> None:
    """``folder`` and every missing folder above it, each made for this user alone (a
    ``mkdir -p`` would make the ones above with the umask's mode: group-writable under a
    umask of 002, and then never trusted)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for made in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            os.mkdir(made, 0o700)


def read(path: Path | None) -> str | None:
    """The text of the cache file at ``path`` if it may be trusted (:func:`read_bytes`)."""
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_bytes(path: Path | None) -> bytes | None:
    """The bytes of the cache file at ``path`` if it may be trusted: a regular file, this
    user's, that no one else can write, in folders that are too. Checked on the file
    opened, not only on its name: a link swapped in after the check is not followed."""
    if path is None or not _folders_private(path):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _owned(st):
            return None
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write(path: Path | None, text: str) -> None:
    """Replace the cache file at ``path`` with ``text`` (:func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path | None, data: bytes) -> None:
    """Replace the cache file at ``path`` with ``data`` in one step (a reader sees the old
    file or the new one, never half of one); nothing when it cannot be done safely."""
    if path is None:
        return
    try:
        _make_private(path.parent)
        if not _folders_private(path):
            return
    except OSError:
        return
    # unique, not just this process's: a writer killed before the rename leaves its file,
    # and a later process with the same id (a container's) must still be able to write
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    if path.parent.parent.parent == root() / "pydriver":
        _prune_once(path.parent.parent)


@lru_cache(maxsize=16)
def _prune_once(kind: Path) -> None:
    """:func:`prune` a kind's folder at the first write into it of a process, when it was
    last pruned :data:`PRUNE_EVERY_DAYS` ago or more: a command pays one ``stat`` per kind,
    not a listing of every checkout's folder (hundreds on a CI runner) per file or
    command."""
    now = time.time()
    try:
        if os.stat(kind / PRUNED, follow_symlinks=False).st_mtime > \
                now - PRUNE_EVERY_DAYS * _DAY:
            return
    except OSError:
        pass
    prune(kind, now)


def prune(kind: Path, now: float) -> list[str]:
    """Clear one kind of cache (``parsed``, ``templates``...) of what no command will read:
    the folders of checkouts that no command wrote to for :data:`UNUSED_DAYS`, and in the
    others the temporary files of writers killed before their rename; its stamp
    (:data:`PRUNED`) says when. Returns the folders removed.

    Without it the cache grows by a folder for every checkout, worktree or CI copy ever
    used, a parsed national inventory being tens of megabytes. Only what this module makes
    is touched: a folder named by a key, this user's and no one else's to write, holding
    plain files only; everything is removed through descriptors of the folders opened
    without following links, so a link planted there is removed, never followed."""
    removed: list[str] = []
    try:
        top = os.open(kind, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return removed
    try:
        # the folder opened, not only the one its name gave
        if not _folders_private(kind / "-") or not _owned(os.fstat(top)):
            return removed
        stamp = os.open(PRUNED, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                        0o600, dir_fd=top)
        try:
            os.utime(stamp, (now, now))
        finally:
            os.close(stamp)
        for name in sorted(os.listdir(top)):
            if _KEY.fullmatch(name) and _prune_folder(top, name, now):
                removed.append(name)
    except OSError:
        pass
    finally:
        os.close(top)
    return removed


def _prune_folder(top: int, name: str, now: float) -> bool:
    """Remove the cache folder ``name`` of ``top`` when unused (True), else its stale
    temporary files; nothing when it holds anything but plain files."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                     dir_fd=top)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not _owned(st):
            return False
        files = {entry: os.stat(entry, dir_fd=fd, follow_symlinks=False)
                 for entry in os.listdir(fd)}
        if any(not stat.S_ISREG(f.st_mode) for f in files.values()):
            return False
        newest = max([st.st_mtime, *(f.st_mtime for f in files.values())])
        unused = newest < now - UNUSED_DAYS * _DAY
        for entry, f in files.items():
            stale_tmp = entry.startswith(".") and entry.endswith(".tmp") and \
                f.st_mtime < now - STALE_TMP_DAYS * _DAY
            if unused or stale_tmp:
                os.unlink(entry, dir_fd=fd)
        if unused:
            os.rmdir(name, dir_fd=top)
        return unused
    except OSError:  # another process writes into it, or it went: left for next time
        return False
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    """Delete the cache file at ``path``, in folders that may be trusted (a link there is
    removed, never followed); nothing when it is gone or cannot be removed."""
    if _folders_private(path):
        with contextlib.suppress(OSError):
            path.unlink()
