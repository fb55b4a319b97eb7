"""A menu for every configuration path of RouterOS v7, for the emulated router.

Where the detailed schema models a menu, that model is kept (its types, defaults, identity
and checks are what pydriver's diff and the fabric rely on) and widened with every other
property the router accepts there, as plain text. Every other path of the catalog becomes a
generic menu: its kind comes from its commands, its properties from their arguments, values
are kept as given, and order matters where RouterOS offers ``move``. Items every router has
(the default logging rules, queue types, PPP profiles, ...) come with their defaults, and a
few menus that exist only on RouterBOARD hardware (switch chips, buttons) are open: they take
any property, since no catalog taken from a virtual router can list them.

These menus are the emulator's; :mod:`schema` (what pydriver's diff reads) is not changed.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from pydriver.platforms.mikrotik_routeros import catalog
from pydriver.platforms.mikrotik_routeros.schema import (
    MENUS,
    FixedItem,
    Kind,
    Menu,
    Prop,
    Type,
)

#: Properties written as a bare word (``add blackhole``, ``add fib``) that mean ``yes``.
FLAGS = frozenset({"blackhole", "fib"})
#: Properties that make an interface menu's items interfaces (names shared by all of them).
_LINK_PROPS = frozenset({"mtu", "l2mtu", "arp", "mac-address", "max-mtu"})
#: Paths that list run-time state although their commands look like a list.
STATUS_LISTS = frozenset({("user", "active"), ("interface",)})

#: Menus only RouterBOARD hardware has (absent from a virtual router's catalog): open menus.
HARDWARE: dict[tuple[str, ...], Kind] = {
    ("interface", "ethernet", "switch"): Kind.FIXED,
    ("interface", "ethernet", "switch", "port"): Kind.FIXED,
    ("interface", "ethernet", "switch", "port-isolation"): Kind.FIXED,
    ("interface", "ethernet", "switch", "rule"): Kind.LIST,
    ("interface", "ethernet", "switch", "vlan"): Kind.LIST,
    ("interface", "ethernet", "switch", "host"): Kind.LIST,
    ("interface", "ethernet", "switch", "qos", "port"): Kind.FIXED,
    ("interface", "ethernet", "poe"): Kind.FIXED,
    ("system", "routerboard", "settings"): Kind.SINGLETON,
    ("system", "routerboard", "mode-button"): Kind.SINGLETON,
    ("system", "routerboard", "reset-button"): Kind.SINGLETON,
    ("system", "routerboard", "wps-button"): Kind.SINGLETON,
    ("system", "routerboard", "usb"): Kind.SINGLETON,
    ("system", "health", "settings"): Kind.SINGLETON,
}


#: Built-in items of list menus: (how ``/export`` names them, the items).
#: ``index``: ``set 0``; ``default``: ``set [ find default=yes ]``; ``id``: ``set *0``.
BUILTINS: dict[tuple[str, ...], tuple[str, tuple[FixedItem, ...]]] = {
    ("system", "logging"): ("index", (
        FixedItem("0", (("topics", "info"), ("action", "memory"))),
        FixedItem("1", (("topics", "error"), ("action", "memory"))),
        FixedItem("2", (("topics", "warning"), ("action", "memory"))),
        FixedItem("3", (("topics", "critical"), ("action", "echo"))),
    )),
    ("queue", "type"): ("index", (
        FixedItem("default", (("kind", "pfifo"),)),
        FixedItem("ethernet-default", (("kind", "pfifo"),)),
        FixedItem("wireless-default", (("kind", "sfq"),)),
        FixedItem("synchronous-default", (("kind", "red"),)),
        FixedItem("hotspot-default", (("kind", "sfq"),)),
        FixedItem("pcq-upload-default", (("kind", "pcq"), ("pcq-classifier", "src-address"))),
        FixedItem("pcq-download-default", (("kind", "pcq"), ("pcq-classifier", "dst-address"))),
        FixedItem("only-hardware-queue", (("kind", "none"),)),
        FixedItem("multi-queue-ethernet-default", (("kind", "mq-pfifo"),)),
        FixedItem("default-small", (("kind", "pfifo"), ("pfifo-limit", "10"))),
    )),
    ("ppp", "profile"): ("id", (
        FixedItem("default", id=0),
        FixedItem("default-encryption", (("use-encryption", "yes"),), id=0xFFFFFFFE),
    )),
    ("interface", "wireless", "security-profiles"): ("default", (FixedItem("default"),)),
    ("interface", "lte", "apn"): ("default", (FixedItem("default"),)),
    ("ip", "hotspot", "profile"): ("default", (FixedItem("default"),)),
    ("ip", "hotspot", "user", "profile"): ("default", (FixedItem("default"),)),
    ("ip", "smb", "shares"): ("default", (FixedItem("pub"),)),
    ("ip", "smb", "users"): ("default", (FixedItem("guest"),)),
    ("ip", "ipsec", "policy", "group"): ("default", (FixedItem("default"),)),
    ("ip", "ipsec", "mode-config"): ("default", (FixedItem("request-only"),)),
    ("ipv6", "nd"): ("default", (FixedItem("all", (("interface", "all"),)),)),
    ("caps-man", "manager", "interface"): ("default", (
        FixedItem("all", (("interface", "all"),)),)),
}

#: Built-in items a twin gets only when a backup names them: the default IPsec policy
#: template is item 0 on a router, which would renumber every policy pydriver addresses.
ON_BACKUP: dict[tuple[str, ...], FixedItem] = {
    ("ip", "ipsec", "policy"): FixedItem("default", (
        ("template", "yes"), ("src-address", "::/0"), ("dst-address", "::/0"))),
}

#: Menus of physical ports and radios: their properties depend on the hardware (PoE, SFP,
#: radio chips), so they take any property name.
OPEN: frozenset[tuple[str, ...]] = frozenset({
    ("interface", "ethernet"), ("interface", "wireless"), ("interface", "wifi"),
    ("interface", "wifiwave2"), ("interface", "lte"),
})
#: How exports name the built-in items of modelled menus, where it is not the default rule.
_STYLES: dict[tuple[str, ...], str] = {
    ("user", "group"): "name", ("routing", "bgp", "template"): "name",
    ("system", "logging", "action"): "index",
}
#: Alternatives that satisfy a required property (a DNS entry has a name or a regexp).
_REQUIRED: dict[tuple[str, ...], tuple[str, ...]] = {
    ("ip", "dns", "static"): ("name|regexp",),
}


def _prop(name: str) -> Prop:
    return Prop(name, Type.STR, flag=name in FLAGS)


def _is_interface(path: tuple[str, ...], props: frozenset[str]) -> bool:
    return (len(path) >= 2 and path[0] == "interface" and "name" in props
            and bool(props & _LINK_PROPS))


def _generic(path: tuple[str, ...]) -> Menu | None:
    node = catalog.node(path)
    kind: Kind | None = node.kind if node is not None else None
    open_menu = False
    if kind is None and path in HARDWARE:
        kind, open_menu = HARDWARE[path], True
    if kind is None or (node is None and not open_menu) or path in STATUS_LISTS:
        return None
    names = set(node.props) if node is not None else set()
    interface = _is_interface(path, frozenset(names))
    if interface or (open_menu and "switch" in path):
        names.add("default-name")
    if node is not None and ("disable" in node.commands or "enable" in node.commands):
        names.add("disabled")
    props = tuple(_prop(n) for n in sorted(names))
    style, builtin = BUILTINS.get(path, ("", ()))
    return Menu(
        path,
        kind,
        props,
        identity=("name",) if "name" in names else (),
        builtin=builtin,
        builtin_key="default-name" if interface else "name",
        builtin_style=style,
        ordered=node is not None and "move" in node.commands,
        interface=interface,
        disable="disabled" in names,
        open=open_menu or path in OPEN,
    )


def _widened(menu: Menu) -> Menu:
    """A modelled menu that also takes every property the catalog lists for it."""
    node = catalog.node(menu.path)
    extra: list[Prop] = []
    settable = node.props if node is not None else frozenset()
    props = [replace(p, read_only=False, derived=True) if p.read_only and p.name in settable
             else p for p in menu.props]
    known = {p.name for p in props}
    extra = [_prop(n) for n in sorted(settable - known)]
    style, builtin = BUILTINS.get(menu.path, ("", ()))
    if builtin and not menu.builtin:
        menu = replace(menu, builtin=builtin, builtin_style=style)
    menu = replace(menu, required=_REQUIRED.get(menu.path, menu.required),
                   builtin_style=_STYLES.get(menu.path, menu.builtin_style))
    return replace(menu, props=(*props, *extra), open=menu.path in OPEN)


@functools.cache
def modelled() -> tuple[Menu, ...]:
    """The schema's menus, widened, in the schema's (export) order."""
    return tuple(_widened(m) for m in MENUS)


@functools.cache
def _by_path() -> dict[tuple[str, ...], Menu]:
    return {m.path: m for m in modelled()}


@functools.cache
def menu(path: tuple[str, ...]) -> Menu | None:
    """The menu at ``path``: the widened model, else a generic one, else None."""
    found = _by_path().get(path)
    return found if found is not None else _generic(path)


def with_builtins() -> tuple[tuple[str, ...], ...]:
    """Generic paths whose tables must exist from the start (they hold built-in items)."""
    return tuple(p for p in BUILTINS if p not in _by_path() and BUILTINS[p][1])


def is_path(path: tuple[str, ...]) -> bool:
    """Does the console know ``path`` as a menu (configuration or not)?"""
    return catalog.node(path) is not None or path in HARDWARE or path in _by_path()
