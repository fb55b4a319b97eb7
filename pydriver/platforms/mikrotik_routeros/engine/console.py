"""Console commands that show the router's run-time state: the log, who is logged in,
the ARP table, and ``/interface`` commands that reach an interface in whichever menu made it.

Each listing is a set of rows (name -> value) filtered by the same ``where`` language as
configuration items, so ``print where ...`` and ``count-only`` work on them too, in the
layouts RouterOS 7 prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros.engine import query
from pydriver.platforms.mikrotik_routeros.engine.errors import RosError, end_of_command
from pydriver.platforms.mikrotik_routeros.engine.lexer import Token
from pydriver.platforms.mikrotik_routeros.engine.render import grid
from pydriver.platforms.mikrotik_routeros.engine.store import Item, Table
from pydriver.platforms.mikrotik_routeros.schema import Kind, Menu, Prop, quote

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.interp import Context, Interpreter

Handler = Callable[["Interpreter", list[Token], "Context"], str]
_PRINT_WORDS = ("detail", "terse", "brief", "without-paging", "count-only", "as-value",
                "follow", "follow-only", "value-list", "show-ids", "append")


@dataclass(frozen=True, slots=True)
class PrintArgs:
    """What a ``print`` asked for: its words and its ``where`` condition."""

    words: frozenset[str]
    conditions: list[Token]


def print_args(args: list[Token]) -> PrintArgs:
    words: set[str] = set()
    conditions: list[Token] = []
    in_where = False
    for tok in args:
        if in_where:
            conditions.append(tok)
        elif tok.is_arg and tok.name in ("proplist", "from", "interval", "file", "where"):
            continue
        elif not tok.is_arg and tok.value == "where":
            in_where = True
        elif not tok.is_arg and tok.value in _PRINT_WORDS:
            words.add(tok.value)
        else:
            raise end_of_command(tok.col)
    return PrintArgs(frozenset(words), conditions)


def select(rows: list[dict[str, str]], conditions: list[Token]) -> list[tuple[int, dict[str, str]]]:
    """``rows`` (numbered) that match a ``where`` condition, with the items' query language."""
    names = sorted({k for row in rows for k in row})
    table = Table(Menu(("",), Kind.LIST, tuple(Prop(n) for n in names)))
    test = query.matcher(conditions)
    return [(n, row) for n, row in enumerate(rows)
            if test(table, Item(n, dict(row)))]


def _stamp(engine_now: dt.datetime, when: dt.datetime) -> str:
    """RouterOS 7 shows only the time for today's entries."""
    if when.date() == engine_now.date():
        return when.strftime("%H:%M:%S")
    return when.strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------- /log


def log_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    """``/log print``: ``TIME TOPICS MESSAGE`` lines; ``detail``/``terse`` as key=value."""
    asked = print_args(args)
    engine = interp.engine
    now = engine.local_time()
    rows = [{"time": _stamp(now, engine.local_time(entry.stamp)), "topics": entry.topics,
             "message": entry.message} for entry in engine.log]
    chosen = select(rows, asked.conditions)
    if "count-only" in asked.words:
        return f"{len(chosen)}\n"
    if "detail" in asked.words or "terse" in asked.words:
        gap = "" if "terse" in asked.words else "\n"
        return "".join(f" time={r['time']} topics={r['topics']} message={_dq(r['message'])}\n{gap}"
                       for _, r in chosen)
    return "".join(f" {r['time']} {r['topics']} {r['message']}\n" for _, r in chosen)


def _dq(value: str) -> str:
    text = quote(value)
    return text if text.startswith('"') else f'"{text}"'


def log_write(topic: str) -> Handler:
    """``/log info "text"``: a log entry from a script, as ``:log info`` writes it."""
    def run(interp: Interpreter, args: list[Token], ctx: Context) -> str:
        message = next((t.value for t in args if not t.is_arg or t.name == "message"), None)
        if message is None:
            raise RosError("missing value(s) of argument(s) message")
        if not ctx.dry_run:
            interp.engine.log_event(f"script,{topic}", message)
        return ""
    return run


# ---------------------------------------------------------------------------- /user active


def user_active_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    asked = print_args(args)
    engine = interp.engine
    now = engine.local_time()
    rows = [{"when": _stamp(now, engine.local_time(s.since)), "name": s.user,
             "address": s.address, "via": s.via} for s in engine.active_users()]
    chosen = select(rows, asked.conditions)
    if "count-only" in asked.words:
        return f"{len(chosen)}\n"
    if "detail" in asked.words or "terse" in asked.words:
        return "".join(f"{n:>2}    " + " ".join(f"{k}={quote(v)}" for k, v in r.items()) + "\n"
                       for n, r in chosen)
    table = [[str(n), r["when"], r["name"], r["address"], r["via"]] for n, r in chosen]
    return grid(["#", "WHEN", "NAME", "ADDRESS", "VIA"], table, [None] * len(table),
                "R - RADIUS, M - BY-ROMON")


# ---------------------------------------------------------------------------- /interface


def _owner(interp: Interpreter, name: str) -> tuple[Table, Item] | None:
    for table in interp.config.tables.values():
        if table.menu.interface and (item := table.by_name(name)) is not None:
            return table, item
    return None


def interface_command(verb: str) -> Handler:
    """``/interface set|comment|get ether1 ...``: the command of the interface's own menu."""
    def run(interp: Interpreter, args: list[Token], ctx: Context) -> str:
        target = next((t for t in args if not t.is_arg or t.name in ("numbers", "number")),
                      None)
        if target is None:
            raise RosError("missing value(s) of argument(s) numbers")
        value = target.value
        if target.is_block:
            body = target.raw.strip("[]").split()
            value = next((w.split("=", 1)[1] for w in body if w.startswith("name=")), "")
        found = _owner(interp, value.strip('"'))
        if found is None:
            raise RosError("no such item")
        table, _ = found
        rest = [t for t in args if t is not target]
        named = Token(value, target.col, None, value)
        handler = getattr(interp, "cmd_" + verb)
        result: str = handler(table, [named, *rest], ctx)
        return result
    return run


HANDLERS: dict[tuple[tuple[str, ...], str], Handler] = {
    (("log",), "print"): log_print,
    (("log",), "info"): log_write("info"),
    (("log",), "warning"): log_write("warning"),
    (("log",), "error"): log_write("error"),
    (("log",), "debug"): log_write("debug"),
    (("user", "active"), "print"): user_active_print,
    (("interface",), "set"): interface_command("set"),
    (("interface",), "comment"): interface_command("comment"),
    (("interface",), "get"): interface_command("get"),
}
