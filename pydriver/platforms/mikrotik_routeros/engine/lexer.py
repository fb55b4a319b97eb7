"""Splitting a RouterOS console line into tokens, keeping each token's column.

RouterOS reports errors by line and column (``expected end of command (line 1 column 17)``)
and clients such as pydriver locate the offending argument from it, so every token keeps
the 1-based column where it starts in the line as typed. Quotes, ``[...]`` and ``{...}``
group text that contains spaces; ``;`` at the top level separates statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydriver.platforms.mikrotik_routeros.engine.errors import RosError

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "$": "$", "?": "?", "_": " ",
            "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_HEX = "0123456789ABCDEFabcdef"
_CLOSE = {"[": "]", "{": "}", "(": ")"}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a command: ``raw`` as typed, split into ``name``/``value`` when it is an
    argument (``name=value``), with ``value`` unquoted and unescaped."""

    raw: str
    col: int
    name: str | None = None  # set for name=value
    value: str = ""

    @property
    def is_arg(self) -> bool:
        return self.name is not None

    @property
    def is_block(self) -> bool:
        return self.raw.startswith(("[", "{"))

    @property
    def word(self) -> str:
        """The token as a bare word (quotes removed) when it is not an argument."""
        return self.value


def unquote(text: str, col: int) -> str:
    """The value of a (possibly quoted) word; quotes may appear mid-word as RouterOS allows.

    Hex escapes in a row are bytes (``\\D0\\9F`` is how an export writes UTF-8 text).
    """
    out: list[str] = []
    raw = bytearray()
    i, quoted = 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 2 < len(text) + 0 and all(c in _HEX for c in text[i + 1 : i + 3]) \
                and len(text[i + 1 : i + 3]) == 2:
            raw.append(int(text[i + 1 : i + 3], 16))
            i += 3
            continue
        if raw:
            out.append(_decode(raw))
            raw = bytearray()
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
            elif nxt != "\n":
                out.append(nxt)
            i += 1
        else:
            out.append(ch)
        i += 1
    if raw:
        out.append(_decode(raw))
    if quoted:
        raise RosError("syntax error", col + len(text))
    return "".join(out)


def _decode(raw: bytearray) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _scan(line: str, start: int) -> int:
    """End index of the token starting at ``start`` (quotes and brackets kept together)."""
    i, depth, quoted = start, [], False
    while i < len(line):
        ch = line[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "\\":
            i += 1
        elif ch in _CLOSE:
            depth.append(_CLOSE[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch in "]})" and not depth:
            raise RosError("syntax error", i + 1)
        elif not depth and (ch in " \t" or ch == ";"):
            break
        i += 1
    if quoted:
        raise RosError("syntax error", start + 1)
    if depth:
        raise RosError(f"expected closing {'brace' if depth[-1] == '}' else 'bracket'}", i + 1)
    return i


def statements(line: str) -> list[tuple[str, int]]:
    """Split ``line`` on top-level ``;``: (statement text, column offset of its start)."""
    out: list[tuple[str, int]] = []
    i, begin = 0, 0
    while i < len(line):
        ch = line[i]
        if ch in " \t":
            i += 1
            continue
        if ch == ";":
            out.append((line[begin:i], begin))
            begin = i + 1
            i += 1
            continue
        if ch == "#" and not line[begin:i].strip():
            break  # a comment runs to the end of the line
        i = _scan(line, i)
    tail = line[begin:i]
    if tail.strip() and not tail.strip().startswith("#"):
        out.append((tail, begin))
    return [(text, offset) for text, offset in out if text.strip()]


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Tokens of one statement; columns are 1-based positions in the whole line."""
    out: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] in " \t":
            i += 1
            continue
        end = _scan(text, i)
        raw = text[i:end]
        col = offset + i + 1
        out.append(_token(raw, col))
        i = end
    return out


def _token(raw: str, col: int) -> Token:
    if raw.startswith(("[", "{")):
        return Token(raw, col, None, raw)
    eq = _arg_split(raw)
    if eq > 0:
        name = raw[:eq]
        value_raw = raw[eq + 1 :]
        if value_raw.startswith("["):
            return Token(raw, col, name, value_raw)
        return Token(raw, col, name, unquote(value_raw, col + eq + 1))
    return Token(raw, col, None, unquote(raw, col))


def _arg_split(raw: str) -> int:
    """Index of the ``=`` of ``name=value`` (not inside quotes), or -1."""
    for i, ch in enumerate(raw):
        if ch in "\"[{(":
            return -1
        if ch == "=":
            return i
    return -1


def block_body(token: Token) -> str:
    """The text inside a ``[...]`` or ``{...}`` token."""
    return token.raw[1:-1] if token.raw[-1:] in "]}" else token.raw[1:]


def join_continuations(text: str) -> list[tuple[int, str]]:
    """Script lines as RouterOS reads them: (first physical line number, logical line).

    A line ending in an odd run of backslashes goes on in the next line, whose indentation
    is dropped (``/export`` wraps long lines that way, inside quoted values too). A line
    that leaves a quote, ``[`` or ``{`` open also goes on, with its line break kept: a
    script block or a quoted value typed over several lines.
    """
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not pending:
            first = number
        elif not pending[-1].endswith("\n"):  # after a backslash: the indentation goes
            line = line.lstrip(" \t")
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = "".join(pending)
        if number < len(lines) and unclosed(joined):
            pending.append("\n")
            continue
        out.append((first, joined))
        pending = []
    if pending:
        out.append((first, "".join(pending)))
    return out


def unclosed(text: str) -> bool:
    """Does ``text`` end inside a quoted value or an open ``[``/``{`` block?"""
    depth = 0
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == "#" and depth == 0 and not text[:i].strip():
            return False
        elif ch in "[{":
            depth += 1
        elif ch in "]}" and depth:
            depth -= 1
        i += 1
    return quoted or depth > 0
