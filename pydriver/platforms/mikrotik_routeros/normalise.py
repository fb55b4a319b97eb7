"""The canonical form of a RouterOS export: what backups store and plans hash.

Two exports of the same configuration must give the same bytes, and a restored snapshot
must give the bytes it was taken from, or "nothing changed" cannot be told from "something
changed". So: the header (date, software id, serial number) and every other comment line
go; menus come in RouterOS's export order; properties are sorted and defaults dropped (so
``/export verbose`` and ``/export terse`` agree with ``/export``); items of menus where
order means nothing are sorted by what identifies them, while firewall, NAT, mangle,
simple queues, routing filters, IPsec policies and logging rules keep the device's order,
because there the order is the configuration.
"""

from __future__ import annotations

from pydriver.platforms.mikrotik_routeros import values
from pydriver.platforms.mikrotik_routeros.script import Command, parse
from pydriver.platforms.mikrotik_routeros.state import Section, export_rank, sections, set_key


def _sorted_props(cmd: Command) -> Command:
    return Command(cmd.path, cmd.verb, cmd.target, tuple(sorted(cmd.props)), cmd.line, cmd.bare)


def _identity(section: Section, cmd: Command) -> tuple[str, ...]:
    menu = section.menu
    keys = menu.identity if menu is not None else ()
    return tuple(values.canonical(cmd.path, k, values.effective(cmd, k) or "") for k in keys)


def lines(section: Section) -> list[str]:
    """One menu's canonical lines (without its ``/menu`` header)."""
    sets = sorted((_sorted_props(c) for c in section.sets), key=set_key)
    adds = [_sorted_props(c) for c in section.adds]
    if not section.ordered:
        adds.sort(key=lambda c: (_identity(section, c), c.text()))
    return [c.text() for c in (*sets, *adds)]


def normalise(running: str) -> str:
    """``running`` (any export form, or a rendered script) in the canonical form."""
    found = sections(parse(running))
    rank = export_rank()
    out: list[str] = []
    for path in sorted(found, key=lambda p: (rank.get(p, len(rank)), p)):
        body = lines(found[path])
        if body:
            out.append("/" + " ".join(path))
            out.extend(body)
    return "\n".join(out) + "\n" if out else ""
