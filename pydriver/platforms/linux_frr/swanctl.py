"""A strict reader of strongSwan's settings syntax, the language of swanctl.conf.

It follows strongSwan's own lexer and grammar (``settings_lexer.l``, ``settings_parser.y``)
token for token: a name is a run of anything but white space, ``#``, ``{``, ``}``, ``=``
and ``"``; after ``=`` a value runs to the end of the line, ``#`` or ``}``, made of bare
words (joined by one space) and double-quoted strings (``\\n``, ``\\r``, ``\\t`` and ``\\x``
escapes, where ``\\x`` is ``x``); ``#`` starts a comment. Where strongSwan would merely log
and go on, this reader refuses (``include``, a string where a name belongs, an
unterminated string, an unbalanced brace), so a file it reads is one strongSwan reads the
same way. pydriver uses it to check what it writes: every section and setting it meant,
and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydriver.errors import RenderError

_NAME_STOP = set('#{}="\r\n\t ')
_VALUE_STOP = set('#}"\r\n\t ')


@dataclass
class Section:
    """One section: its settings and subsections in the order written (duplicates kept:
    a reader that merged them would hide an extra item)."""

    name: str
    settings: list[tuple[str, str | None]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, name: str) -> Section:
        found = [s for s in self.sections if s.name == name]
        if len(found) != 1:
            raise KeyError(f"{len(found)} sections named {name!r} in {self.name!r}")
        return found[0]

    def value(self, key: str) -> str | None:
        found = [v for k, v in self.settings if k == key]
        if len(found) != 1:
            raise KeyError(f"{len(found)} settings named {key!r} in {self.name!r}")
        return found[0]

    def shape(self) -> tuple[object, ...]:
        """Names and keys only, recursively: what two files must share to hold the same
        items whatever their values."""
        return (self.name, tuple(k for k, _ in self.settings),
                tuple(s.shape() for s in self.sections))


class SwanctlSyntaxError(RenderError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__("swanctl.conf", f"line {line}: {message}")


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1

    def _peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def _skip_blanks(self, newline: bool) -> None:
        while self.i < len(self.text):
            ch = self.text[self.i]
            if ch in " \t\r":
                self.i += 1
            elif ch == "#":
                while self.i < len(self.text) and self.text[self.i] not in "\r\n":
                    self.i += 1
            elif ch == "\n" and newline:
                self.i += 1
                self.line += 1
            else:
                return

    def token(self) -> tuple[str, str]:
        """(kind, text): NAME, NEWLINE, '{', '}', '=' or EOF, outside a value."""
        self._skip_blanks(newline=False)
        ch = self._peek()
        if not ch:
            return "EOF", ""
        if ch == "\n":
            self.i += 1
            self.line += 1
            return "NEWLINE", ""
        if ch in "{}=":
            self.i += 1
            return ch, ch
        if ch == '"':
            raise SwanctlSyntaxError(self.line, "a string where a name belongs")
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in _NAME_STOP:
            self.i += 1
        return "NAME", self.text[start:self.i]

    def value(self) -> str | None:
        """The value after ``=``: to the end of the line, ``#`` or ``}`` (not consumed)."""
        parts: list[str] = []
        while True:
            while self._peek() in (" ", "\t", "\r") and self._peek():
                self.i += 1
            ch = self._peek()
            if not ch or ch in "#}\n":
                return " ".join(parts) if parts else None
            if ch == '"':
                self.i += 1
                parts.append(self._string())
                continue
            start = self.i
            while self.i < len(self.text) and self.text[self.i] not in _VALUE_STOP:
                self.i += 1
            parts.append(self.text[start:self.i])

    def _string(self) -> str:
        out: list[str] = []
        start_line = self.line
        while True:
            if self.i >= len(self.text):
                raise SwanctlSyntaxError(start_line, "unterminated string")
            ch = self.text[self.i]
            self.i += 1
            if ch == '"':
                return "".join(out)
            if ch == "\r":
                continue
            if ch == "\\":
                if self.i >= len(self.text):
                    raise SwanctlSyntaxError(start_line, "unterminated string")
                nxt = self.text[self.i]
                self.i += 1
                if nxt == "\r" and self._peek() == "\n":
                    self.i += 1
                    nxt = "\n"
                if nxt == "\n":  # an escaped line end joins the lines
                    self.line += 1
                    continue
                out.append({"n": "\n", "r": "\r", "t": "\t"}.get(nxt, nxt))
                continue
            if ch == "\n":
                self.line += 1
            out.append(ch)


def parse(text: str) -> Section:
    """The file as a tree of sections (the root is named ``""``)."""
    lex = _Lexer(text)
    stack = [Section("")]
    pending: str | None = None  # a NAME waiting for '{', '=' (possibly after newlines)
    while True:
        kind, word = lex.token()
        if kind == "EOF":
            if pending is not None or len(stack) != 1:
                raise SwanctlSyntaxError(lex.line, "unexpected end of file")
            return stack[0]
        if kind == "NEWLINE":
            continue
        if kind == "NAME":
            if pending is not None:
                raise SwanctlSyntaxError(lex.line, f"unexpected {word!r} after {pending!r}")
            if word == "include":
                raise SwanctlSyntaxError(lex.line, "include is not allowed here")
            pending = word
            continue
        if kind == "{":
            if pending is None:
                raise SwanctlSyntaxError(lex.line, "'{' without a section name")
            section = Section(pending)
            stack[-1].sections.append(section)
            stack.append(section)
            pending = None
            continue
        if kind == "}":
            if pending is not None or len(stack) == 1:
                raise SwanctlSyntaxError(lex.line, "unbalanced '}'")
            stack.pop()
            continue
        if pending is None:  # '='
            raise SwanctlSyntaxError(lex.line, "'=' without a name")
        stack[-1].settings.append((pending, lex.value()))
        pending = None
