"""The last plan of an inventory, kept so that the next plan renders and diffs only what
changed: in the user's own cache directory, never in the checkout.

Why not beside the inventory: a pull request controls every file of its checkout. A
"last plan" committed there could claim that a changed router is unchanged (its hashes
are computable by anyone with the code), and the reviewer would see no change where the
merge brings one, or ``apply`` would push what the forged entry says. So the cache lives
under ``$XDG_CACHE_HOME`` (an absolute path, as the XDG rules require; else
``~/.cache``), is not used when that place is inside the inventory's checkout, and is
read only from folders and files this user owns and no one else can write. Any doubt
means no shortcut: the plan is then made whole, never wrong.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from pathlib import Path

from pydriver.errors import PydriverError
from pydriver.plan.model import Plan

NAME = "last.json"


def _checkout(inventory: Path) -> Path:
    """The git work tree holding the inventory, else the inventory itself."""
    try:
        top = subprocess.run(["git", "-C", str(inventory), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10)
        if top.returncode == 0 and top.stdout.strip():
            return Path(top.stdout.strip()).resolve()
    except (OSError, subprocess.SubprocessError):
        pass
    return inventory.resolve()


def _root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    return Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"


def location(inventory: Path) -> Path | None:
    """Where the inventory's last plan is kept; None when the only place is in its checkout.
    One file per inventory (by its absolute path): two checkouts never share a plan."""
    key = hashlib.sha256(str(inventory.resolve()).encode()).hexdigest()[:16]
    folder = _root() / "pydriver" / "plans" / key
    if folder.resolve().is_relative_to(_checkout(inventory)):
        return None
    return folder / NAME


def _private(path: Path, directory: bool) -> bool:
    """A real directory (or regular file), this user's, that no one else can write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    return kind and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _folders_private(path: Path) -> bool:
    top = _root() / "pydriver"
    folders = [path.parent, *(p for p in path.parent.parents if p.is_relative_to(top))]
    return all(_private(f, directory=True) for f in folders)


def previous(path: Path | None) -> Plan | None:
    """The last plan kept at ``path`` (from :func:`location`), if it can be trusted and
    read."""
    if path is None or not _folders_private(path) or not _private(path, directory=False):
        return None
    try:
        return Plan.load(path)
    except PydriverError:
        return None


def remember(path: Path | None, plan: Plan) -> None:
    """Keep ``plan`` at ``path`` for the next one (a cache that cannot be written only
    costs time)."""
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _folders_private(path):
            return
        tmp = path.with_name(f".{NAME}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(plan.to_json(indent=None))
        os.replace(tmp, path)
    except OSError:
        return
