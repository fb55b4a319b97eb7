"""The source of truth at a git ref: a ref checked safely, an inventory read in one pass.

A review compares the inventory of a pull request with the one at its base. The base is
read with one ``git archive`` of the inventory's tree at that commit, unpacked into a
directory of the caller's (a temporary one), never by checking out or touching the work
tree. A ref comes from a CI variable or a user: it is checked against the form of a git
revision and passed after ``--end-of-options``, so it can never be taken as an option.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from pathlib import Path

from pydriver.errors import PydriverError

# a ref as people type them (main, origin/main, v1.2, HEAD~2, a commit id): never an option,
# never a path (':'), never white space or control characters
_REF = re.compile(r"^(?!-)[A-Za-z0-9._/@{}~^+-]{1,200}$")
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024  # a province's inventory is a few MB


def check_ref(ref: str) -> str:
    """``ref`` if it is a plain git revision; a clear error otherwise (never an option)."""
    if not _REF.match(ref) or ".." in ref:
        raise PydriverError(f"{ref!r} is not a git ref (expected a branch, tag or commit, "
                            "e.g. main, origin/main or a commit id)")
    return ref


def git(repo: Path, *args: str, data: bytes | None = None, timeout: float = 300) -> bytes:
    """Run git in ``repo``; its output, or a PydriverError with git's own words."""
    try:
        r = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, input=data,
                           timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PydriverError(f"git {args[0]} in {repo} failed: {exc}") from None
    if r.returncode != 0:
        raise PydriverError(f"git {args[0]} in {repo} failed: "
                            f"{r.stderr.decode(errors='replace').strip()[:300]}")
    return r.stdout


def commit_of(repo: Path, ref: str) -> str:
    """The commit ``ref`` names in the repository holding ``repo`` (a full object id)."""
    return git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
               f"{check_ref(ref)}^{{commit}}").decode().strip()


def export(inventory: Path, ref: str, dest: Path) -> tuple[Path, str]:
    """The inventory as it was at ``ref``, unpacked under ``dest``; and that commit's id.

    The inventory may be any directory of a repository (its path at ``ref`` is the one it
    has now). Only regular files and directories come out: the archive is unpacked with
    tarfile's ``data`` filter (no links out of ``dest``, no devices, no absolute paths)."""
    if not inventory.is_dir():
        raise PydriverError(f"inventory directory {inventory} not found")
    check_ref(ref)
    try:
        top = Path(git(inventory, "rev-parse", "--show-toplevel").decode().strip())
    except PydriverError:
        raise PydriverError(f"{inventory} is not in a git repository: a review compares "
                            "it with a commit of its repository") from None
    try:
        commit = commit_of(inventory, ref)
    except PydriverError:
        raise PydriverError(f"{ref!r} does not name a commit of the repository holding "
                            f"{inventory} (is it fetched? CI checkouts are often shallow: "
                            "fetch the base branch first)") from None
    prefix = git(inventory, "rev-parse", "--show-prefix").decode().strip().rstrip("/")
    tree = f"{commit}:{prefix}" if prefix else commit
    try:
        blob = git(top, "archive", "--format=tar", "--end-of-options", tree)
    except PydriverError:
        raise PydriverError(f"the inventory ({prefix or 'the repository root'}) does not "
                            f"exist at {ref} ({commit[:12]})") from None
    if len(blob) > MAX_ARCHIVE_BYTES:
        raise PydriverError(f"the inventory at {ref} is {len(blob)} bytes; more than an "
                            "inventory can be")
    target = dest / "inventory"
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:") as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        tar.extractall(target, members=members, filter="data")
    return target, commit
