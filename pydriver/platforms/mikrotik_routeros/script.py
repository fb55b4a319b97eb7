"""RouterOS script text (``/export`` in all its forms, and rendered scripts) as commands.

One reader for every text pydriver meets: a router's ``/export`` (sections under ``/menu``
lines, long lines wrapped with a trailing backslash), ``/export terse`` (the full path on
every line), ``/export verbose`` and pydriver's own rendered scripts. Everything downstream
(normalise, the diff) works on :class:`Command` values, never on text, so quoting and
escaping rules live here and nowhere else. Garbage is refused with its line number: a
config that cannot be read must stop a plan, not be half-understood.

The emulated RouterOS engine has a lexer of its own (``engine.lexer`` beside this module)
with the same quoting rules, on purpose: it stands in for the router, so a misreading here
shows up as a disagreement with it in the round-trip tests instead of being shared by both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pydriver.errors import PlanError
from pydriver.platforms.mikrotik_routeros import schema

#: Console commands a script line can start with (after an optional menu path).
VERBS = frozenset({
    "add", "set", "remove", "move", "unset", "enable", "disable", "comment", "edit", "print",
    "export", "import", "find", "get", "reset", "run",
})
#: Commands whose first plain word is the item they act on (``set telnet``).
_TARGETED = frozenset({"set", "remove", "move", "unset", "enable", "disable", "comment", "get"})
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "$": "$", "?": "?", "_": " ",
            "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_HEX = "0123456789ABCDEFabcdef"
_CLOSE = {"[": "]", "{": "}", "(": ")"}
_NAME_END = re.compile(r'["\[{(=]')  # a name ends at "=", unless a quote or bracket comes first
OWNER_PREFIX = "pydriver:"


class ScriptError(PlanError):
    """A RouterOS script that cannot be read; ``line`` is 1-based in the text given."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True, slots=True)
