"""Backups: every router's running config in a git repository, one commit per change.

Stored normalised (volatile lines such as export timestamps and clock periods removed,
unordered items in a canonical order) and scrubbed of secrets, so an unchanged router makes
no commit and the history shows only real changes. A git ref of the repository is read in
one ``git cat-file --batch`` pass, not one process per router: at the size of a province a
process per router is most of the time a plan takes.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from pydriver.errors import PydriverError
from pydriver.platforms.registry import driver
from pydriver.sot.git import check_ref

__all__ = ["check_ref", "ensure_repo", "file_name", "read", "store"]
MAX_CONFIG_BYTES = 64 << 20  # the largest running config is a few MB


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        r = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, input=data,
                           timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PydriverError(f"git {args[0]} in {repo} failed: {exc}") from None
    if r.returncode != 0:
        raise PydriverError(f"git {args[0]} in {repo} failed: "
                            f"{r.stderr.decode(errors='replace').strip()[:300]}")
    return r.stdout


def ensure_repo(repo: Path) -> None:
    if repo.exists() and not repo.is_dir():
        raise PydriverError(f"backups repository {repo} is not a directory")
    try:
        repo.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PydriverError(f"cannot create the backups repository {repo}: "
                            f"{exc.strerror}") from None
    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
        _git(repo, "config", "user.name", "pydriver")
        _git(repo, "config", "user.email", "pydriver@localhost")


def file_name(host: str, platform: str) -> str:
    return f"{host}{driver(platform).backup_suffix}"


ASSETS = "assets.json"


def store(repo: Path, running: Mapping[str, str], platforms: Mapping[str, str],
          firmware: Mapping[str, str] | None = None) -> list[str]:
    """Write each router's normalised config; commit each changed one; return those hosts.

    ``firmware`` (what each router said it runs) goes into ``assets.json``: the
    normalised configs drop the header lines that say it, and the asset inventory needs
    it."""
    ensure_repo(repo)
    changed = []
    for host in sorted(running):
        platform = platforms[host]
        text = driver(platform).normalise(running[host])
        path = repo / file_name(host, platform)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise PydriverError(f"{path} is not a regular file; refusing to write through it")
        if path.exists() and path.read_text(encoding="utf-8", errors="replace") == text:
            continue
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PydriverError(f"cannot write {path}: {exc.strerror}") from None
        _git(repo, "add", "--", path.name)
        if _git(repo, "status", "--porcelain", "--", path.name).strip():
            _git(repo, "commit", "-q", "-m", f"{host}: running config", "--", path.name)
            changed.append(host)
    if firmware:
        _store_assets(repo, firmware)
    return changed


def _store_assets(repo: Path, firmware: Mapping[str, str]) -> None:
    assets = read_assets(repo)
    assets.update(firmware)
    path = repo / ASSETS
    text = json.dumps(dict(sorted(assets.items())), indent=2) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")
    _git(repo, "add", "--", ASSETS)
    _git(repo, "commit", "-q", "-m", "assets: firmware as the routers report it", "--", ASSETS)


def read_assets(repo: Path) -> dict[str, str]:
    """Router -> firmware, as last read from the routers (empty: never read)."""
    path = repo / ASSETS
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PydriverError(f"{path}: not a pydriver assets file ({exc})") from None
    if not isinstance(data, dict):
        raise PydriverError(f"{path}: not a pydriver assets file")
    return {str(k): str(v) for k, v in data.items()}


def backup_times(repo: Path, platforms: Mapping[str, str]) -> dict[str, datetime]:
    """Router -> when its config was last committed (one ``git log`` for all)."""
    if not (repo / ".git").exists():
        return {}
    names = {file_name(h, p): h for h, p in platforms.items()}
    out: dict[str, datetime] = {}
    try:
        log = _git(repo, "log", "--format=@%cI", "--name-only").decode(errors="replace")
    except PydriverError:  # a repository with no commit yet
        return {}
    when: datetime | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            when = datetime.fromisoformat(line[1:])
        elif line in names and when is not None and names[line] not in out:
            out[names[line]] = when
    return out


def _text(blob: bytes, where: str) -> str:
    if b"\0" in blob:
        raise PydriverError(f"{where} is a binary file, not a running config")
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError:
        raise PydriverError(f"{where} is not UTF-8 text") from None


def read(repo: Path, platforms: Mapping[str, str], ref: str | None = None) -> dict[str, str]:
    """Stored configs, from the work tree or from a git ref of the backup repository.

    A router with no stored config is simply absent (the plan reports it as skipped); a
    file that is not a regular text file is an error naming it."""
    if not repo.is_dir():
        raise PydriverError(f"backups repository {repo} does not exist (run 'pydriver backup')")
    names = {file_name(host, platform): host for host, platform in platforms.items()}
    if ref is None:
        out = {}
        for name, host in names.items():
            path = repo / name
            if path.is_symlink() or (path.exists() and not path.is_file()):
                raise PydriverError(f"{path} is not a regular file")
            if path.is_file():
                if path.stat().st_size > MAX_CONFIG_BYTES:
                    raise PydriverError(f"{path} is larger than a running config can be "
                                        f"({MAX_CONFIG_BYTES:,} bytes at most)")
                out[host] = _text(path.read_bytes(), str(path))
        return out
    return _read_ref(repo, check_ref(ref), names)


def _read_ref(repo: Path, ref: str, names: Mapping[str, str]) -> dict[str, str]:
    try:
        commit = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                      f"{ref}^{{commit}}").decode().strip()
    except PydriverError:
        raise PydriverError(f"{ref!r} is not a commit of the backups repository {repo} "
                            "(no such branch, tag or commit)") from None
    listing = _git(repo, "ls-tree", "-z", "-l", "--full-tree", commit).split(b"\0")
    wanted: list[tuple[str, str]] = []
    for entry in filter(None, listing):
        meta, _, name = entry.decode(errors="replace").partition("\t")
        mode, kind, _obj, length = meta.split()
        if name in names:
            if kind != "blob" or mode == "120000":
                raise PydriverError(f"{name} at {ref} is not a regular file")
            if int(length) > MAX_CONFIG_BYTES:  # checked before git sends it
                raise PydriverError(f"{name} at {ref} is larger than a running config can "
                                    f"be ({MAX_CONFIG_BYTES:,} bytes at most)")
            wanted.append((name, f"{commit}:{name}"))
    if not wanted:
        return {}
    batch = _git(repo, "cat-file", "--batch", data="".join(f"{spec}\n" for _, spec in wanted)
                 .encode())
    out: dict[str, str] = {}
    pos = 0
    for name, _spec in wanted:
        end = batch.index(b"\n", pos)
        header = batch[pos:end].decode().split()
        size = int(header[2])
        blob = batch[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
        out[names[name]] = _text(blob, f"{name} at {ref}")
    return out
