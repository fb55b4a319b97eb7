"""What a property of an item really is, as far as the export lets one know.

``/export`` leaves out every value equal to its default, so "absent" and "set to the
default" are the same thing and must compare equal; values are compared in the canonical
form RouterOS prints (``1d`` = ``24h``, ``10.0.0.1/32`` = ``10.0.0.1`` in an address
list). These rules come from the shared schema, the same table the emulated router
exports from, so the diff and the device cannot disagree about a default.
"""

from __future__ import annotations

from functools import lru_cache

from pydriver.platforms.mikrotik_routeros import schema
from pydriver.platforms.mikrotik_routeros.script import Command

#: Properties RouterOS accepts but never shows again: sent when an item is created, never
#: compared (the export cannot say whether they differ).
WRITE_ONLY: frozenset[tuple[tuple[str, ...], str]] = frozenset({(("user",), "password")})


def write_only(path: tuple[str, ...], name: str) -> bool:
    return (path, name) in WRITE_ONLY


def flag_value(path: tuple[str, ...], name: str, value: str) -> str:
    """A flag written bare (``fib``) means yes."""
    return "yes" if value == "" and _is_flag(path, name) else value


@lru_cache(maxsize=4096)
def _is_flag(path: tuple[str, ...], name: str) -> bool:
    menu = schema.menu(path)
    prop = menu.prop(name) if menu is not None else None
    return prop is not None and prop.flag


def builtin_name(menu: schema.Menu | None, target: str | None) -> str | None:
    """The built-in item a ``set`` target names (``telnet``, ``[ find default=yes ]``)."""
    if menu is None or target is None:
        return None
    text = target.strip()
    if text.startswith("["):
        words = text.strip("[]").split()
        conditions = [w for w in words if w not in ("find", "where", "and")]
        if conditions == ["default=yes"] and menu.builtin:
            return menu.builtin[0].name
        if len(conditions) == 1 and "=" in conditions[0]:
            key, value = conditions[0].split("=", 1)
            if key in ("name", menu.builtin_key):
                return value.strip('"')
        return None
    return text


def default(path: tuple[str, ...], name: str, item: str | None = None) -> str | None:
    menu = schema.menu(path)
    return menu.default(name, item) if menu is not None else None


def effective(cmd: Command, name: str) -> str | None:
    """The value ``name`` has on the item ``cmd`` describes (explicit, else default)."""
    value = cmd.get(name)
    if value is not None:
        return value
    return default(cmd.path, name, item_name(cmd))


def item_name(cmd: Command) -> str | None:
    """The built-in item ``cmd`` is about (None for an ``add``ed item or a settings menu)."""
    if cmd.verb == "add":
        return None
    return builtin_name(schema.menu(cmd.path), cmd.target)


@lru_cache(maxsize=1 << 17)
def canonical(path: tuple[str, ...], name: str, value: str) -> str:
    """``value`` as RouterOS would print it (unchanged when the schema does not know it).

    Remembered: a hub's config repeats most values thousands of times (its own address,
    a profile's name, an MTU), and a plan reads each of them two or three times."""
    menu = schema.menu(path)
    prop = menu.prop(name) if menu is not None else None
    if prop is None:
        return value
    try:
        return schema.canonical(prop, value)
    except (schema.ValueRejected, ValueError):
        return value


def same(path: tuple[str, ...], name: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b or (a or "") == (b or "") == ""
    return a == b or canonical(path, name, a) == canonical(path, name, b)


@lru_cache(maxsize=1 << 17)
def is_default(path: tuple[str, ...], name: str, value: str, item: str | None) -> bool:
    found = default(path, name, item)
    return found is not None and same(path, name, value, found)


@lru_cache(maxsize=4096)
def derived(path: tuple[str, ...], name: str) -> bool:
    """Computed by the router from other values (``/ip address network``): never diffed."""
    menu = schema.menu(path)
    prop = menu.prop(name) if menu is not None else None
    return prop is not None and (prop.derived or prop.read_only)
