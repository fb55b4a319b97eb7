"""Configuration state: one table of items per menu, as RouterOS keeps it.

Every menu, whatever its kind, is a table: a settings menu (``/ip dns``) is a table with
one built-in item, a fixed menu (``/ip service``) a table of built-in items. That keeps
``print``, ``set``, ``[find ...]`` and ``export`` one code path for all of them. Items hold
only explicitly set values; everything else reads through to the schema's defaults, which
is exactly what lets ``export`` leave defaults out the way RouterOS does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pydriver.platforms.mikrotik_routeros import generic
from pydriver.platforms.mikrotik_routeros.schema import Kind, Menu


@dataclass(slots=True)
class Item:
    """One configuration item; ``props`` holds explicitly set, canonical values."""

    id: int
    props: dict[str, str] = field(default_factory=dict)
    builtin: str | None = None  # the built-in item's identity value (``telnet``), if any
    state: dict[str, str] = field(default_factory=dict)  # read-only values (run-count)
    designator: str | None = None  # how export names a built-in item found on a backup
    bare: set[str] = field(default_factory=set)  # flags given as a bare word (``passive``)

    @property
    def ref(self) -> str:
        return f"*{self.id:X}"


class Table:
    """The items of one menu, in RouterOS's order."""

    def __init__(self, menu: Menu) -> None:
        self.menu = menu
        self.items: list[Item] = []
        self.next_id = 1

    def value(self, item: Item, name: str) -> str | None:
        """Explicit value, else the default (the built-in item's own default first)."""
        if name in item.props:
            return item.props[name]
        if name in item.state:
            return item.state[name]
        if item.builtin and name in ("name", self.menu.builtin_key):
            return item.builtin  # a built-in item is named by its identity until renamed
        return self.menu.default(name, item.builtin)

    def disabled(self, item: Item) -> bool:
        return self.value(item, "disabled") == "yes"

    def name_of(self, item: Item) -> str | None:
        return self.value(item, "name") if self.menu.prop("name") else None

    def new_item(self, props: dict[str, str], builtin: str | None = None,
                 item_id: int | None = None) -> Item:
        if item_id is not None:
            return Item(item_id, dict(props), builtin)
        item = Item(self.next_id, dict(props), builtin)
        self.next_id += 1
        return item

    def insert(self, item: Item, before: Item | None = None) -> None:
        if before is None:
            self.items.append(item)
        else:
            self.items.insert(self.items.index(before), item)

    def by_id(self, item_id: int) -> Item | None:
        for item in self.items:
            if item.id == item_id:
                return item
        return None

    def by_name(self, name: str) -> Item | None:
        for item in self.items:
            if self.name_of(item) == name:
                return item
        return None

    def names(self) -> list[str]:
        return [n for n in (self.name_of(i) for i in self.items) if n is not None]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)


class Config:
    """All tables of one router; ``touch`` is called on every change.

    The schema's menus (and the generic menus holding built-in items) exist from the start;
    every other menu of RouterOS gets its table the first time a command reaches it.
    """

    def __init__(self, extra: tuple[Menu, ...] = ()) -> None:
        self.tables: dict[tuple[str, ...], Table] = {}
        self.on_change: Callable[[], None] = lambda: None
        for menu in (*generic.modelled(), *extra):
            self._add(menu)
        for path in generic.with_builtins():
            self.table(path)

    def _add(self, menu: Menu) -> Table:
        table = Table(menu)
        self.tables[menu.path] = table
        if menu.kind is Kind.SINGLETON:
            table.items.append(table.new_item({}, builtin=""))
        else:
            for fixed in menu.builtin:
                table.items.append(table.new_item({}, builtin=fixed.name, item_id=fixed.id))
        return table

    def find(self, path: tuple[str, ...]) -> Table | None:
        """The table of the configuration menu at ``path``, if RouterOS has one there."""
        found = self.tables.get(path)
        if found is None:
            menu = generic.menu(path)
            if menu is None:
                return None
            found = self._add(menu)
        return found

    def table(self, path: tuple[str, ...]) -> Table:
        found = self.find(path)
        if found is None:
            raise KeyError(path)
        return found

    def touch(self) -> None:
        self.on_change()

    def snapshot(self) -> dict[tuple[str, ...], list[Item]]:
        """A deep copy of every table's items (for dry runs and tests)."""
        return {path: copy.deepcopy(t.items) for path, t in self.tables.items()}

    def setting(self, path: tuple[str, ...], name: str) -> str | None:
        """A value of a settings menu (``/system identity`` ``name``)."""
        table = self.tables[path]
        return table.value(table.items[0], name)

    def interface_names(self) -> list[str]:
        names: list[str] = []
        for table in self.tables.values():
            if table.menu.interface:
                names.extend(table.names())
        return names
