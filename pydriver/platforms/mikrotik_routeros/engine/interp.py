"""The RouterOS console language: path resolution, menu commands, scripts and ``/import``.

One interpreter serves interactive sessions, ``/import`` files, ``/system script run`` and
scheduler jobs, because RouterOS runs them all through the same console: a script is only
lines a user could have typed. Reading a command (path, verb, argument names and value
types) is kept apart from running it (references, uniqueness, changes), which is exactly
the line ``/import dry-run`` draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros import catalog, generic
from pydriver.platforms.mikrotik_routeros.engine import query, rules, status
from pydriver.platforms.mikrotik_routeros.engine.errors import (
    NO_SUCH_ITEM,
    RosError,
    bad_command,
    end_of_command,
    syntax,
)
from pydriver.platforms.mikrotik_routeros.engine.lexer import (
    Token,
    block_body,
    join_continuations,
    statements,
    tokens,
)
from pydriver.platforms.mikrotik_routeros.engine.render import ExportOptions, export, print_items
from pydriver.platforms.mikrotik_routeros.engine.store import Item, Table
from pydriver.platforms.mikrotik_routeros.schema import (
    Kind,
    Menu,
    ValueRejected,
    canonical,
    parse_duration,
    quote,
)

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

_MAX_DEPTH = 8  # scripts importing scripts: RouterOS has a limit too


@dataclass(slots=True)
class Question:
    """A yes/no question waiting for the next input line (``/system reboot``)."""

    prompt: str
    answer: Callable[[str], str]


@dataclass(slots=True)
class Context:
    """Where a console or script is: its menu, its user and what it may do."""

    path: tuple[str, ...] = ()
    user: str = "admin"
    interactive: bool = False
    dry_run: bool = False
    adapt: bool = False  # a twin booted from a backup: missing hardware items are created
    value: bool = False  # inside ``[...]``: a command's value is wanted (``print as-value``)
    depth: int = 0
    line: int = 1
    closed: bool = False
    question: Question | None = None
    output: list[str] = field(default_factory=list)


class ScriptFailed(Exception):
    """A script stopped at ``line``: carries the error and the output printed before it."""

    def __init__(self, error: RosError, line: int, column: int, output: str) -> None:
        super().__init__(error.message)
        self.error = error
        self.line = line
        self.column = column
        self.output = output


@dataclass(frozen=True, slots=True)
class _Parsed:
    props: dict[str, str]
    given: set[str]
    specials: dict[str, Token]
    target: Token | None  # the positional item designator of set/remove/...
    extra: list[Token]  # other positional words (print's terse/detail, flags)
    unset: set[str]  # properties written ``!name``: back to "not set" (exports write them)
    bare: set[str]  # flags written as a bare word (``passive``), exported the same way


class Interpreter:
    """Runs console lines against one router."""

    def __init__(self, engine: RouterOSEngine) -> None:
        self.engine = engine
        self.config = engine.config
        self.tree = engine.tree

    # ------------------------------------------------------------------ entry points

    def run(self, line: str, ctx: Context) -> str:
        """One console line (possibly several ``;``-separated statements)."""
        out: list[str] = []
        try:
            for text, offset in statements(line):
                out.append(self.statement(text, offset, ctx))
        except RosError as exc:
            out.append(exc.console(ctx.line) + "\n")
        return "".join(out)

    def run_script(self, source: str, ctx: Context) -> str:
        """Run ``source`` line by line; raises :class:`ScriptFailed` at the first error."""
        if ctx.depth >= _MAX_DEPTH:
            raise ScriptFailed(RosError("failure: too deep"), 1, 1, "")
        out: list[str] = []
        for number, line in join_continuations(source):
            ctx.line = number
            column = 1
            try:
                for text, offset in statements(line):
                    column = offset + len(text) - len(text.lstrip()) + 1
                    out.append(self.statement(text, offset, ctx))
            except RosError as exc:
                raise ScriptFailed(exc, number, column, "".join(out)) from None
            except ScriptFailed as inner:
                output = "".join(out) + inner.output
                raise ScriptFailed(inner.error, number, column, output) from None
        return "".join(out)

    # ------------------------------------------------------------------ one statement

    def statement(self, text: str, offset: int, ctx: Context) -> str:
        toks = tokens(text, offset)
        if not toks:
            return ""
        if toks[0].raw.startswith(":"):
            return self.global_command(toks, ctx)
        if toks[0].raw.startswith("{") and len(toks) == 1:  # a block: its lines, in a scope
            inner = Context(path=ctx.path, user=ctx.user, dry_run=ctx.dry_run,
                            adapt=ctx.adapt, depth=ctx.depth + 1)
            try:
                return self.run_script(block_body(toks[0]), inner)
            except ScriptFailed as failed:
                raise failed.error from None
        node, verb, rest = self.resolve(toks, ctx.path)
        if verb is None:
            if rest:
                raise end_of_command(rest[0].col)
            ctx.path = node
            return ""
        return self.dispatch(node, verb, rest, ctx)

    def resolve(self, toks: list[Token], start: tuple[str, ...]
                ) -> tuple[tuple[str, ...], str | None, list[Token]]:
        """(menu path, command, arguments) of a statement typed at ``start``."""
        node = start
        words = _expand_slashes(toks)
        if words and words[0][0] == "/":
            node = ()
            words = words[1:]
        for index, (word, tok) in enumerate(words):
            if tok.is_arg or tok.is_block or tok.raw.startswith('"'):
                return node, None, [t for _, t in words[index:]]
            if word == "..":
                node = node[:-1]
                continue
            if word == "/":
                node = ()
                continue
            hit = self.tree.lookup(node, word)
            if hit is None:
                raise bad_command(word, tok.col)
            kind, full = hit
            if kind == "menu":
                node = (*node, full)
                continue
            rest = [t for _, t in words[index + 1 :]]
            return node, full, rest
        return node, None, []

    def dispatch(self, node: tuple[str, ...], verb: str, args: list[Token], ctx: Context) -> str:
        if verb == "quit":
            ctx.closed = True
            return ""
        if verb == "export":
            return self.cmd_export(node, args, ctx)
        special = status.handler(node, verb)
        if special is not None:
            return special(self, args, ctx)
        table = self.config.find(node)
        handler: Callable[[Table, list[Token], Context], str] | None = getattr(
            self, "cmd_" + verb.replace("-", "_"), None)
        if table is None or handler is None or verb not in self.tree.commands(node):
            return self.action(node, verb, args, ctx)
        return handler(table, args, ctx)

    def action(self, node: tuple[str, ...], verb: str, args: list[Token], ctx: Context) -> str:
        """A command the router has but the emulator does not act out (``/tool fetch``,
        ``/system backup save``, a status ``print``): its argument names are checked, as
        RouterOS checks them, and it does nothing."""
        known = catalog.node(node)
        allowed = known.args.get(verb) if known is not None else None
        if allowed is None:
            if verb in ("print", "export", "find", "get", "monitor", "monitor-traffic"):
                return ""
            raise bad_command(verb, args[0].col if args else 1)
        if verb in ("print", "find", "get", "export"):
            return ""
        for tok in args:
            if tok.is_arg and tok.name is not None and tok.name not in allowed and allowed:
                raise end_of_command(tok.col)
        return ""

    # ------------------------------------------------------------------ arguments

    def parse(self, table: Table, args: list[Token], ctx: Context, *,
              specials: tuple[str, ...] = (), words: tuple[str, ...] = (),
              positional: int = 0) -> _Parsed:
        """Read argument tokens against the menu's properties (no state is consulted)."""
        menu = table.menu
        props: dict[str, str] = {}
        special: dict[str, Token] = {}
        target: Token | None = None
        extra: list[Token] = []
        unset: set[str] = set()
        bare_flags: set[str] = set()
        dotted = ""
        for tok in args:
            if not tok.is_arg:
                if tok.is_block or (positional and target is None):
                    if target is None and positional:
                        target = tok
                        continue
                    raise end_of_command(tok.col)
                if tok.value in words:
                    extra.append(tok)
                    continue
                bare = tok.value
                if bare.startswith("!") and tok.raw.startswith("!"):
                    gone = menu.prop(bare[1:])
                    if gone is not None and not gone.read_only:
                        unset.add(gone.name)
                        continue
                prop = menu.prop(bare)
                if prop is not None and (prop.flag or _generic_flag(menu, prop)):
                    props[prop.name] = "yes"
                    bare_flags.add(prop.name)
                    continue
                raise end_of_command(tok.col)
            assert tok.name is not None
            name = tok.name
            if name.startswith(".") and dotted:
                name = dotted + name
            if "." in name:
                dotted = name.split(".", 1)[0]
            if name in specials:
                special[name] = tok
                continue
            prop = menu.prop(name)
            if prop is None or prop.read_only:
                raise end_of_command(tok.col)
            value = tok.value
            if value.startswith("[") and tok.raw.split("=", 1)[1].startswith("["):
                value = self.evaluate(Token(value, tok.col + len(name) + 1), table.menu.path, ctx)
            try:
                props[name] = canonical(prop, value, name)
            except ValueRejected as exc:
                raise RosError(str(exc)) from None
        return _Parsed(props, set(props), special, target, extra, unset, bare_flags)

    def items(self, table: Table, tok: Token | None, ctx: Context) -> list[Item]:
        if tok is None:
            raise RosError("missing value(s) of argument(s) numbers")
        if tok.is_block:
            found = self.find(tok, table.menu.path, ctx)[1]
            if not found and ctx.adapt:
                return self.adapt(table, tok)
            return found
        try:
            return query.by_designator(table, tok.value)
        except RosError:
            if ctx.adapt:
                return self.adapt(table, tok)
            raise

    def adapt_ports(self, menu: Menu, props: dict[str, str]) -> None:
        """Ports a backup uses without ever setting them (``interface=ether27`` on a switch
        whose port 27 kept its defaults) exist on its router: the twin gets them too."""
        known = set(self.config.interface_names())
        for name, value in props.items():
            prop = menu.prop(name)
            if prop is None or prop.ref != ("interface",):
                continue
            for word in value.split(","):
                word = word.lstrip("!")
                where = _port_menu(word)
                if word in known or where is None:
                    continue
                table = self.config.table(where)
                item = table.new_item({}, builtin=word)
                item.designator = f"[ find default-name={word} ]"
                table.items.append(item)
                known.add(word)
                self._changed()

    def adapt(self, table: Table, tok: Token) -> list[Item]:
        """A twin booted from a backup has the backup's hardware: a built-in item the
        backup names (``set [ find default-name=wlan1 ]``, ``/port set 0``, ``/disk set
        slot1``) that this twin lacks is created, as the port would exist on that router."""
        menu = table.menu
        if tok.is_block:
            words = [t for t in tokens(block_body(tok), tok.col) if t.raw not in ("find", "where")]
            if len(words) != 1 or not words[0].is_arg or words[0].name not in (
                    "default-name", "name"):
                return []
            key, value = words[0].name, words[0].value
            if key == "default" and value == "yes" and menu.kind is Kind.LIST:
                item = table.new_item({}, builtin="default")
                item.designator = "[ find default=yes ]"
                table.items.insert(0, item)
                self._changed()
                return [item]
            if menu.builtin_key not in (key, "name"):
                return []
            designator = f"[ find {key}={quote(value)} ]"
        else:
            value = tok.value
            if "," in value or value.startswith("*"):
                raise RosError(NO_SUCH_ITEM)
            designator = value
        template = generic.ON_BACKUP.get(menu.path)
        if template is not None and value == "0" and not any(i.builtin for i in table.items):
            item = table.new_item({}, builtin=template.name)
            item.designator = "0"
            table.items.insert(0, item)
            self._changed()
            return [item]
        if menu.path in _MODELLED and menu.kind is Kind.LIST and menu.builtin_key == "name":
            raise RosError(NO_SUCH_ITEM)
        created: list[Item] = []
        if value.isdigit():
            while len(table.items) <= int(value):
                item = table.new_item({}, builtin=str(len(table.items)))
                item.designator = item.builtin
                table.items.append(item)
                created.append(item)
            self._changed()
            return [table.items[int(value)]]
        item = table.new_item({}, builtin=value)
        item.designator = designator
        table.items.append(item)
        self._changed()
        return [item]

    def find(self, tok: Token, path: tuple[str, ...], ctx: Context) -> tuple[Table, list[Item]]:
        body = tokens(block_body(tok), tok.col)
        node, verb, rest = self.resolve(body, path)
        if verb != "find":
            raise syntax(tok.col)
        table = self.config.find(node)
        if table is None:
            raise bad_command("find", tok.col)
        return table, query.select(table, rest)

    def evaluate(self, tok: Token, path: tuple[str, ...], ctx: Context) -> str:
        """The value of ``[...]``: a ``find`` gives item ids, a ``get`` gives a value."""
        body = tokens(block_body(tok), tok.col)
        if body and body[0].raw.startswith(":"):
            return self.global_value(body, ctx)
        node, verb, rest = self.resolve(body, path)
        table = self.config.find(node)
        if verb == "find" and table is not None:
            return query.ids(query.select(table, rest))
        if verb == "get" and table is not None:
            return self._get(table, rest, ctx)
        if verb is None:
            raise syntax(tok.col)
        return self.dispatch(node, verb, rest, Context(path=node, user=ctx.user, depth=ctx.depth,
                                                       value=True)).rstrip("\n")

    # ------------------------------------------------------------------ list commands

    def _changed(self) -> None:
        self.config.touch()

    def cmd_add(self, table: Table, args: list[Token], ctx: Context) -> str:
        menu = table.menu
        if menu.kind is not Kind.LIST:
            raise bad_command("add", args[0].col if args else 1)
        parsed = self.parse(table, args, ctx, specials=("place-before", "copy-from"))
        if ctx.dry_run:
            return ""
        props = dict(parsed.props)
        if "copy-from" in parsed.specials:
            source = self.items(table, _as_target(parsed.specials["copy-from"]), ctx)[0]
            props = {**source.props, **props}
        for name in parsed.unset:
            props.pop(name, None)
        if ctx.adapt:
            self.adapt_ports(menu, props)
        rules.auto_name(table, props)
        self.engine.complete(table, props, ctx)
        rules.derive(table, props, parsed.given)
        rules.check_required(menu, props)
        rules.check_refs(self.config, menu, props)
        rules.check_interface_name(self.config, table, props, None)
        rules.check_unique(table, props, None, None)
        before = None
        if "place-before" in parsed.specials:
            before = self.items(table, _as_target(parsed.specials["place-before"]), ctx)[0]
        item = table.new_item(props)
        item.bare = parsed.bare & set(props)
        table.insert(item, before)
        self._changed()
        self.engine.item_changed(table, item)
        return ""

    def cmd_set(self, table: Table, args: list[Token], ctx: Context) -> str:
        menu = table.menu
        single = menu.kind is Kind.SINGLETON
        parsed = self.parse(table, args, ctx, positional=0 if single else 1)
        if ctx.dry_run:
            return ""
        targets = [table.items[0]] if single else self.items(table, parsed.target, ctx)
        if ctx.adapt:
            self.adapt_ports(menu, parsed.props)
        for item in targets:
            self.update(table, item, parsed.props, parsed.given)
            item.bare = (item.bare - set(parsed.props)) | parsed.bare
            if parsed.unset and any(n in item.props for n in parsed.unset):
                for name in parsed.unset:
                    item.props.pop(name, None)
                self._changed()
        return ""

    def update(self, table: Table, item: Item, changes: dict[str, str], given: set[str]) -> None:
        """Apply ``changes`` to ``item`` with every check ``set`` makes."""
        if not changes:
            return
        menu = table.menu
        merged = {**item.props, **changes}
        rules.derive(table, merged, given)
        rules.check_refs(self.config, menu, changes)
        if "name" in changes:
            rules.check_interface_name(self.config, table, changes, item)
        rules.check_unique(table, merged, item.builtin, item)
        old_name = table.name_of(item)
        item.props = merged
        new_name = table.name_of(item)
        if old_name and new_name and old_name != new_name:
            rules.rename(self.config, table, old_name, new_name)
        self._changed()
        self.engine.item_changed(table, item)

    def cmd_unset(self, table: Table, args: list[Token], ctx: Context) -> str:
        single = table.menu.kind is Kind.SINGLETON
        names: list[Token] = []
        target: Token | None = None
        for tok in args:
            if tok.is_arg and tok.name == "value-name":
                names.append(Token(tok.value, tok.col, None, tok.value))
            elif not single and target is None:
                target = tok
            else:
                names.append(tok)
        for tok in names:
            prop = table.menu.prop(tok.value)
            if prop is None:
                raise end_of_command(tok.col)
        if ctx.dry_run:
            return ""
        targets = [table.items[0]] if single else self.items(table, target, ctx)
        for item in targets:
            for tok in names:
                item.props.pop(tok.value, None)
            self._changed()
            self.engine.item_changed(table, item)
        return ""

    cmd_reset = cmd_unset

    def cmd_remove(self, table: Table, args: list[Token], ctx: Context) -> str:
        if not args:
            raise RosError("missing value(s) of argument(s) numbers")
        for tok in args[1:]:
            raise end_of_command(tok.col)
        if ctx.dry_run:
            return ""
        targets = self.items(table, args[0], ctx)
        for item in targets:
            if item.builtin is not None:
                raise RosError("failure: default item can not be removed")
        for item in targets:
            if item in table.items:
                table.items.remove(item)
                self._changed()
                self.engine.item_removed(table, item)
        return ""

    def _enable(self, table: Table, args: list[Token], ctx: Context, value: str) -> str:
        if not table.menu.disable:
            raise bad_command("disable" if value == "yes" else "enable", 1)
        if not args:
            raise RosError("missing value(s) of argument(s) numbers")
        for tok in args[1:]:
            raise end_of_command(tok.col)
        if ctx.dry_run:
            return ""
        for item in self.items(table, args[0], ctx):
            self.update(table, item, {"disabled": value}, {"disabled"})
        return ""

    def cmd_enable(self, table: Table, args: list[Token], ctx: Context) -> str:
        return self._enable(table, args, ctx, "no")

    def cmd_disable(self, table: Table, args: list[Token], ctx: Context) -> str:
        return self._enable(table, args, ctx, "yes")

    def cmd_comment(self, table: Table, args: list[Token], ctx: Context) -> str:
        parsed = self.parse(table, args, ctx, positional=1)
        if ctx.dry_run:
            return ""
        for item in self.items(table, parsed.target, ctx):
            self.update(table, item, {"comment": parsed.props.get("comment", "")}, {"comment"})
        return ""

    def cmd_move(self, table: Table, args: list[Token], ctx: Context) -> str:
        positional = [t for t in args if not t.is_arg]
        named = {t.name: t for t in args if t.is_arg}
        for name, tok in named.items():
            if name not in ("numbers", "destination"):
                raise end_of_command(tok.col)
        source = named.get("numbers") or (positional[0] if positional else None)
        dest = named.get("destination") or (positional[1] if len(positional) > 1 else None)
        if ctx.dry_run:
            return ""
        moving = self.items(table, _as_target(source) if source else None, ctx)
        before = self.items(table, _as_target(dest), ctx)[0] if dest is not None else None
        for item in moving:
            if item is before:
                continue
            table.items.remove(item)
            table.insert(item, before)
        self._changed()
        return ""

    def cmd_edit(self, table: Table, args: list[Token], ctx: Context) -> str:
        raise RosError("failure: edit is not available on this terminal")

    def cmd_find(self, table: Table, args: list[Token], ctx: Context) -> str:
        query.select(table, args)  # checks the expression; the console prints nothing
        return ""

    def cmd_get(self, table: Table, args: list[Token], ctx: Context) -> str:
        return self._get(table, args, ctx) + "\n"

    def _get(self, table: Table, args: list[Token], ctx: Context) -> str:
        single = table.menu.kind is Kind.SINGLETON
        words = [t for t in args if not t.is_arg]
        if single:
            item, rest = table.items[0], words
        else:
            if not words:
                raise RosError("missing value(s) of argument(s) number")
            item, rest = self.items(table, words[0], ctx)[0], words[1:]
        if not rest:
            raise RosError("missing value(s) of argument(s) value-name")
        name = rest[0].value
        if table.menu.prop(name) is None and name not in (".id", "disabled"):
            raise RosError("input does not match any value of value-name")
        return query.field(table, item, name)

    def cmd_print(self, table: Table, args: list[Token], ctx: Context) -> str:
        words = ("terse", "detail", "brief", "without-paging", "count-only", "as-value",
                 "show-sensitive", "value-list", "where", "follow", "interval")
        mode = ""
        sensitive = False
        count_only = False
        conditions: list[Token] = []
        in_where = False
        for tok in args:
            if in_where:
                conditions.append(tok)
                continue
            if tok.is_arg and tok.name in ("proplist", "from", "interval", "file"):
                continue
            if tok.is_arg or tok.value not in words:
                if tok.is_arg:
                    raise end_of_command(tok.col)
                raise end_of_command(tok.col)
            if tok.value == "where":
                in_where = True
            elif tok.value in ("terse", "detail"):
                mode = tok.value
            elif tok.value == "show-sensitive":
                sensitive = True
            elif tok.value == "count-only":
                count_only = True
            elif tok.value == "as-value":
                mode = "as-value"
        chosen = [(i, item) for i, item in enumerate(table.items)
                  if query.matcher(conditions)(table, item)]
        if mode == "as-value":  # a value for a script; the console prints nothing
            if not ctx.value:
                return ""
            from pydriver.platforms.mikrotik_routeros.engine.api import api_row

            return ";".join(f"{k}={v}" for _, item in chosen
                            for k, v in api_row(table, item).items())
        if count_only:
            return f"{len(chosen)}\n"
        if table.menu.kind is Kind.SINGLETON:
            chosen = [(0, table.items[0])]
        return print_items(table, chosen, mode, sensitive)

    # ------------------------------------------------------------------ export / import

    def cmd_export(self, node: tuple[str, ...], args: list[Token], ctx: Context) -> str:
        flags = {"terse": False, "verbose": False, "compact": False, "show-sensitive": False,
                 "hide-sensitive": False}
        file_name: str | None = None
        for tok in args:
            if tok.is_arg and tok.name == "file":
                file_name = tok.value
            elif tok.is_arg and tok.name in ("where",):
                continue
            elif not tok.is_arg and tok.value in flags:
                flags[tok.value] = True
            else:
                raise end_of_command(tok.col)
        if ctx.dry_run:
            return ""
        opts = ExportOptions(flags["terse"], flags["verbose"], flags["show-sensitive"])
        text = export(self.config, node, opts, self.engine.export_header())
        if file_name is not None:
            name = file_name if file_name.endswith(".rsc") else file_name + ".rsc"
            self.engine.write_file(name, text)
            return ""
        return text

    def cmd_import(self, args: list[Token], ctx: Context) -> str:
        name: str | None = None
        verbose = dry_run = False
        for tok in args:
            if tok.is_arg and tok.name == "file-name":
                name = tok.value
            elif tok.is_arg and tok.name == "verbose":
                verbose = tok.value == "yes"
            elif tok.is_arg and tok.name == "dry-run":
                dry_run = tok.value in ("yes", "")
            elif not tok.is_arg and tok.value == "dry-run":
                dry_run = True
            elif not tok.is_arg and name is None:
                name = tok.value
            else:
                raise end_of_command(tok.col)
        if name is None:
            raise RosError("missing value(s) of argument(s) file-name")
        source = self.engine.read_file(name)
        if source is None:
            raise RosError("failure: no such file")
        run_ctx = Context(user=ctx.user, dry_run=dry_run or ctx.dry_run, depth=ctx.depth + 1)
        try:
            out = self.run_verbose(source, run_ctx) if verbose else self.run_script(source, run_ctx)
        except ScriptFailed as failed:
            return failed.output + failed.error.script(failed.line, failed.column) + "\n"
        if dry_run:
            return out + "\nScript file loaded successfully\n"
        return out + "\nScript file loaded and executed successfully\n"

    def run_verbose(self, source: str, ctx: Context) -> str:
        out: list[str] = []
        for number, line in join_continuations(source):
            if line.strip():
                out.append(f"#line {number}: {line}\n")
            try:
                out.append(self.run_script(line, Context(
                    path=ctx.path, user=ctx.user, dry_run=ctx.dry_run, depth=ctx.depth,
                    interactive=True)))
            except ScriptFailed as failed:
                raise ScriptFailed(failed.error, number, failed.column, "".join(out)) from None
        return "".join(out)

    # ------------------------------------------------------------------ ':' commands

    def global_command(self, toks: list[Token], ctx: Context) -> str:
        name = toks[0].raw
        args = toks[1:]
        if name == ":put":
            return self.global_value(toks, ctx) + "\n"
        if name == ":delay":
            if args:
                try:
                    parse_duration(args[0].value)
                except ValueRejected:
                    raise RosError("invalid value for argument delay-time") from None
            return ""  # the emulator never blocks its loop
        if name == ":log":
            if len(args) < 2:
                raise RosError("missing value(s) of argument(s) message")
            if not ctx.dry_run:
                self.engine.log_event(f"script,{args[0].value}", args[1].value)
            return ""
        if name in (":local", ":global", ":set"):
            return ""
        if name == ":do":
            return self._do(args, ctx)
        raise bad_command(name, toks[0].col)

    def global_value(self, toks: list[Token], ctx: Context) -> str:
        name = toks[0].raw
        if name == ":put":
            if len(toks) < 2:
                return ""
            tok = toks[1]
            if tok.is_block:
                return self.evaluate(tok, ctx.path, ctx)
            return tok.value
        if name == ":len" and len(toks) > 1:
            value = self.evaluate(toks[1], ctx.path, ctx) if toks[1].is_block else toks[1].value
            return str(len([v for v in value.split(";") if v]))
        raise bad_command(name, toks[0].col)

    def _do(self, args: list[Token], ctx: Context) -> str:
        if not args or not args[0].raw.startswith("{"):
            raise syntax(args[0].col if args else 1)
        body = block_body(args[0])
        handler = next((t for t in args[1:] if t.is_arg and t.name == "on-error"), None)
        inner = Context(path=ctx.path, user=ctx.user, dry_run=ctx.dry_run, depth=ctx.depth + 1)
        try:
            return self.run_script(body, inner)
        except ScriptFailed as failed:
            if handler is None:
                raise failed.error from None
            source = handler.raw.split("=", 1)[1]
            source = source[1:-1] if source.startswith("{") else handler.value
            return failed.output + self.run_script(source, inner)


