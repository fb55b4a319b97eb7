"""The code pydriver runs as: one digest of its files, the libraries that shape its output
and the platforms registered by entry point.

Why a module of its own, below every stage: a plan and a render known to pass are reused
only by the same code, and so is a compiled template (Jinja runs a filter on constants
while compiling, so compiled code holds what that pydriver's filters made). The render
stage and the plan stage both ask, and the render stage may not import the plan's.
"""

from __future__ import annotations

import hashlib
import secrets
import sys
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, entry_points, version
from importlib.util import find_spec
from pathlib import Path

#: The entry-point group platforms are registered under (read by ``platforms.registry``).
PLATFORM_GROUP = "pydriver.platforms"

#: The libraries whose code decides what an intent, a config or a remediation is.
LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "Jinja2", "hier-config", "netutils")
#: The files that are code or data the code reads.
_SUFFIXES = frozenset({".py", ".j2", ".yml", ".json", ".gz"})


#: A file's path, size, inode, and modification and change times (the change time is
#: set by the kernel alone: a copy that keeps the modification time still changes it).
Stamp = tuple[tuple[str, int, int, int, int], ...]
_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Code:
    """The code as read at one moment: its digest, the folders (or files) it was read
    from, and each file's stamp then; no stamp when it could not be read whole (a file
    or folder going away meanwhile), which is then never current."""

    digest: str
    roots: tuple[Path, ...]
    stamp: Stamp | None


@cache
def _at_start() -> Code:
    code = snapshot()
    mine = None if code.stamp is None else \
        tuple(f for f in code.stamp if Path(f[0]).is_relative_to(_ROOT))
    if mine != _IMPORTED:
        return _unknown(code.roots)  # changed since imported: the digest names no code here
    return code


def _unknown(roots: tuple[Path, ...]) -> Code:
    """Code that is no known code: its digest matches nothing kept, and it is never
    current, so nothing is read or kept under it."""
    return Code(f"unknown {secrets.token_hex(16)}", roots, None)


def code_digest() -> str:
    """The code plans are made with (:func:`snapshot`), worked out once per process: on
    its first use, which a pipeline makes when it starts, close to when the code was
    imported."""
    return _at_start().digest


def still_current() -> bool:
    """Whether the code's files are still as :func:`code_digest` read them (:func:`still`).

    Asked before keeping anything made with the code loaded since (a render known to
    pass, a compiled template, the last plan): a checkout or an edit during a command can
    leave modules imported after the digest was taken (the platforms are imported when
    first used) that are not the code the digest names."""
    return still(_at_start())


def still(code: Code) -> bool:
    """Whether every file of ``code`` has the stamp it had, and no file was added: one
    ``stat`` per code file, where hashing it all again reads every file and asks for
    every library's version."""
    return code.stamp is not None and _stamp(code.roots) == code.stamp


def snapshot() -> Code:
    """The code as it is now: pydriver's (templates, platforms, stages), Python's
    version and the versions of the libraries that validate, render and diff with it,
    and the platforms registered by entry point, each with its package's version and,
    for a platform from another package, that package's files (an editable plugin
    changes without a new version). A plan, or a render known to pass, made by other
    code must not be reused, even for the same intent."""
    roots = [_ROOT]
    digest = hashlib.sha256(f"python {sys.version}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    for ep in sorted(entry_points(group=PLATFORM_GROUP), key=lambda ep: ep.name):
        dist = f"{ep.dist.name}={ep.dist.version}" if ep.dist is not None else "-"
        digest.update(f"{ep.name}={ep.value} {dist}\0".encode())
        home = _package_of(ep.value.partition(":")[0])
        if home is not None and not home.is_relative_to(_ROOT):
            roots.append(home)
    try:
        files = _code_files(tuple(roots))
        stamp = _stamps(files)  # before reading: a file written meanwhile then differs
        for folder, path in files:
            digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    except OSError:  # a file or folder gone while read: a checkout or an upgrade under way
        return _unknown(tuple(roots))
    return Code(digest.hexdigest(), tuple(roots), stamp)


def _code_files(roots: tuple[Path, ...]) -> list[tuple[Path, Path]]:
    """(root, file) for the code and data files under each of ``roots`` (a root that is
    a file: itself), in name order."""
    out: list[tuple[Path, Path]] = []
    for root in roots:
        paths = sorted(root.rglob("*")) if root.is_dir() else [root]
        out.extend((root, p) for p in paths if p.suffix in _SUFFIXES and p.is_file())
    return out


def _stamps(files: list[tuple[Path, Path]]) -> Stamp:
    out: list[tuple[str, int, int, int, int]] = []
    for _, path in files:
        st = path.stat()
        out.append((str(path), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)


def _stamp(roots: tuple[Path, ...]) -> Stamp | None:
    """The stamps of the code files under ``roots``; None when they cannot all be seen
    (a folder or file gone during the walk: a cache being cleaned)."""
    try:
        return _stamps(_code_files(roots))
    except OSError:
        return None


def _package_of(module: str) -> Path | None:
    """Where the top-level package of ``module`` lives (its folder, or its one file),
    without importing it; None when it cannot be found."""
    try:
        spec = find_spec(module.partition(".")[0])
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return Path(spec.origin).resolve() if spec.origin else None


#: pydriver's files as its package was imported (``pydriver/__init__`` imports this
#: module first). The digest is taken later, when a command starts: in a long-running
#: process (a Celery worker) much later, after the code in memory was imported. Files
#: changed in between would give a digest that names other code than the code running.
_IMPORTED: Stamp | None = _stamp((_ROOT,))
