"""What RouterOS checks before it accepts an item: required values, references, uniqueness.

These run at execution time, not while reading the command, which is why ``/import
dry-run`` (a syntax check) does not see them and why an import can stop half-way with
``failure: already have such address``: the lines before it are already applied.
"""

from __future__ import annotations

import ipaddress

from pydriver.platforms.mikrotik_routeros.engine.errors import RosError
from pydriver.platforms.mikrotik_routeros.engine.store import Config, Item, Table
from pydriver.platforms.mikrotik_routeros.schema import Menu, Type

_FREE_REFS = {("ip", "firewall", "address-list")}  # address-list names are free text
_INTERFACE = ("interface",)
#: Interfaces every RouterOS 7 router has without configuration (the loopback).
DYNAMIC_INTERFACES = frozenset({"lo"})
#: Interface groups the firewall matches on besides single interfaces.
_GROUPS = frozenset({"all-ethernet", "all-ppp", "all-vlan", "all-wireless", "all-vpls",
                     "all-wifi"})


def referenced_names(config: Config, target: tuple[str, ...]) -> set[str]:
    if target == _INTERFACE:
        return set(config.interface_names()) | DYNAMIC_INTERFACES
    table = config.tables.get(target)
    return set(table.names()) if table is not None else set()


def check_refs(config: Config, menu: Menu, props: dict[str, str]) -> None:
    for name, value in props.items():
        prop = menu.prop(name)
        if prop is None or prop.type is not Type.REF or prop.ref is None or not value:
            continue
        if prop.ref in _FREE_REFS:
            continue
        known = referenced_names(config, prop.ref) | set(prop.ref_extra)
        if prop.ref == _INTERFACE and menu.path[:2] == ("ip", "firewall"):
            known |= _GROUPS
        if prop.default is not None:
            known.add(prop.default)
        for part in value.split(",") if prop.multi else [value]:
            bare = part[1:] if prop.negatable and part.startswith("!") else part
            if bare and bare not in known:
                raise RosError(f"input does not match any value of {name}")


def check_required(menu: Menu, props: dict[str, str]) -> None:
    """Every required property given (``a|b``: one of them will do)."""
    missing = [r.split("|")[0] for r in menu.required
               if not any(props.get(name) for name in r.split("|"))]
    if missing:
        raise RosError(f"missing value(s) of argument(s) {', '.join(missing)}")


def check_unique(table: Table, props: dict[str, str], builtin: str | None,
                 skip: Item | None) -> None:
    menu = table.menu
    probe = Item(0, props, builtin)
    for rule in menu.unique:
        mine = tuple(table.value(probe, k) for k in rule.keys)
        for other in table.items:
            if other is skip:
                continue
            if tuple(table.value(other, k) for k in rule.keys) == mine:
                raise RosError(rule.message)


def check_interface_name(config: Config, table: Table, props: dict[str, str],
                         skip: Item | None) -> None:
    name = props.get("name")
    if not table.menu.interface or not name:
        return
    for other in config.tables.values():
        if not other.menu.interface:
            continue
        for item in other.items:
            if item is not skip and other.name_of(item) == name:
                raise RosError("failure: already have interface with such name")


def auto_name(table: Table, props: dict[str, str]) -> None:
    """``add`` with no name: RouterOS picks ``<base><n>`` with the first free ``n``."""
    base = table.menu.auto_name
    if base is None or props.get("name"):
        return
    taken = set(table.names())
    n = 1
    while f"{base}{n}" in taken:
        n += 1
    props["name"] = f"{base}{n}"


def derive(table: Table, props: dict[str, str], given: set[str]) -> None:
    """Values RouterOS computes from others (the network of an interface address)."""
    if table.menu.path == ("ip", "address") and "address" in props and "network" not in given:
        props["network"] = str(ipaddress.IPv4Interface(props["address"]).network.network_address)


def rename(config: Config, table: Table, old: str, new: str) -> None:
    """References follow a renamed item, as they do on RouterOS (which stores ids)."""
    targets = {table.menu.path}
    if table.menu.interface:
        targets.add(_INTERFACE)
    for other in config.tables.values():
        for prop in other.menu.props:
            if prop.type is not Type.REF or prop.ref not in targets:
                continue
            for item in other.items:
                value = item.props.get(prop.name)
                if value is None:
                    continue
                parts = value.split(",") if prop.multi else [value]
                fixed = []
                for part in parts:
                    neg = "!" if part.startswith("!") else ""
                    fixed.append(neg + new if part.removeprefix("!") == old else part)
                item.props[prop.name] = ",".join(fixed)
