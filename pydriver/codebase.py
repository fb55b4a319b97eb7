"""The code pydriver runs as: one digest of its files, the libraries that shape its output
and the platforms registered by entry point.

Why a module of its own, below every stage: a plan and a render known to pass are reused
only by the same code, and so is a compiled template (Jinja runs a filter on constants
while compiling, so compiled code holds what that pydriver's filters made). The render
stage and the plan stage both ask, and the render stage may not import the plan's.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, entry_points, version
from importlib.util import find_spec
from pathlib import Path

#: The entry-point group platforms are registered under (read by ``platforms.registry``).
PLATFORM_GROUP = "pydriver.platforms"

#: The libraries whose code decides what an intent, a config or a remediation is.
LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "Jinja2", "hier-config", "netutils")


@cache
def code_digest() -> str:
    """The code plans are made with (:func:`code_now`), worked out once per process: on
    its first use, which a pipeline makes when it starts, close to when the code was
    imported."""
    return code_now()


def code_now() -> str:
    """The code plans are made with: pydriver's (templates, platforms, stages), the
    versions of the libraries that validate, render and diff with it, and the platforms
    registered by entry point, each with its package's version and, for a platform from
    another package, that package's files (an editable plugin changes without a new
    version). A plan, or a render known to pass, made by other code must not be reused,
    even for the same intent."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    _code_files(digest, root)
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    for ep in sorted(entry_points(group=PLATFORM_GROUP), key=lambda ep: ep.name):
        dist = f"{ep.dist.name}={ep.dist.version}" if ep.dist is not None else "-"
        digest.update(f"{ep.name}={ep.value} {dist}\0".encode())
        home = _package_of(ep.value.partition(":")[0])
        if home is not None and not home.is_relative_to(root):
            _code_files(digest, home)
    return digest.hexdigest()


def _code_files(digest: hashlib._Hash, root: Path) -> None:
    """The code and data files under ``root`` (one file: itself), names and bytes."""
    paths = sorted(root.rglob("*")) if root.is_dir() else [root]
    for path in paths:
        if path.is_file() and path.suffix in (".py", ".j2", ".yml", ".json", ".gz"):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())


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
