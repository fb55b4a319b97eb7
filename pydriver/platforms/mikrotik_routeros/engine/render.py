"""``export`` and ``print`` text, laid out as RouterOS 7 lays it out.

Export is what pydriver diffs, so its rules matter most: menus in RouterOS's order,
``add`` lines with properties sorted by name, values equal to the default left out,
built-in items shown only as ``set`` of what changed, sensitive values left out unless
``show-sensitive``, and ``/user`` never exported.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pydriver.platforms.mikrotik_routeros import generic
from pydriver.platforms.mikrotik_routeros.engine.store import Config, Item, Table
from pydriver.platforms.mikrotik_routeros.schema import MENUS, Kind, Menu, quote


@dataclass(frozen=True, slots=True)
class ExportOptions:
    terse: bool = False
    verbose: bool = False
    show_sensitive: bool = False


def _export_props(table: Table, item: Item, opts: ExportOptions) -> list[tuple[str, str]]:
    menu = table.menu
    out: list[tuple[str, str]] = []
    for prop in menu.props:
        if prop.read_only or (prop.sensitive and not opts.show_sensitive):
            continue
        if item.builtin and prop.name == menu.builtin_key and menu.kind is Kind.FIXED \
                and table.value(item, prop.name) == item.builtin:
            continue
        if prop.name == "default-name" and menu.builtin_key == "default-name":
            continue
        explicit = prop.name in item.props
        if not explicit and prop.name in item.state:
            continue  # run-time values (where a service really listens) are not configuration
        value = table.value(item, prop.name)
        if value is None:
            continue
        default = menu.default(prop.name, item.builtin)
        if item.builtin and prop.name == "name" and not explicit:
            continue
        verbose = opts.verbose and not (item.builtin and menu.builtin_style)
        if not verbose and (value == default or (not explicit and default is None)):
            continue
        out.append((prop.name, value))
    if menu.open:  # properties only this hardware has
        out.extend((k, v) for k, v in item.props.items() if all(p.name != k for p in menu.props))
    return sorted(out)


def _args(menu: Menu, pairs: list[tuple[str, str]], item: Item | None = None) -> str:
    words = []
    for key, value in pairs:
        prop = menu.prop(key)
        flag = prop is not None and prop.flag and key in _BARE_FLAGS
        if value == "yes" and (flag or (item is not None and key in item.bare)):
            words.append(key)
        else:
            words.append(f"{key}={quote(value)}")
    return " ".join(words)


#: Flags RouterOS 7 exports as a bare word when set.
_BARE_FLAGS = frozenset({"blackhole", "fib"})


def _builtin_target(table: Table, item: Item) -> str:
    menu = table.menu
    if item.designator:
        return item.designator
    if menu.builtin_key != "name":
        return f"[ find {menu.builtin_key}={quote(item.builtin or '')} ]"
    style = menu.builtin_style
    if style == "index":
        return str(table.items.index(item))
    if style == "id":
        return item.ref
    if style == "name":
        return quote(item.builtin or "")
    if style == "default" or (menu.kind is not Kind.FIXED and len(menu.builtin) == 1):
        return "[ find default=yes ]"
    if menu.kind is Kind.FIXED:
        return str(item.builtin)
    return f"[ find name={item.builtin} ]"


def item_line(table: Table, item: Item, opts: ExportOptions) -> str | None:
    """The export line of one item (None when a setting or built-in item is unchanged)."""
    menu = table.menu
    pairs = _export_props(table, item, opts)
    if menu.kind is Kind.SINGLETON:
        return f"set {_args(menu, pairs)}" if pairs else None
    if item.builtin is not None:
        return f"set {_builtin_target(table, item)} {_args(menu, pairs, item)}" if pairs else None
    return f"add {_args(menu, pairs, item)}".rstrip()


def section(table: Table, opts: ExportOptions) -> list[str]:
    """The lines of one menu's section (without its ``/path`` header)."""
    return [line for item in table.items if (line := item_line(table, item, opts))]


# ---------------------------------------------------------------------------- order

#: Properties whose values name interfaces: an item using one is exported after it.
_LINKS = frozenset({"interface", "interfaces", "slaves", "bridge", "master-interface",
                    "master-port", "primary", "parent", "tagged", "untagged", "ports",
                    "in-interface", "out-interface", "local-interface", "vrf-interface"})


@functools.cache
def _modelled_rank() -> dict[tuple[str, ...], int]:
    return {path: n for n, path in enumerate(m.path for m in MENUS)}


