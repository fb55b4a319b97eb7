"""A parsed export as configuration state: per menu, its settings and its items.

An export says the same thing in several spellings (``/export`` and ``/export verbose``,
one menu header or several, a default written out or left away); the diff and the
canonical form both need the one meaning behind them. Here ``set`` lines are merged per
item they name and ``add`` lines keep the device's order, with default values and
read-only status values dropped, exactly as RouterOS's own export would drop them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from pydriver.platforms.mikrotik_routeros import schema, values
from pydriver.platforms.mikrotik_routeros.script import Command, RosConfig, ScriptError

_STATE_VERBS = ("add", "set")
#: Menus where item order is configuration: the schema's ordered menus, and IPsec policies
#: (RouterOS matches them top to bottom like firewall rules).
ORDERED: frozenset[tuple[str, ...]] = frozenset(
    {m.path for m in schema.MENUS if m.ordered} | {("ip", "ipsec", "policy")})


@dataclass(frozen=True, slots=True)
class Section:
    """One menu's configuration: ``set`` lines (one per item named) and ``add``ed items."""

    path: tuple[str, ...]
    sets: tuple[Command, ...]
    adds: tuple[Command, ...]

    @property
    def menu(self) -> schema.Menu | None:
        return schema.menu(self.path)

    @property
    def ordered(self) -> bool:
        return self.path in ORDERED


def set_key(cmd: Command) -> str:
    """What a ``set`` line is about: the built-in item's name, else its target verbatim."""
    name = values.item_name(cmd)
    if name is not None:
        return name
    return cmd.target or ""


def _clean(cmd: Command) -> Command:
    """Drop what says nothing about the configuration: values at their default (a plain
    export leaves them out, a verbose one does not), read-only status and values the
    router derives from others (``network`` of an address, a port's MAC)."""
    item = values.item_name(cmd)
    path = cmd.path
    props: dict[str, str | None] = {}
    for name, value in cmd.props:
        if values.derived(path, name):
            continue
        props[name] = _kept(path, name, value, item)
    kept = tuple((k, v) for k, v in props.items() if v is not None)
    if kept == cmd.props:
        return cmd
    return Command(path, cmd.verb, cmd.target, kept, cmd.line, cmd.bare)


@lru_cache(maxsize=1 << 17)
def _kept(path: tuple[str, ...], name: str, value: str, item: str | None) -> str | None:
    """What an export's ``name=value`` keeps once clean: its canonical form, or None at its
    default. Remembered: a hub's export repeats most pairs thousands of times."""
    value = values.canonical(path, name, values.flag_value(path, name, value))
    return None if values.is_default(path, name, value, item) else value


def _merge(first: Command, later: Command) -> Command:
    props = dict(first.props)
    props.update(later.props)
    return replace(first, props=tuple(props.items()))


def sections(config: RosConfig, clean: bool = True) -> dict[tuple[str, ...], Section]:
    """Per menu (in first-seen order): merged ``set`` lines and ``add`` items."""
    sets: dict[tuple[str, ...], dict[str, Command]] = {}
    adds: dict[tuple[str, ...], list[Command]] = {}
    for cmd in config.commands:
        if cmd.verb not in _STATE_VERBS:
            raise ScriptError(cmd.line, f"'{cmd.verb}' is not configuration state "
                                        "(an export holds only add and set)")
        sets.setdefault(cmd.path, {})
        adds.setdefault(cmd.path, [])
        if cmd.verb == "add":
            adds[cmd.path].append(cmd)
            continue
        key = set_key(cmd)
        held = sets[cmd.path].get(key)
        sets[cmd.path][key] = cmd if held is None else _merge(held, cmd)
    out: dict[tuple[str, ...], Section] = {}
    for path, named in sets.items():
        set_lines = list(named.values())
        add_lines = adds[path]
        if clean:
            set_lines = [c for c in (_clean(s) for s in set_lines) if c.props]
            add_lines = [_clean(a) for a in add_lines]
        out[path] = Section(path, tuple(set_lines), tuple(add_lines))
    return out


def export_rank() -> dict[tuple[str, ...], int]:
    return {path: n for n, path in enumerate(m.path for m in schema.MENUS)}


def menu_order(primary: list[tuple[str, ...]], others: list[tuple[str, ...]]
               ) -> list[tuple[str, ...]]:
    """``primary`` (the rendered script's menu order) with ``others`` merged in where
    RouterOS's export order puts them: right after the nearest earlier menu present."""
    rank = export_rank()
    order = list(dict.fromkeys(primary))
    for path in sorted(set(others) - set(order), key=lambda p: (rank.get(p, len(rank)), p)):
        mine = rank.get(path, len(rank))
        before = [i for i, p in enumerate(order) if rank.get(p, len(rank)) <= mine]
        order.insert(max(before) + 1 if before else 0, path)
    return order
