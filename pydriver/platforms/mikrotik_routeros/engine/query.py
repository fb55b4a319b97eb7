"""Which items a command means: numbers, ``*id``s, names and ``where``/``[find ...]`` filters.

pydriver addresses RouterOS items by what they are (``set [find comment="pydriver:x"]``),
never by number, so the filter language must be right: ``and``/``or``/``!``, ``=``, ``!=``,
``~`` (regular expression) and the item flags ``default``, ``dynamic``, ``disabled``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydriver.platforms.mikrotik_routeros.engine.errors import NO_SUCH_ITEM, RosError, syntax
from pydriver.platforms.mikrotik_routeros.engine.lexer import Token
from pydriver.platforms.mikrotik_routeros.engine.store import Item, Table
from pydriver.platforms.mikrotik_routeros.schema import Kind, ValueRejected, canonical

_ID = re.compile(r"^\*[0-9A-Fa-f]+$")
_FLAGS = ("default", "dynamic", "disabled", "invalid", "builtin")

Test = Callable[[Table, Item], bool]


def flag(table: Table, item: Item, name: str) -> bool:
    if name in ("default", "builtin"):
        return item.builtin is not None and table.menu.kind is Kind.LIST
    if name == "disabled":
        return table.disabled(item)
    return False


def field(table: Table, item: Item, name: str) -> str:
    if name == ".id":
        return item.ref
    if name in _FLAGS and table.menu.prop(name) is None:
        return "yes" if flag(table, item, name) else "no"
    return table.value(item, name) or ""


def _same(table: Table, name: str, stored: str, given: str) -> bool:
    if stored == given:
        return True
    prop = table.menu.prop(name)
    if prop is None:
        return False
    try:
        return canonical(prop, given) == stored
    except ValueRejected:
        return False


@dataclass(slots=True)
class _Parser:
    toks: list[Token]
    pos: int = 0

    def peek(self) -> Token | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> Token:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def expr(self) -> Test:
        left = self.conj()
        while (tok := self.peek()) is not None and not tok.is_arg and tok.raw == "or":
            self.take()
            left = _either(left, self.conj())
        return left

    def conj(self) -> Test:
        left = self.term()
        while True:
            tok = self.peek()
            if tok is None or (tok.is_arg is False and tok.raw == "or"):
                return left
            if not tok.is_arg and tok.raw == "and":
                self.take()
            left = _both(left, self.term())

    def term(self) -> Test:
        tok = self.take()
        if tok.is_arg:
            assert tok.name is not None
            name, value = tok.name, tok.value
            if name.endswith("!"):
                key = name[:-1]
                return lambda t, i: not _same(t, key, field(t, i, key), value)
            return lambda t, i: _same(t, name, field(t, i, name), value)
        raw = tok.raw
        if raw.startswith("("):
            inner = _Parser(_retokenize(raw[1:-1], tok.col + 1))
            return inner.expr()
        if raw.startswith("!") and len(raw) > 1:
            key = raw[1:]
            return lambda t, i: field(t, i, key) != "yes"
        if "~" in tok.value:
            key, pattern = tok.value.split("~", 1)
            try:
                regex = re.compile(pattern)
            except re.error:
                raise syntax(tok.col) from None
            return lambda t, i: regex.search(field(t, i, key)) is not None
        nxt = self.peek()
        if nxt is not None and not nxt.is_arg and nxt.raw == "in":
            self.take()
            container = self.take().value
            return lambda t, i: _within(field(t, i, raw), container)
        key = tok.value
        return lambda t, i: field(t, i, key) == "yes"


def _either(a: Test, b: Test) -> Test:
    return lambda t, i: a(t, i) or b(t, i)


def _both(a: Test, b: Test) -> Test:
    return lambda t, i: a(t, i) and b(t, i)


def _retokenize(text: str, col: int) -> list[Token]:
    from pydriver.platforms.mikrotik_routeros.engine.lexer import tokens

    return tokens(text, col - 1)


def _within(value: str, container: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_network(value, strict=False).subnet_of(
            ipaddress.ip_network(container, strict=False)  # type: ignore[arg-type]
        )
    except (ValueError, TypeError):
        return False


def matcher(conditions: list[Token]) -> Test:
    """A predicate from ``where``/``find`` conditions (all items when there are none)."""
    toks = [t for t in conditions if not (not t.is_arg and t.raw == "where")]
    if not toks:
        return lambda t, i: True
    parser = _Parser(toks)
    try:
        test = parser.expr()
    except IndexError:
        raise syntax(toks[-1].col + len(toks[-1].raw)) from None
    if parser.pos != len(toks):
        raise syntax(toks[parser.pos].col)
    return test


def select(table: Table, conditions: list[Token]) -> list[Item]:
    test = matcher(conditions)
    return [item for item in table.items if test(table, item)]


def by_designator(table: Table, text: str) -> list[Item]:
    """Items named by ``0,2``, ``*1A``, or a name; raises ``no such item``."""
    found: list[Item] = []
    for part in text.split(","):
        part = part.strip()
        item: Item | None = None
        if _ID.match(part):
            item = table.by_id(int(part[1:], 16))
        elif part.isdigit():
            index = int(part)
            item = table.items[index] if index < len(table.items) else None
        else:
            item = table.by_name(part)
        if item is None:
            raise RosError(NO_SUCH_ITEM)
        found.append(item)
    return found


def ids(items: list[Item]) -> str:
    return ";".join(i.ref for i in items)


def from_ids(table: Table, text: str) -> list[Item]:
    """Items from a ``*1;*2`` list (the value of a ``[find]``), skipping ones gone since."""
    out = []
    for part in text.split(";"):
        if _ID.match(part):
            item = table.by_id(int(part[1:], 16))
            if item is not None:
                out.append(item)
    return out