class Command:
    """One console command: ``/ip address add address=... interface=...``.

    ``target`` is the item a targeted command names, verbatim (``telnet``,
    ``[ find default=yes ]``); ``props`` keeps the order written, values unquoted. A
    property written as a bare word (a flag such as ``fib``, or ``!name``, which unsets
    it) has the value ``""`` and its name in ``bare``, so it is written back the same way
    while ``name=""`` (an empty value) stays an empty value.
    """

    path: tuple[str, ...]
    verb: str
    target: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    line: int = 0
    bare: frozenset[str] = field(default=frozenset(), compare=False)
    #: The key pydriver owns this item under (``comment=pydriver:<key>``), if any. Worked
    #: out once here: the diff asks it of every item many times over.
    owner: str | None = field(init=False, default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        comment = self.get("comment")
        owner = comment[len(OWNER_PREFIX):] if comment is not None and \
            comment.startswith(OWNER_PREFIX) else None
        object.__setattr__(self, "owner", owner)

    def get(self, name: str) -> str | None:
        for key, value in self.props:
            if key == name:
                return value
        return None

    def text(self, with_path: bool = False) -> str:
        """The command as a console line (values quoted as the router prints them)."""
        words = [f"/{' '.join(self.path)}"] if with_path else []
        words.append(self.verb)
        if self.target is not None:
            words.append(self.target)
        for key, value in self.props:
            bare = value == "" and key in self.bare
            words.append(key if bare else f"{key}={schema.quote(value)}")
        return " ".join(words)


@dataclass(frozen=True, slots=True)
class RosConfig:
    """A parsed script: its commands in order."""

    commands: tuple[Command, ...]

    def paths(self) -> list[tuple[str, ...]]:
        """Menu paths in the order they first appear."""
        return list(dict.fromkeys(c.path for c in self.commands))

    def section(self, path: tuple[str, ...]) -> list[Command]:
        return [c for c in self.commands if c.path == path]


# ---------------------------------------------------------------------------- lexing


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str
    name: str | None  # set for name=value
    value: str  # unquoted value (or the word itself)

    @property
    def is_block(self) -> bool:
        return self.raw.startswith(("[", "{", "("))


def _unquote(text: str, line: int) -> str:
    if "\\" not in text:  # the common case, without the character loop
        if text.count('"') % 2:
            raise ScriptError(line, f"unterminated quoted string in {text!r}")
        return text.replace('"', "") if '"' in text else text
    out: list[str] = []
    raw: bytearray = bytearray()  # hex escapes in a row: UTF-8 bytes (``\\D0\\9F``)
    i, quoted = 0, False
    while i < len(text):
        ch = text[i]
        hexa = text[i + 1:i + 3]
        if ch == "\\" and len(hexa) == 2 and all(c in _HEX for c in hexa):
            raw.append(int(hexa, 16))
            i += 3
            continue
        if raw:
            out.append(_decode(raw))
            raw = bytearray()
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append(_ESCAPES.get(nxt, nxt))
            i += 1
        else:
            out.append(ch)
        i += 1
    if raw:
        out.append(_decode(raw))
    if quoted:
        raise ScriptError(line, f"unterminated quoted string in {text!r}")
    return "".join(out)


def _decode(raw: bytearray) -> str:
    """Bytes written as hex escapes: UTF-8 text when they are, else one char per byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def unquote(value: str) -> str:
    """A value as printed (quoted or not, with escapes) to the value itself."""
    return _unquote(value, 0)


def _scan(text: str, start: int, line: int) -> int:
    """End of the word starting at ``start``: quotes and brackets keep spaces inside."""
    i, depth, quoted = start, [], False
    while i < len(text):
        ch = text[i]
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
            raise ScriptError(line, f"unbalanced {ch!r} at column {i + 1}")
        elif not depth and ch in " \t;":
            break
        i += 1
    if quoted:
        raise ScriptError(line, f"unterminated quoted string at column {start + 1}")
    if depth:
        raise ScriptError(line, f"missing {depth[-1]!r} for the bracket at column {start + 1}")
    return i


#: A blank, a ``;`` or a whole word with no bracket outside quotes: what almost every line
#: is made of, read without a character loop. From the first word this cannot read whole
#: (a bracket, an open quote) on, ``_scan`` reads the rest and words its errors.
_FAST = re.compile(
    r'[ \t]+|(;)|((?:[^ \t;"\\\[\]{}()]|\\.|"(?:[^"\\]|\\.)*")+)(?=[ \t;]|\Z)', re.DOTALL)


def _statements(text: str, line: int) -> list[list[_Token]]:
    """Tokens of each ``;``-separated statement of one logical line."""
    out: list[list[_Token]] = [[]]
    i = 0
    while i < len(text):
        found = _FAST.match(text, i)
        if found is None:
            break
        if found.group(1):
            out.append([])
        elif found.group(2):
            out[-1].append(_token(found.group(2), line))
        i = found.end()
    while i < len(text):
        ch = text[i]
        if ch in " \t":
            i += 1
        elif ch == ";":
            out.append([])
            i += 1
        else:
            end = _scan(text, i, line)
            out[-1].append(_token(text[i:end], line))
            i = end
    return [s for s in out if s]


def _token(raw: str, line: int) -> _Token:
    if raw.startswith(("[", "{", "(")):
        return _Token(raw, None, raw)
    first = _NAME_END.search(raw)
    eq = first.start() if first is not None and first.group() == "=" else -1
    if eq == 0:
        raise ScriptError(line, f"argument without a name: {raw!r}")
    if eq > 0:
        name, value = raw[:eq], raw[eq + 1:]
        if value.startswith(("[", "(")):
            return _Token(raw, name, value)
        return _Token(raw, name, _unquote(value, line))
    return _Token(raw, None, _unquote(raw, line))


#: A line ending in a backslash (before a line break or the end of the text): the only
#: place a logical line can go on to the next.
_CONTINUED = re.compile(r"\\(?:\r|\n|\Z)")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with backslash-newline continuations joined.

    ``/export`` wraps long lines with a trailing ``\\`` and indents the continuation by
    four spaces; inside a quoted value the indentation is not part of the value either.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _CONTINUED.search(text) is None:  # nothing to join: every line is its own
        return list(enumerate(lines, start=1))
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if pending:
            line = line.lstrip(" \t")
        else:
            first = number
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            pending.append(line[:-1])
            continue
        pending.append(line)
        out.append((first, "".join(pending)))
        pending = []
    if pending:
        out.append((first, "".join(pending)))
    return out


# ---------------------------------------------------------------------------- parsing


def _split_path(tokens: list[_Token], line: int) -> tuple[tuple[str, ...], list[_Token]]:
    """The menu path at the head of a ``/``-line and the tokens after it."""
    head = tokens[0].raw
    words = [w for w in head.split("/") if w]
    rest = tokens[1:]
    while rest and rest[0].name is None and not rest[0].is_block and rest[0].value not in VERBS:
        words.extend(w for w in rest[0].raw.split("/") if w)
        rest = rest[1:]
    if any(not w.replace("-", "").replace(".", "").replace("_", "").isalnum() for w in words):
        raise ScriptError(line, f"not a menu path: {head!r}")
    return tuple(words), rest


#: (raw, name or None, value, is a bracket block): a word as ``_command`` reads it.
_Word = tuple[str, str | None, str, bool]


def _command(path: tuple[str, ...], tokens: list[_Token], line: int) -> Command:
    return _command_of(path, [(t.raw, t.name, t.value, t.is_block) for t in tokens], line)


def _command_of(path: tuple[str, ...], words: list[_Word], line: int) -> Command:
    verb_raw, verb_name, verb, verb_block = words[0]
    if verb_name is not None or verb_block or verb not in VERBS:
        raise ScriptError(line, f"expected a command (add, set, remove, ...), got "
                                f"{verb_raw!r}")
    menu = schema.menu(path)
    target: str | None = None
    props: list[tuple[str, str]] = []
    bare: set[str] = set()
    singleton = menu is not None and menu.kind is schema.Kind.SINGLETON
    dotted = ""  # ``local.address=x .role=y``: ``.role`` is ``local.role``
    for raw, name, value, block in words[1:]:
        if name is not None:
            if "." in name:
                name, dotted = _dotted(name, dotted)
            props.append((name, value))
        elif target is None and verb in _TARGETED and not singleton:
            target = " ".join(raw.split()) if block else raw
        elif block:
            raise ScriptError(line, f"unexpected {raw!r}")
        else:
            props.append((raw, ""))  # a flag (``fib``) or an unset (``!name``)
            bare.add(raw)
    return Command(path, verb, target, tuple(props), line, frozenset(bare))


#: A plain line has no quote, escape, bracket or ``;`` and no blank but spaces and tabs
#: (almost every line of an export); this finds the first character that makes a line not
#: plain. A plain line's words are what ``_statements`` would read, found by a split.
_NOT_PLAIN = re.compile(r'["\\\[\]{}();]|[^\S \t]')
_BLANKS = re.compile(r"[ \t]+")


def _dotted(name: str, dotted: str) -> tuple[str, str]:
    """``.role`` after ``local.address=``: ``local.role`` (and the prefix now in force)."""
    if name.startswith(".") and dotted:
        name = dotted + name
    if "." in name.strip("."):
        dotted = name.split(".", 1)[0]
    return name, dotted


def _plain_words(line: str) -> list[_Word] | None:
    """The words of a plain line without the lexer (a hub's export is tens of thousands
    of lines, and the character-level lexer is most of a plan's time on it); None when
    the line needs the lexer, which also words every error."""
    if _NOT_PLAIN.search(line) is not None:
        return None
    out: list[_Word] = []
    for word in _BLANKS.split(line):
        eq = word.find("=")
        if eq == 0:
            return None
        out.append((word, word[:eq], word[eq + 1:], False) if eq > 0 else
                   (word, None, word, False))
    return out


@functools.lru_cache(maxsize=8)
def parse(text: str) -> RosConfig:
    """Read a RouterOS script or export into commands (see the module docstring).

    The result is immutable, and one plan reads the same text more than once (the diff and
    the ownership test both read the normalised running config; a hub's is tens of
    thousands of lines), so the last few texts read are remembered."""
    commands: list[Command] = []
    current: tuple[str, ...] | None = None
    for number, logical in logical_lines(text):
        stripped = logical.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if current is not None and not stripped.startswith("/"):
            words = _plain_words(stripped)
            if words is not None and words[0][1] is None and words[0][2] in VERBS:
                commands.append(_command_of(current, words, number))
                continue
        for tokens in _statements(stripped, number):
            if tokens[0].raw.startswith("/"):
                path, rest = _split_path(tokens, number)
                if not rest:
                    current = path
                    continue
                commands.append(_command(path, rest, number))
                continue
            if current is None:
                raise ScriptError(number, f"{tokens[0].raw!r} before any /menu line")
            commands.append(_command(current, tokens, number))
    return RosConfig(tuple(commands))
