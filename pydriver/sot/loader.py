"""Read the inventory's YAML files into plain data, remembering where every value came from.

A network team needs every error to point at a file, line and column, and a duplicated key
in a site file is almost always a mistake worth stopping for; PyYAML's ordinary loaders lose
positions and silently keep the last of two duplicate keys. So the files are read as
untrusted input (:mod:`files`: regular files inside the inventory, within size limits,
UTF-8) and built into data with marks by :mod:`parse` (libyaml events, plain values only,
aliases and nesting bounded). Every refusal is a located problem; no file can crash, hang
or exhaust the loader.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydriver.bulk import stage
from pydriver.errors import Location, Problem, SourceError
from pydriver.sot import files
from pydriver.sot.federation import REGISTRY_FILE
from pydriver.sot.files import Budget, Limits
from pydriver.sot.parse import PathKey, Stop, parse
from pydriver.sot.parse_cache import ParseCache, Reparsed

__all__ = ["Document", "Limits", "PathKey", "Source", "load", "load_document", "registry_path"]


@dataclass(frozen=True)
class Document:
    """One YAML file: its data and the location of every node by path."""

    file: str
    data: Any
    marks: Mapping[PathKey, Location] = field(repr=False)
    nodes: int = 0  # values built, alias expansions included (bounded by Limits.nodes)
    digest: str = ""  # SHA-256 of the file's bytes: what its data was made from

    def where(self, path: PathKey) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            loc = self.marks.get(probe)
            if loc is not None:
                return loc
            probe = probe[:-1]
        return self.marks.get((), Location(self.file, 1, 1))


@dataclass(frozen=True)
class Source:
    """All inventory documents, raw but located: the output of the load stage."""

    root: Path
    region: Document | None
    sites: tuple[Document, ...]
    servers: Document | None
    problems: tuple[Problem, ...] = ()  # files that could not be read or parsed
    waivers: Document | None = None
    registry: Document | None = None  # the federation's registry.yml, when there is one


def _document(path: Path, root_real: str, cwd: Path | None, budget: Budget,
              cache: ParseCache | None = None) -> tuple[Document | None, list[Problem]]:
    shown = files.display(path, cwd)
    data = files.read_bytes(path, root_real, shown, budget)
    if isinstance(data, Problem):
        return None, [data]
    text = files.decode(data, shown)
    if isinstance(text, Problem):
        return None, [text]
    digest = hashlib.sha256(data).hexdigest()
    kept = cache.get(digest) if cache is not None else None
    if kept is not None:
        return Document(shown, kept[0], Reparsed(text, shown, budget.limits), kept[1],
                        digest), []
    try:
        parsed = parse(text, shown, budget.limits)
    except Stop as stop:
        return None, [stop.problem]
    if cache is not None and not parsed.problems and not parsed.aliases:
        cache.put(digest, parsed.data, parsed.nodes)
    return Document(shown, parsed.data, parsed.marks, parsed.nodes, digest), parsed.problems


def load_document(path: Path, root: Path, limits: Limits | None = None
                  ) -> tuple[Document | None, list[Problem]]:
    """Load one YAML file of the inventory ``root``: the document (None if it cannot be
    read) and its problems."""
    return _document(path, os.path.realpath(root), files.base_of(root),
                     Budget(limits or Limits()))


def _optional(path: Path) -> bool:
    """Whether ``path`` exists at all (a dangling or looping link counts: it is reported)."""
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


def registry_path(root: Path) -> Path | None:
    """The federation's ``registry.yml`` for the inventory ``root``: in the inventory
    itself, else beside it (in the folder that holds it, the repository's root when the
    inventory is ``inventory/``); None when there is neither.

    Beside the inventory is the usual place: the registry is the same file in every
    region's repository, copied from the federation, and not part of one region's data."""
    for folder in (root, Path(os.path.abspath(root)).parent):
        path = folder / REGISTRY_FILE
        if _optional(path):
            return path
    return None


@stage
def load(root: Path, limits: Limits | None = None, cache: Path | None = None) -> Source:
    """Load an inventory directory: region.yml, sites/*.yml and (optionally) servers.yml.

    Every file is read even after an earlier one failed, so one run reports every problem:
    unreadable files are left out and their problems carried to the validate stage.

    ``cache`` is a file of data parsed before (:mod:`parse_cache`, by
    :func:`parse_cache.location`): files whose bytes it holds are not parsed again, and it
    is brought up to date with this load's files.
    """
    if not root.is_dir():
        raise SourceError([Problem(Location(str(root), 1, 1),
                                   "inventory directory not found", "io")])
    budget = Budget(limits or Limits())
    parsed = ParseCache(cache, budget.limits) if cache is not None else None
    root_real = os.path.realpath(root)
    cwd = files.base_of(root)
    problems: list[Problem] = []
    region_path = root / "region.yml"
    region: Document | None = None
    if _optional(region_path):
        region, found = _document(region_path, root_real, cwd, budget, parsed)
        problems += found
    else:
        problems.append(Problem(Location(files.display(region_path, cwd), 1, 1),
                                "region.yml is missing: every inventory needs one", "io"))
    servers: Document | None = None
    servers_path = root / "servers.yml"
    if _optional(servers_path):
        servers, found = _document(servers_path, root_real, cwd, budget, parsed)
        problems += found
    site_paths, found = files.list_sites(root, root_real, cwd, budget.limits)
    problems += found
    sites: list[Document] = []
    for path in site_paths:
        doc, found = _document(path, root_real, cwd, budget, parsed)
        problems += found
        if doc is not None:
            sites.append(doc)
    waivers: Document | None = None
    waivers_path = root / "waivers.yml"
    if _optional(waivers_path):
        waivers, found = _document(waivers_path, root_real, cwd, budget, parsed)
        problems += found
    registry: Document | None = None
    found_registry = registry_path(root)
    if found_registry is not None:
        # read under the same rules, confined to the folder it was found in
        registry, found = _document(found_registry, os.path.realpath(found_registry.parent),
                                    cwd, budget, parsed)
        problems += found
    if parsed is not None:
        parsed.save()
    return Source(root, region, tuple(sites), servers, tuple(problems), waivers, registry)
