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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydriver import fanout
from pydriver.bulk import stage
from pydriver.errors import Location, Problem, SourceError
from pydriver.sot import files, parse_cache
from pydriver.sot.federation import REGISTRY_FILE
from pydriver.sot.files import Budget, Limits
from pydriver.sot.parse import PathKey, Stop, parse
from pydriver.sot.parse_cache import ParseCache, Reparsed

__all__ = ["Document", "Limits", "PathKey", "Source", "load", "load_document", "registry_path"]

#: Characters of YAML below which parsing them in forked workers costs more than it saves
#: (about a hundred site files).
WORTH_FORKING = 200_000


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


@dataclass(frozen=True)
class _Read:
    """A file read and decoded, not yet parsed."""

    shown: str
    text: str
    digest: str


def _read(file: Path | files.Listed, root_real: str, cwd: Path | None, budget: Budget
          ) -> _Read | Problem:
    """A file read and decoded: a path, or a site file as the folder's listing found it."""
    if isinstance(file, files.Listed):
        shown = file.shown
        data = files.read_bytes(file.path if file.folder_fd is None else file.name,
                                root_real, shown, budget, file.folder_fd)
    else:
        shown = files.display(file, cwd)
        data = files.read_bytes(file, root_real, shown, budget)
    if isinstance(data, Problem):
        return data
    text = files.decode(data, shown)
    if isinstance(text, Problem):
        return text
    return _Read(shown, text, hashlib.sha256(data).hexdigest())


def _built(read: _Read, limits: Limits, cache: ParseCache | None,
           entry: str | None = None) -> tuple[Document | None, list[Problem]]:
    """The document of a file read: from the cache, from ``entry`` (its data as a worker
    parsed it, :func:`_entry`), or parsed here."""
    kept = cache.get(read.digest) if cache is not None else None
    if kept is None and entry is not None:
        kept = parse_cache.entry(entry)
        if kept is not None and cache is not None:
            cache.put_entry(read.digest, entry)
    if kept is not None:
        return Document(read.shown, kept[0], Reparsed(read.text, read.shown, limits), kept[1],
                        read.digest), []
    try:
        parsed = parse(read.text, read.shown, limits)
    except Stop as stop:
        return None, [stop.problem]
    if cache is not None and not parsed.problems and not parsed.aliases:
        cache.put(read.digest, parsed.data, parsed.nodes)
    return Document(read.shown, parsed.data, parsed.marks, parsed.nodes, read.digest), \
        parsed.problems


def _entry(read: _Read, limits: Limits) -> str | None:
    """A file parsed in a worker: its data and value count as a cache entry, which the
    parent reads back with one :func:`json.loads`; None when the file has a problem or an
    alias (the parent parses it again itself, for its marks and problems)."""
    try:
        parsed = parse(read.text, read.shown, limits)
    except Stop:
        return None
    if parsed.problems or parsed.aliases:
        return None
    return parse_cache.dumps(parsed.data, parsed.nodes)


def _documents(reads: Sequence[_Read | Problem], limits: Limits, cache: ParseCache | None
               ) -> list[tuple[Document | None, list[Problem]]]:
    """The files read, in their order, each parsed once: the files the cache does not hold
    are parsed in forked workers when there are enough of them (:mod:`fanout`)."""
    todo = [r for r in reads if isinstance(r, _Read)
            and (cache is None or not cache.holds(r.digest))]
    weights = [len(r.text) for r in todo]
    entries: dict[int, str | None] = {}
    processes = fanout.worker_count(weights, WORTH_FORKING)
    if processes > 1:
        entries = dict(zip((id(r) for r in todo), fanout.run(
            partial(_entry, limits=limits), todo, weights, WORTH_FORKING, processes),
            strict=True))
    return [(None, [r]) if isinstance(r, Problem) else _built(r, limits, cache,
                                                               entries.get(id(r)))
            for r in reads]


def _document(path: Path, root_real: str, cwd: Path | None, budget: Budget,
              cache: ParseCache | None = None) -> tuple[Document | None, list[Problem]]:
    read = _read(path, root_real, cwd, budget)
    if isinstance(read, Problem):
        return None, [read]
    return _built(read, budget.limits, cache)


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

    The files are read here, in turn, under one size budget; those left to parse are
    parsed in forked workers when there are enough of them (a province's first load), and
    come back as the cache's entries. Their marks are then parsed again only if an error
    is to be located, as for a file read from the cache.
    """
    if not root.is_dir():
        raise SourceError([Problem(Location(str(root), 1, 1),
                                   "inventory directory not found", "io")])
    budget = Budget(limits or Limits())
    parsed = ParseCache(cache, budget.limits) if cache is not None else None
    root_real = os.path.realpath(root)
    cwd = files.base_of(root)
    problems: list[Problem] = []
    named = {name: root / f"{name}.yml" for name in ("region", "servers", "waivers")}
    present = {name: path for name, path in named.items() if _optional(path)}
    if "region" not in present:
        problems.append(Problem(Location(files.display(named["region"], cwd), 1, 1),
                                "region.yml is missing: every inventory needs one", "io"))
    # read in turn, as the budget counts, then parsed (side by side when there are many)
    reads = [_read(present[n], root_real, cwd, budget) for n in ("region", "servers")
             if n in present]
    with files.sites_folder(root, root_real, cwd, budget.limits) as (site_files, listed):
        reads += [_read(f, root_real, cwd, budget) for f in site_files]
    if "waivers" in present:
        reads.append(_read(present["waivers"], root_real, cwd, budget))
    found_registry = registry_path(root)
    if found_registry is not None:
        # read under the same rules, confined to the folder it was found in
        reads.append(_read(found_registry, os.path.realpath(found_registry.parent), cwd,
                           budget))
        present["registry"] = found_registry
    built = iter(_documents(reads, budget.limits, parsed))
    one: dict[str, Document | None] = dict.fromkeys(("region", "servers", "waivers",
                                                       "registry"))

    def take(name: str) -> None:
        if name in present:
            one[name], found = next(built)
            problems.extend(found)

    take("region")
    take("servers")
    problems += listed
    sites: list[Document] = []
    for _ in site_files:
        doc, found = next(built)
        problems += found
        if doc is not None:
            sites.append(doc)
    take("waivers")
    take("registry")
    if parsed is not None:
        parsed.save()
    return Source(root, one["region"], tuple(sites), one["servers"], tuple(problems),
                  one["waivers"], one["registry"])