_PORTS = (
    (re.compile(r"(ether|sfp|combo)\d+|sfp-sfpplus\d+|sfp28-\d+|q?sfp(plus|28)\d+-\d+"),
     ("interface", "ethernet")),
    (re.compile(r"wlan\d+"), ("interface", "wireless")),
    (re.compile(r"wifi\d+"), ("interface", "wifi")),
    (re.compile(r"lte\d+"), ("interface", "lte")),
)


def _port_menu(name: str) -> tuple[str, ...] | None:
    """The menu a hardware port called ``name`` belongs to (``ether27``: ethernet)."""
    return next((path for pattern, path in _PORTS if pattern.fullmatch(name)), None)


def _generic_flag(menu: Menu, prop: object) -> bool:
    """In a menu the schema does not model, a bare property name means ``yes``."""
    return generic.menu(menu.path) is not None and menu.path not in _MODELLED


_MODELLED = frozenset(m.path for m in generic.modelled())


def _expand_slashes(toks: list[Token]) -> list[tuple[str, Token]]:
    """Words of a statement; a first word like ``/ip/address/add`` (v7 style) is split."""
    out: list[tuple[str, Token]] = [(t.raw if t.is_arg else t.value, t) for t in toks]
    first = toks[0] if toks else None
    if first is None or first.is_arg or first.is_block or "/" not in first.raw:
        return out
    if first.raw.startswith('"'):
        return out
    words: list[tuple[str, Token]] = []
    col = first.col
    if first.raw.startswith("/"):
        words.append(("/", Token("/", col, None, "/")))
    for part in first.raw.split("/"):
        if part:
            words.append((part, Token(part, col, None, part)))
        col += len(part) + 1
    return words + out[1:]


def _as_target(tok: Token) -> Token:
    """The value of ``place-before=x`` as a designator token."""
    if tok.name is None:
        return tok
    value_col = tok.col + len(tok.name) + 1
    raw = tok.raw.split("=", 1)[1]
    if raw.startswith("["):
        return Token(raw, value_col, None, raw)
    return Token(tok.value, value_col, None, tok.value)


__all__ = ["Context", "Interpreter", "Menu", "Question", "ScriptFailed"]
