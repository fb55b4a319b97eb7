"""Every RouterOS v7 menu, command and argument name, as the router itself lists them.

The detailed schema (:mod:`schema`) models only what pydriver renders and the lab's fabric
needs, with types, defaults and identity. Real configurations use far more of RouterOS
(OSPF, WireGuard, CAPsMAN, PPP, IPv6 firewall, ...), and a twin booted from a real backup
must take all of it. This catalog is the other half: the names only, taken from RouterOS's
own ``/console/inspect`` tree (unioned over several v7 releases, see ``data/README.md``), so
a command can be read as RouterOS reads it -- path by path, argument name by argument name --
without pretending to know what the values mean.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydriver.platforms.mikrotik_routeros.schema import Kind

_DATA = Path(__file__).parent / "data" / "catalog.json.gz"
#: Arguments of ``add``/``set`` that are not properties of the item.
NOT_PROPS = frozenset({"numbers", "copy-from", "place-before", "value-name", "number"})


@dataclass(frozen=True, slots=True)
class Node:
    """One console path: its commands and, per command, the argument names it takes."""

    path: tuple[str, ...]
    commands: frozenset[str]
    args: Mapping[str, frozenset[str]]

    @property
    def kind(self) -> Kind | None:
        """How the menu holds configuration, as its commands show it (None: it holds none)."""
        if "add" in self.commands:
            return Kind.LIST
        if "set" not in self.commands:
            return None
        return Kind.FIXED if "numbers" in self.args.get("set", frozenset()) else Kind.SINGLETON

    @property
    def props(self) -> frozenset[str]:
        """The item properties: what ``add`` and ``set`` accept, less the item designators."""
        found = self.args.get("add", frozenset()) | self.args.get("set", frozenset())
        return found - NOT_PROPS


@functools.cache
def _menus() -> dict[tuple[str, ...], Node]:
    with gzip.open(_DATA, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    out: dict[tuple[str, ...], Node] = {}
    for key, commands in document["menus"].items():
        path = tuple(key.split())
        out[path] = Node(path, frozenset(commands),
                         {cmd: frozenset(args) for cmd, args in commands.items()})
    return out


@functools.cache
def _children() -> dict[tuple[str, ...], tuple[str, ...]]:
    found: dict[tuple[str, ...], set[str]] = {}
    for path in _menus():
        for n in range(1, len(path) + 1):
            found.setdefault(path[: n - 1], set()).add(path[n - 1])
    return {path: tuple(sorted(words)) for path, words in found.items()}


def node(path: tuple[str, ...]) -> Node | None:
    """The catalog entry for ``path`` (``()`` is the root), if RouterOS has such a path."""
    return _menus().get(path)


def children(path: tuple[str, ...]) -> tuple[str, ...]:
    """The sub-menu names under ``path``."""
    return _children().get(path, ())


def paths() -> tuple[tuple[str, ...], ...]:
    """Every path the catalog knows, sorted."""
    return tuple(sorted(_menus()))


def config_paths() -> tuple[tuple[str, ...], ...]:
    """Paths that hold configuration (lists, fixed item sets and settings)."""
    return tuple(p for p in paths() if (n := node(p)) is not None and n.kind is not None)