@functools.cache
def rank(path: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
    """Where ``path``'s section goes in an export: the schema's menus in RouterOS's order;
    other interface menus with the interfaces (before ``/interface vlan``, which may sit
    on them); every other menu in the alphabetical second half, as RouterOS places it."""
    known = _modelled_rank()
    if path in known:
        return float(known[path]), path
    menu = generic.menu(path)
    if menu is not None and menu.interface:
        return known[("interface", "vlan")] - 0.5, path
    second = known[("interface", "bridge", "port")]
    anchors = [n for p, n in known.items() if n >= second and " ".join(p) <= " ".join(path)]
    return (max(anchors) if anchors else second - 1) + 0.5, path


def _ordered(config: Config, prefix: tuple[str, ...]) -> list[tuple[Table, Item]]:
    """Every item to export, menus in export order, each item after the interfaces it uses."""
    tables = sorted((t for p, t in config.tables.items()
                     if t.menu.exported and p[: len(prefix)] == prefix), key=lambda t:
                    rank(t.menu.path))
    base = [(t, i) for t in tables for i in t.items]
    providers: dict[str, tuple[Table, Item]] = {}
    for entry in base:
        if entry[0].menu.interface and (name := entry[0].name_of(entry[1])):
            providers.setdefault(name, entry)
    out: list[tuple[Table, Item]] = []
    done: set[int] = set()

    def emit(entry: tuple[Table, Item], busy: set[int]) -> None:
        item = entry[1]
        if id(item) in done or id(item) in busy:
            return
        busy.add(id(item))
        for key in _LINKS:
            value = item.props.get(key)
            for word in value.split(",") if value else ():
                provider = providers.get(word.lstrip("!"))
                if provider is not None and provider[1] is not item:
                    emit(provider, busy)
        done.add(id(item))
        out.append(entry)

    for entry in base:
        emit(entry, set())
    return out


def export(
    config: Config, prefix: tuple[str, ...], opts: ExportOptions, header: str
) -> str:
    """The export of every menu under ``prefix`` (``()`` for the whole router): sections
    in RouterOS's order, a section split where an item must wait for an interface made
    in a later one (as RouterOS splits it)."""
    out = [header.rstrip("\n")] if header else []
    current: Table | None = None
    for table, item in _ordered(config, prefix):
        line = item_line(table, item, opts)
        if line is None:
            continue
        title = "/" + " ".join(table.menu.path)
        if opts.terse:
            out.append(f"{title} {line}")
            continue
        if table is not current:
            out.append(title)
            current = table
        out.append(line)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- print

#: Table columns of ``print`` per menu: (heading, property). Menus not listed print in
#: the detail layout, as RouterOS does for menus with many properties.
COLUMNS: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {
    ("ip", "address"): (("ADDRESS", "address"), ("NETWORK", "network"), ("INTERFACE", "interface")),
    ("interface", "bridge"): (("NAME", "name"), ("PROTOCOL-MODE", "protocol-mode")),
    ("interface", "bridge", "port"): (("INTERFACE", "interface"), ("BRIDGE", "bridge")),
    ("interface", "ethernet"): (("NAME", "name"), ("MTU", "mtu")),
    ("interface", "vlan"): (("NAME", "name"), ("MTU", "mtu"), ("VLAN-ID", "vlan-id"),
                            ("INTERFACE", "interface")),
    ("interface", "gre"): (("NAME", "name"), ("MTU", "mtu"), ("LOCAL-ADDRESS", "local-address"),
                           ("REMOTE-ADDRESS", "remote-address")),
    ("interface", "list"): (("NAME", "name"),),
    ("interface", "list", "member"): (("LIST", "list"), ("INTERFACE", "interface")),
    ("ip", "firewall", "address-list"): (("LIST", "list"), ("ADDRESS", "address")),
    ("ip", "service"): (("NAME", "name"), ("PORT", "port"), ("ADDRESS", "address"),
                        ("CERTIFICATE", "certificate")),
    ("ip", "pool"): (("NAME", "name"), ("RANGES", "ranges")),
    ("ip", "arp"): (("ADDRESS", "address"), ("MAC-ADDRESS", "mac-address"),
                    ("INTERFACE", "interface")),
    ("ip", "dhcp-client"): (("INTERFACE", "interface"),),
    ("ip", "ipsec", "peer"): (("NAME", "name"), ("ADDRESS", "address"), ("PROFILE", "profile"),
                              ("EXCHANGE-MODE", "exchange-mode")),
    ("ip", "ipsec", "proposal"): (("NAME", "name"), ("AUTH-ALGORITHMS", "auth-algorithms"),
                                  ("ENC-ALGORITHMS", "enc-algorithms"),
                                  ("PFS-GROUP", "pfs-group")),
    ("ip", "ipsec", "profile"): (("NAME", "name"), ("HASH-ALGORITHM", "hash-algorithm"),
                                 ("ENC-ALGORITHM", "enc-algorithm"), ("DH-GROUP", "dh-group")),
    ("system", "scheduler"): (("NAME", "name"), ("START-DATE", "start-date"),
                              ("START-TIME", "start-time"), ("INTERVAL", "interval"),
                              ("ON-EVENT", "on-event"), ("RUN-COUNT", "run-count")),
    ("system", "logging", "action"): (("NAME", "name"), ("TARGET", "target"),
                                      ("REMOTE", "remote")),
    ("system", "logging"): (("TOPICS", "topics"), ("ACTION", "action"), ("PREFIX", "prefix")),
    ("queue", "simple"): (("NAME", "name"), ("TARGET", "target"), ("MAX-LIMIT", "max-limit"),
                          ("LIMIT-AT", "limit-at"), ("PRIORITY", "priority")),
    ("snmp", "community"): (("NAME", "name"), ("ADDRESSES", "addresses"),
                            ("SECURITY", "security"), ("READ-ACCESS", "read-access"),
                            ("WRITE-ACCESS", "write-access")),
    ("user",): (("NAME", "name"), ("GROUP", "group"), ("ADDRESS", "address")),
    ("user", "group"): (("NAME", "name"), ("POLICY", "policy")),
    ("routing", "table"): (("NAME", "name"), ("FIB", "fib")),
    ("file",): (("NAME", "name"), ("TYPE", "type"), ("SIZE", "size"),
                ("CREATION-TIME", "creation-time")),
}


def flags_of(table: Table, item: Item) -> str:
    marks = ""
    if table.disabled(item):
        marks += "X"
    return marks


def _shown(table: Table, item: Item, show_sensitive: bool) -> list[tuple[str, str]]:
    out = []
    for prop in table.menu.props:
        if prop.name == "comment" or (prop.sensitive and not show_sensitive):
            continue
        if table.menu.path == ("user",) and prop.name == "password":
            continue
        value = table.value(item, prop.name)
        if value is None or (prop.name == "disabled"):
            continue
        out.append((prop.name, value))
    return out


def print_items(table: Table, items: list[tuple[int, Item]], mode: str,
                show_sensitive: bool = False) -> str:
    """``print`` (mode ``""``), ``print detail`` or ``print terse`` of ``items``."""
    menu = table.menu
    if menu.kind is Kind.SINGLETON:
        return print_settings(table, items[0][1], show_sensitive)
    columns = COLUMNS.get(menu.path)
    if mode == "terse":
        lines = []
        for index, item in items:
            comment = table.value(item, "comment")
            pairs = _shown(table, item, show_sensitive)
            if comment is not None:
                pairs.insert(0, ("comment", comment))
            body = " ".join(f"{k}={quote(v)}" for k, v in pairs)
            lines.append(f"{index:>2} {flags_of(table, item):<2}{body}")
        return "\n".join(lines) + ("\n" if lines else "")
    if mode == "detail" or columns is None:
        head = "Flags: X - disabled\n" if menu.disable else ""
        lines = []
        for index, item in items:
            comment = table.value(item, "comment")
            prefix = f"{index:>2} {flags_of(table, item):<2}"
            pairs = _shown(table, item, show_sensitive)
            body = " ".join(f"{k}={quote(v)}" for k, v in pairs)
            if comment is not None:
                lines.append(f"{prefix} ;;; {comment}")
                lines.append(f"      {body}")
            else:
                lines.append(f"{prefix} {body}")
            lines.append("")
        return head + "\n".join(lines) + ("\n" if lines else "")
    headers = ["#", "", *[c[0] for c in columns]]  # number, flags, then the columns
    rows = []
    notes: list[str | None] = []
    for index, item in items:
        rows.append([str(index), flags_of(table, item),
                     *[table.value(item, prop) or "" for _, prop in columns]])
        notes.append(table.value(item, "comment"))
    # the flag column has no heading of its own in RouterOS: it follows the number
    merged = [[f"{r[0]} {r[1]}".rstrip(), *r[2:]] for r in rows]
    return grid(["#", *headers[2:]], merged, notes, "X - DISABLED" if menu.disable else "")


def grid(headers: list[str], rows: list[list[str]], notes: list[str | None],
           legend: str) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    widths[0] = max(widths[0], 3)
    lines = []
    if legend:
        lines.append(f"Flags: {legend}")
    lines.append("Columns: " + ", ".join(headers[1:]))
    lines.append("  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip())
    for row, note in zip(rows, notes, strict=True):
        if note:
            lines.append(f";;; {note}")
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"


def print_settings(table: Table, item: Item, show_sensitive: bool = False) -> str:
    """A settings menu's ``print``: one right-aligned ``name: value`` per line."""
    pairs = []
    for prop in table.menu.props:
        if prop.sensitive and not show_sensitive:
            continue
        value = table.value(item, prop.name)
        if value is None:
            continue
        pairs.append((prop.name, value))
    return key_values(pairs)


def key_values(pairs: list[tuple[str, str]]) -> str:
    width = max((len(k) for k, _ in pairs), default=0)
    return "".join(f"{k.rjust(width + 2)}: {v}\n" for k, v in pairs)


def menu_title(menu: Menu) -> str:
    return "/" + " ".join(menu.path)
