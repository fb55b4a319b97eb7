"""Backups: every router's running config in a git repository, one commit per change.

Stored normalised (volatile lines such as export timestamps and clock periods removed,
unordered items in a canonical order) and scrubbed of secrets, so an unchanged router makes
no commit and the history shows only real changes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from pydriver.errors import PydriverError
from pydriver.platforms.registry import driver

SUFFIX = {"mikrotik_routeros": ".rsc", "cisco_ios": ".cfg", "linux_frr": ".txt"}


def _git(repo: Path, *args: str) -> str:
    r = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise PydriverError(f"git {' '.join(args)} in {repo} failed: {r.stderr.strip()}")
    return r.stdout


def ensure_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
        _git(repo, "config", "user.name", "pydriver")
        _git(repo, "config", "user.email", "pydriver@localhost")


def path_for(repo: Path, host: str, platform: str) -> Path:
    return repo / f"{host}{SUFFIX[platform]}"


def store(repo: Path, running: Mapping[str, str], platforms: Mapping[str, str]) -> list[str]:
    """Write each router's normalised config; commit each changed one; return those hosts."""
    ensure_repo(repo)
    changed = []
    for host in sorted(running):
        platform = platforms[host]
        text = driver(platform).normalise(running[host])
        path = path_for(repo, host, platform)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.write_text(text, encoding="utf-8")
        _git(repo, "add", path.name)
        if _git(repo, "status", "--porcelain", "--", path.name).strip():
            _git(repo, "commit", "-q", "-m", f"{host}: running config", "--", path.name)
            changed.append(host)
    return changed


def read(repo: Path, platforms: Mapping[str, str], ref: str | None = None) -> dict[str, str]:
    """Stored configs, from the work tree or from a git ref of the backup repository."""
    out = {}
    for host, platform in platforms.items():
        path = path_for(repo, host, platform)
        if ref is None:
            if path.is_file():
                out[host] = path.read_text(encoding="utf-8")
        else:
            try:
                out[host] = _git(repo, "show", f"{ref}:{path.name}")
            except PydriverError:
                continue
    return out
