"""The console's menu tree: which paths exist and which commands each one has.

RouterOS resolves a line word by word (``/ip address add``): a word is a sub-menu, else a
command of the current menu, else ``bad command name``. Unique prefixes are accepted
(``/ip addr pr``), as on the router.
"""

from __future__ import annotations

from pydriver.platforms.mikrotik_routeros import catalog, generic
from pydriver.platforms.mikrotik_routeros.engine.menus import FILE_MENU
from pydriver.platforms.mikrotik_routeros.schema import MENUS, Kind, Menu

_LIST = ("add", "set", "remove", "print", "export", "enable", "disable", "move", "find", "get",
         "unset", "comment", "edit", "reset")
_FIXED = ("set", "print", "export", "enable", "disable", "find", "get", "unset", "comment",
          "reset")
_SETTINGS = ("set", "print", "export", "get", "unset", "reset")

#: Paths that only report state (no configuration of their own).
STATUS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("import", "export", "ping", "quit", "redo", "undo"),
    ("interface",): ("print", "export", "enable", "disable", "monitor-traffic"),
    ("system",): ("reboot", "shutdown", "export"),
    ("system", "resource"): ("print",),
    ("system", "routerboard"): ("print",),
    ("system", "package"): ("print",),
    ("system", "license"): ("print",),
    ("system", "script"): ("run",),
    ("routing", "bgp", "session"): ("print",),
    ("ip", "ipsec", "active-peers"): ("print",),
    ("ip", "ipsec", "installed-sa"): ("print",),
    ("ip", "neighbor"): ("print",),
    ("ipv6", "address"): ("print",),
}

_EVERYWHERE = ("export", "quit")


class Tree:
    """Menus by path, plus every intermediate path (``/ip``, ``/routing bgp``)."""

    def __init__(self, extra: tuple[Menu, ...] = (FILE_MENU,)) -> None:
        self.menus: dict[tuple[str, ...], Menu] = {m.path: m for m in (*MENUS, *extra)}
        self.nodes: set[tuple[str, ...]] = {()}
        for path in (*self.menus, *STATUS, *catalog.paths(), *generic.HARDWARE):
            for n in range(1, len(path) + 1):
                self.nodes.add(path[:n])
        self._commands: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._children: dict[tuple[str, ...], list[str]] = {}
        for node in self.nodes:
            if node:
                self._children.setdefault(node[:-1], []).append(node[-1])
        for words in self._children.values():
            words.sort()

    def commands(self, path: tuple[str, ...]) -> tuple[str, ...]:
        found = self._commands.get(path)
        if found is None:
            menu = self.menus.get(path) or generic.menu(path)
            own: tuple[str, ...] = ()
            if menu is not None:
                own = {Kind.LIST: _LIST, Kind.FIXED: _FIXED, Kind.SINGLETON: _SETTINGS}[menu.kind]
            node = catalog.node(path)
            known = tuple(sorted(node.commands)) if node is not None else ()
            found = tuple(dict.fromkeys((*own, *STATUS.get(path, ()), *known, *_EVERYWHERE)))
            self._commands[path] = found
        return found

    def children(self, path: tuple[str, ...]) -> list[str]:
        return self._children.get(path, [])

    def lookup(self, path: tuple[str, ...], word: str) -> tuple[str, str] | None:
        """(``"menu"``|``"command"``, full word) for ``word`` at ``path``, prefixes allowed."""
        children = self.children(path)
        commands = self.commands(path)
        if word in children:
            return "menu", word
        if word in commands:
            return "command", word
        hits = [("menu", c) for c in children if c.startswith(word)]
        hits += [("command", c) for c in commands if c.startswith(word)]
        return hits[0] if len(hits) == 1 else None
