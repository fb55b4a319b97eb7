"""``/user`` as export lines: RouterOS never exports users, pydriver still manages them.

``/export`` leaves ``/user`` out entirely (passwords cannot be shown), yet the operators'
accounts are part of the baseline pydriver enforces. So the running config pydriver reads
is the export plus a ``/user`` section built from ``/user print terse``, in export form:
the diff then sees users like any other menu, with the password write-only. The same
section is built wherever a running config is read (the device, the offline model), so
both agree byte for byte.
"""

from __future__ import annotations

import re

from pydriver.platforms.mikrotik_routeros import schema
from pydriver.platforms.mikrotik_routeros.script import Command, parse
from pydriver.platforms.mikrotik_routeros.state import sections

PRINT = "/user print terse"
PATH = ("user",)
_ROW = re.compile(r"^\s*\d+\s+(?P<flags>[A-Z]*)\s+(?P<rest>\S.*)$")


def section(printed: str) -> str:
    """Export-form ``/user`` lines from ``/user print terse`` output ("" when none)."""
    menu = schema.menu(PATH)
    assert menu is not None
    builtin = {b.name for b in menu.builtin}
    rows: list[str] = []
    for raw in printed.replace("\r", "").split("\n"):
        match = _ROW.match(raw)
        if match is None:
            continue
        rows.append(f"add {match['rest']}" + (" disabled=yes" if "X" in match["flags"] else ""))
    if not rows:
        return ""
    parsed = parse("/user\n" + "\n".join(rows))
    lines: list[Command] = []
    for cmd in parsed.commands:
        pairs = tuple((k, v) for k, v in cmd.props
                      if (p := menu.prop(k)) is not None and not p.read_only and not p.sensitive)
        name = cmd.get("name")
        if name in builtin and cmd.owner is None:
            pairs = tuple((k, v) for k, v in pairs if k != "name")
            lines.append(Command(PATH, "set", "[ find default=yes ]", pairs))
        else:
            lines.append(Command(PATH, "add", None, pairs))
    cleaned = sections(parse("/user\n" + "\n".join(c.text() for c in lines))).get(PATH)
    if cleaned is None:
        return ""
    body = [c.text() for c in (*cleaned.sets, *cleaned.adds)]
    return "/user\n" + "\n".join(body) + "\n" if body else ""


def with_users(export: str, printed: str) -> str:
    """The export followed by its ``/user`` section."""
    extra = section(printed)
    if not extra:
        return export
    return export.rstrip("\n") + "\n" + extra
