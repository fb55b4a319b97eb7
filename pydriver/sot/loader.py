"""Read the inventory's YAML files into plain data, remembering where every value came from.

PyYAML's ordinary loaders lose positions and silently keep the last of two duplicate keys.
A network team needs every error to point at a file, line and column, and a duplicated key in
a site file is almost always a mistake worth stopping for. So the files are composed into
node trees and constructed here by hand: each value's path is recorded with its mark, and
duplicate keys become problems instead of silent overwrites.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pydriver.errors import Location, Problem, SourceError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """One YAML file: its data and the location of every node by path."""

    file: str
    data: Any
    marks: dict[PathKey, Location] = field(repr=False)

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


class _Builder:
    """Turns a composed YAML node tree into Python data plus a path -> Location map."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[PathKey, Location] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.marks[path] = self.loc(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(self.loc(key_node), "YAML merge keys (<<) are not supported; "
                            "write the values out", "yaml")
                )
                continue
            key = self._scalars.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                self.problems.append(
                    Problem(self.loc(key_node), f"mapping key {key!r} must be a string", "yaml")
                )
                key = str(key)
            if key in out:
                first = self.marks.get((*path, key))
                where = f" (first at line {first.line})" if first else ""
                self.problems.append(
                    Problem(self.loc(key_node), f"duplicate key '{key}'{where}", "duplicate")
                )
                continue
            out[key] = self.build(value_node, (*path, key))
            # The key's own position reads better in errors about the key than its value's.
            self.marks[(*path, key)] = self.loc(key_node)
        return out


def load_document(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Load one YAML file; return the document (None if unreadable) and its problems."""
    shown = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(Location(shown, 1, 1), f"cannot read file: {exc}", "io")]
    builder = _Builder(shown)
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        reason = exc.problem or exc.context or "malformed YAML"
        return None, [Problem(loc, f"malformed YAML: {reason}", "yaml")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(shown, 1, 1), f"malformed YAML: {exc}", "yaml")]
    if len(nodes) > 1:
        return None, [Problem(builder.loc(nodes[1]), "one YAML document per file, found more",
                              "yaml")]
    data = builder.build(nodes[0], ()) if nodes else None
    if not nodes:
        builder.marks[()] = Location(shown, 1, 1)
    return Document(shown, data, builder.marks), builder.problems


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)


def _site_files(root: Path) -> Iterator[Path]:
    sites = root / "sites"
    if sites.is_dir():
        yield from sorted(p for p in sites.iterdir() if p.suffix in (".yml", ".yaml"))


def load(root: Path) -> Source:
    """Load an inventory directory: region.yml, sites/*.yml and (optionally) servers.yml.

    Every file is read even after an earlier one failed, so one run reports every problem:
    unreadable files are left out and their problems carried to the validate stage.
    """
    if not root.is_dir():
        raise SourceError([Problem(Location(str(root), 1, 1),
                                   "inventory directory not found", "io")])
    problems: list[Problem] = []
    region_path = root / "region.yml"
    region: Document | None = None
    if region_path.is_file():
        region, found = load_document(region_path, root)
        problems += found
    else:
        problems.append(Problem(Location(_display(region_path, root), 1, 1),
                                "region.yml is missing: every inventory needs one", "io"))
    sites: list[Document] = []
    for path in _site_files(root):
        doc, found = load_document(path, root)
        problems += found
        if doc is not None:
            sites.append(doc)
    servers: Document | None = None
    servers_path = root / "servers.yml"
    if servers_path.is_file():
        servers, found = load_document(servers_path, root)
        problems += found
    waivers: Document | None = None
    waivers_path = root / "waivers.yml"
    if waivers_path.is_file():
        waivers, found = load_document(waivers_path, root)
        problems += found
    return Source(root, region, tuple(sites), servers, tuple(problems), waivers)
