"""The RouterOS API (TCP 8728): sentences in, sentences out, on the same router state.

A client (librouteros, Ansible's ``community.routeros.api*`` modules) sends a command word
(``/ip/address/print``) with ``=name=value`` attributes, ``.tag``/``.proplist`` API
attributes and ``?`` query words, and reads ``!re`` rows, then ``!done`` (``=ret=*5`` after
an ``add``) or ``!trap =message=...``. Changes go through the console interpreter, so the
API refuses exactly what the console refuses, with the same words; listings are built from
the same tables, with the API's spellings (``true``/``false`` for yes/no, ``.id`` on every
row). Logging in is the post-6.43 way: ``/login =name= =password=``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros.engine.errors import RosError
from pydriver.platforms.mikrotik_routeros.engine.interp import Context
from pydriver.platforms.mikrotik_routeros.engine.store import Item, Table
from pydriver.platforms.mikrotik_routeros.schema import Kind, Type, quote

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

Sentence = list[str]
Row = dict[str, str]
_FLAGS = ("disabled", "dynamic", "invalid")
_PRINT = ("print", "getall")
_CHANGES = frozenset({"add", "set", "remove", "enable", "disable", "move", "unset", "reset",
                      "comment"})


@dataclass
class ApiSession:
    """One API connection: logged in or not, and the checks its commands pass."""

    engine: RouterOSEngine
    check_login: Callable[[str, str], bool]
    user: str = ""
    closed: bool = False

    def handle(self, sentence: Sentence) -> list[Sentence]:
        """The reply sentences to one request sentence."""
        if not sentence:
            return []
        command, words = sentence[0], sentence[1:]
        attrs = {w[1:].split("=", 1)[0]: w[1:].split("=", 1)[1] for w in words
                 if w.startswith("=") and "=" in w[1:]}
        api = {w.split("=", 1)[0]: w.split("=", 1)[1] for w in words
               if w.startswith(".") and "=" in w}
        queries = [w for w in words if w.startswith("?")]
        tag = [f".tag={api['.tag']}"] if ".tag" in api else []
        try:
            replies = self._run(command, attrs, api, queries)
        except RosError as exc:
            return [["!trap", f"=message={exc.message}", *tag], ["!done", *tag]]
        return [[*reply, *tag] for reply in replies]

    def _run(self, command: str, attrs: dict[str, str], api: dict[str, str],
             queries: list[str]) -> list[Sentence]:
        if command == "/login":
            if self.check_login(attrs.get("name", ""), attrs.get("password", "")):
                self.user = attrs.get("name", "")
                return [["!done"]]
            raise RosError("invalid user name or password (6)")
        if command == "/quit":
            self.closed = True
            return [["!fatal", "session terminated on request"]]
        if not self.user:
            raise RosError("not logged in")
        if command == "/cancel":
            return [["!done"]]
        parts = [p for p in command.split("/") if p]
        if not parts:
            raise RosError("no such command prefix")
        path, verb = tuple(parts[:-1]), parts[-1]
        if verb in _PRINT:
            rows = self.rows(path)
            keep = api.get(".proplist", attrs.get(".proplist", ""))
            chosen = [r for r in rows if matches(r, queries)]
            if keep:
                wanted = keep.split(",")
                chosen = [{k: r[k] for k in wanted if k in r} for r in chosen]
            return [["!re", *(f"={k}={v}" for k, v in r.items())] for r in chosen] + [["!done"]]
        return self._change(path, verb, attrs)

    def _change(self, path: tuple[str, ...], verb: str, attrs: dict[str, str]) -> list[Sentence]:
        interp = self.engine.interp
        table = self.engine.config.find(path)
        words = ["/" + " ".join(path), verb]
        target = attrs.pop(".id", None) or attrs.pop("numbers", None)
        if target is not None:
            words.append(quote(target))
        if verb == "move" and "destination" in attrs:
            words.append(quote(attrs.pop("destination")))
        words.extend(f"{k}={quote(v)}" for k, v in attrs.items())
        before = {i.id for i in table.items} if table is not None else set()
        out = interp.run(" ".join(words), Context(user=self.user)).strip()
        if out and verb in _CHANGES:
            raise RosError(out.split(" (line ")[0])
        if out:
            return [["!done", f"=ret={out}"]]
        if verb == "add" and table is not None:
            new = [i for i in table.items if i.id not in before]
            if new:
                return [["!done", f"=ret={new[-1].ref}"]]
        return [["!done"]]

    def rows(self, path: tuple[str, ...]) -> list[Row]:
        """Every row of the listing at ``path``, as the API prints it."""
        from pydriver.platforms.mikrotik_routeros.engine import status

        if path == ("interface",):
            return [{".id": f"*{n + 1:X}", **_api_values(r)}
                    for n, r in enumerate(status.interface_rows(self.engine.interp))]
        if path == ("ip", "route"):
            return [{".id": f"*{n + 1:X}", **_api_values(r)}
                    for n, r in enumerate(status.route_rows(self.engine.interp))]
        if path == ("system", "resource"):
            return [status.resource_values(self.engine.interp)]
        table = self.engine.config.find(path)
        if table is None:
            if self.engine.tree.commands(path):
                return []
            raise RosError("no such command prefix")
        return [api_row(table, item) for item in table.items]


def api_row(table: Table, item: Item) -> Row:
    """One item as the API prints it: ``.id``, every set or default value, flags."""
    menu = table.menu
    row: Row = {} if menu.kind is Kind.SINGLETON else {".id": item.ref}
    for prop in menu.props:
        if prop.sensitive and prop.name != "disabled":
            continue
        value = table.value(item, prop.name)
        if value is None:
            continue
        row[prop.name] = _bool(value) if prop.type is Type.BOOL else value
    if menu.kind is not Kind.SINGLETON:
        for flag in _FLAGS:
            if flag == "disabled" and not menu.disable:
                continue
            row.setdefault(flag, "true" if flag == "disabled" and table.disabled(item)
                           else "false")
        if item.builtin is not None and menu.kind is Kind.LIST:
            row["default"] = "true"
    return row


def _bool(value: str) -> str:
    return {"yes": "true", "no": "false"}.get(value, value)


def _api_values(row: Row) -> Row:
    return {k: _bool(v) for k, v in row.items() if k not in ("#", "flags")}


def matches(row: Row, queries: list[str]) -> bool:
    """Evaluate API query words (a stack machine: ``?=a=b``, ``?-a``, ``?#|``...)."""
    stack: list[bool] = []
    for word in queries:
        body = word[1:]
        if body.startswith("#"):
            for op in body[1:]:
                if op == "!" and stack:
                    stack.append(not stack.pop())
                elif op in "|&" and len(stack) >= 2:
                    right, left = stack.pop(), stack.pop()
                    stack.append(left or right if op == "|" else left and right)
                elif op.isdigit():
                    stack.append(stack[int(op)] if int(op) < len(stack) else False)
            continue
        if body.startswith("-"):
            stack.append(body[1:] not in row)
        elif body.startswith(("<", ">")):
            key, _, value = body[1:].partition("=")
            stack.append(_compare(row.get(key), value, body[0]))
        elif body.startswith("="):
            key, _, value = body[1:].partition("=")
            stack.append(_equal(row.get(key), value))
        elif "=" in body:
            key, _, value = body.partition("=")
            stack.append(_equal(row.get(key), value))
        else:
            stack.append(body in row)
    return all(stack)


def _equal(have: str | None, want: str) -> bool:
    if have is None:
        return want == ""
    return have == want or _bool(have) == _bool(want)


def _compare(have: str | None, want: str, op: str) -> bool:
    if have is None:
        return False
    try:
        a, b = float(have), float(want)
    except ValueError:
        return have < want if op == "<" else have > want
    return a < b if op == "<" else a > b
