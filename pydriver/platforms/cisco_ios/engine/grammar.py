"""IOS command syntax: one-line syntax strings compiled into an NFA, matched the IOS way.

Each mode's commands are written as syntax strings (``"ip address <ip> <mask> [secondary]"``)
and compiled together, so keyword abbreviation is resolved against every keyword that could
follow at that point in that mode, exactly as the IOS parser does: ``sh`` is ``show`` in exec
mode, ``s`` is ambiguous in global configuration. The matcher reports where parsing stopped so
the caller can draw the caret under the offending token.

Syntax elements: ``word`` a keyword; ``<ip>`` ``<mask>`` ``<wild>`` ``<prefix>`` ``<word>``
``<name>`` (a word that is not an IPv4 address: a peer-group, not a neighbour) ``<line>`` (the
rest of the line, verbatim) ``<if>`` (an interface, one or two tokens) ``<1-65535>`` (an
integer range); ``[ x ]`` optional; ``( x | y )`` one of; ``{ x }`` one or more.

Tokens are split the IOS way: on blanks, except inside double quotes, so
``profile "CiscoTAC-1"`` or ``action 1.0 cli command "show version"`` keep their quoted text as
one argument.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

IFACE_TYPES = (
    "GigabitEthernet",
    "TenGigabitEthernet",
    "TwentyFiveGigE",
    "FortyGigabitEthernet",
    "HundredGigE",
    "AppGigabitEthernet",
    "FastEthernet",
    "Ethernet",
    "Serial",
    "Cellular",
    "Loopback",
    "Tunnel",
    "Port-channel",
    "Vlan",
    "Null",
    "BDI",
    "BVI",
    "Dialer",
    "Virtual-Template",
    "VirtualPortGroup",
    "Multilink",
    "NVI",
    "nve",
)
#: interfaces IOS creates on demand (no chassis port behind them)
VIRTUAL_TYPES = (
    "Loopback",
    "Tunnel",
    "Port-channel",
    "Vlan",
    "Null",
    "BDI",
    "BVI",
    "Dialer",
    "Virtual-Template",
    "VirtualPortGroup",
    "Multilink",
    "NVI",
    "nve",
)
_IFNUM = re.compile(r"^\d+(/\d+)*(\.\d+)?(:\d+)?$")
_IFTOKEN = re.compile(r"^([A-Za-z][A-Za-z-]*?)(\d.*)$")
_QUAD = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_SYNTAX_TOKEN = re.compile(r"\[|\]|\(|\)|\{|\}|\||[^\s\[\](){}|]+")


def resolve_iface_type(text: str) -> str | None:
    """The full interface type an IOS user may abbreviate (``gi`` -> ``GigabitEthernet``)."""
    low = text.lower()
    hits = [t for t in IFACE_TYPES if t.lower().startswith(low)]
    exact = [t for t in hits if t.lower() == low]
    if exact:
        return exact[0]
    return hits[0] if len(hits) == 1 else None


def normalize_iface(text: str) -> str | None:
    """``gi0/0/1`` or ``GigabitEthernet 0/0/1`` -> ``GigabitEthernet0/0/1`` (None if not one)."""
    m = _IFTOKEN.match(text.replace(" ", ""))
    if not m:
        return None
    kind = resolve_iface_type(m.group(1))
    if kind is None or not _IFNUM.match(m.group(2)):
        return None
    return kind + m.group(2)


def _quad(text: str) -> str | None:
    if not _QUAD.match(text):
        return None
    parts = [int(p) for p in text.split(".")]
    if any(p > 255 for p in parts):
        return None
    return ".".join(str(p) for p in parts)


def is_netmask(text: str) -> bool:
    value = int(ipaddress.IPv4Address(text))
    inverted = (~value) & 0xFFFFFFFF
    return (inverted & (inverted + 1)) == 0


@dataclass(frozen=True, slots=True)
class _Node:
    kind: Literal["kw", "arg", "seq", "alt", "opt", "rep"]
    text: str = ""
    lo: int = 0
    hi: int = 0
    items: tuple[_Node, ...] = ()


def _parse_syntax(syntax: str) -> _Node:
    toks = _SYNTAX_TOKEN.findall(syntax)
    pos = 0

    def parse_alt(term: str | None) -> _Node:
        nonlocal pos
        branches = [parse_seq()]
        while pos < len(toks) and toks[pos] == "|":
            pos += 1
            branches.append(parse_seq())
        if term is not None:
            if pos >= len(toks) or toks[pos] != term:
                raise ValueError(f"syntax {syntax!r}: expected {term!r}")
            pos += 1
        return branches[0] if len(branches) == 1 else _Node("alt", items=tuple(branches))

    def parse_seq() -> _Node:
        nonlocal pos
        items: list[_Node] = []
        while pos < len(toks) and toks[pos] not in ("]", ")", "}", "|"):
            tok = toks[pos]
            pos += 1
            if tok == "[":
                items.append(_Node("opt", items=(parse_alt("]"),)))
            elif tok == "(":
                items.append(parse_alt(")"))
            elif tok == "{":
                items.append(_Node("rep", items=(parse_alt("}"),)))
            elif tok.startswith("<") and tok.endswith(">"):
                inner = tok[1:-1]
                m = re.fullmatch(r"(\d+)-(\d+)", inner)
                if m:
                    items.append(_Node("arg", "range", int(m.group(1)), int(m.group(2))))
                else:
                    items.append(_Node("arg", inner))
            else:
                items.append(_Node("kw", tok))
        return _Node("seq", items=tuple(items))

    node = parse_alt(None)
    if pos != len(toks):
        raise ValueError(f"syntax {syntax!r}: unbalanced at {toks[pos]!r}")
    return node


@dataclass(frozen=True, slots=True)
class _Edge:
    kind: Literal["kw", "arg"]
    text: str
    lo: int
    hi: int
    target: int


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    column: int


_TOKEN = re.compile(r'"[^"]*"?|(?:[^\s"]|"[^"]*")+')


def tokenize(line: str) -> list[Token]:
    """Blank-separated tokens; a double-quoted run (blanks included) stays in one token."""
    return [Token(m.group(0), m.start()) for m in _TOKEN.finditer(line) if m.group(0).strip()]


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """One way the line matched a command: the payload and the canonical tokens."""

    payload: T
    words: tuple[str, ...]
    index: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class MatchResult(Generic[T]):
    """Complete matches, prefixes of commands (for ``no`` forms), or where parsing failed."""

    complete: tuple[Hit[T], ...]
    partial: tuple[Hit[T], ...]
    error: Literal["invalid", "incomplete", "ambiguous"] | None
    column: int  # character offset of the token where parsing stopped
    depth: int  # how many tokens were consumed before stopping


IfaceCheck = Callable[[str], bool]


@dataclass(slots=True)
class Grammar(Generic[T]):
    """All commands of one mode, compiled into one automaton."""

    entries: Sequence[tuple[str, T]]
    _edges: list[list[_Edge]] = field(default_factory=list)
    _eps: list[list[int]] = field(default_factory=list)
    _owner: list[int] = field(default_factory=list)
    _accept: dict[int, int] = field(default_factory=dict)
    _start: int = 0
    _start_threads: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    _start_kws: dict[str, list[tuple[int, _Edge]]] = field(default_factory=dict)
    _start_args: list[tuple[int, _Edge]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._start = self._new(-1)
        for index, (syntax, _payload) in enumerate(self.entries):
            accept = self._new(index)
            self._accept[accept] = index
            first = self._build(_parse_syntax(syntax), accept, index)
            self._eps[self._start].append(first)
        # every line starts from the same threads: index their first keywords once, so a
        # mode with hundreds of commands costs one dictionary lookup for the first word
        self._start_threads = self._closure([(self._start, ())])
        for state, _words in self._start_threads:
            for edge in self._edges[state]:
                if edge.kind == "kw":
                    self._start_kws.setdefault(edge.text.lower(), []).append((state, edge))
                else:
                    self._start_args.append((state, edge))

    def _new(self, owner: int) -> int:
        self._edges.append([])
        self._eps.append([])
        self._owner.append(owner)
        return len(self._edges) - 1

    def _build(self, node: _Node, nxt: int, owner: int) -> int:
        if node.kind in ("kw", "arg"):
            state = self._new(owner)
            self._edges[state].append(_Edge(node.kind, node.text, node.lo, node.hi, nxt))
            return state
        if node.kind == "seq":
            for item in reversed(node.items):
                nxt = self._build(item, nxt, owner)
            return nxt
        if node.kind == "alt":
            state = self._new(owner)
            self._eps[state] = [self._build(b, nxt, owner) for b in node.items]
            return state
        if node.kind == "opt":
            state = self._new(owner)
            self._eps[state] = [self._build(node.items[0], nxt, owner), nxt]
            return state
        loop = self._new(owner)  # "rep": one or more
        body = self._build(node.items[0], loop, owner)
        self._eps[loop] = [body, nxt]
        return body

    def _closure(
        self, threads: list[tuple[int, tuple[str, ...]]]
    ) -> list[tuple[int, tuple[str, ...]]]:
        seen: set[tuple[int, tuple[str, ...]]] = set()
        out: list[tuple[int, tuple[str, ...]]] = []
        stack = list(reversed(threads))
        while stack:
            th = stack.pop()
            if th in seen:
                continue
            seen.add(th)
            out.append(th)
            for nxt in reversed(self._eps[th[0]]):
                stack.append((nxt, th[1]))
        return out

    def match(self, line: str, iface_ok: IfaceCheck | None = None) -> MatchResult[T]:
        tokens = tokenize(line)
        n = len(tokens)
        agenda: dict[int, list[tuple[int, tuple[str, ...]]]] = {0: [(self._start, ())]}
        last_pos = 0
        ambiguous_at: int | None = None
        final: list[tuple[int, tuple[str, ...]]] = []
        for pos in range(n + 1):
            threads = self._start_threads if pos == 0 else self._closure(agenda.pop(pos, []))
            if not threads:
                continue
            last_pos = pos
            if pos == n:
                final = threads
                break
            tok = tokens[pos].text
            low = tok.lower()
            if pos == 0:
                kws: set[str] | dict[str, list[tuple[int, _Edge]]] = self._start_kws
            else:
                kws = {e.text.lower() for s, _ in threads for e in self._edges[s] if e.kind == "kw"}
            resolved = {low} if low in kws else {k for k in kws if k.startswith(low)}
            ambiguous = len(resolved) > 1
            advanced = False
            if pos == 0:
                for key in () if ambiguous else resolved:
                    for _state, edge in self._start_kws[key]:
                        agenda.setdefault(1, []).append((edge.target, (edge.text,)))
                        advanced = True
                for _state, edge in self._start_args:
                    for used, value in _match_arg(edge, tokens, 0, line, iface_ok):
                        agenda.setdefault(used, []).append((edge.target, (value,)))
                        advanced = True
                if not advanced and ambiguous:
                    ambiguous_at = pos
                continue
            for state, words in threads:
                for edge in self._edges[state]:
                    if edge.kind == "kw":
                        if not ambiguous and edge.text.lower() in resolved:
                            agenda.setdefault(pos + 1, []).append(
                                (edge.target, (*words, edge.text))
                            )
                            advanced = True
                        continue
                    for used, value in _match_arg(edge, tokens, pos, line, iface_ok):
                        agenda.setdefault(pos + used, []).append((edge.target, (*words, value)))
                        advanced = True
            if not advanced and ambiguous:
                ambiguous_at = pos
        complete: list[Hit[T]] = []
        partial: list[Hit[T]] = []
        seen_c: set[tuple[int, tuple[str, ...]]] = set()
        seen_p: set[tuple[int, tuple[str, ...]]] = set()
        for state, words in final:
            owner = self._owner[state]
            if owner < 0:
                continue
            if state in self._accept and (owner, words) not in seen_c:
                seen_c.add((owner, words))
                complete.append(Hit(self.entries[owner][1], words, owner))
            if (owner, words) not in seen_p:
                seen_p.add((owner, words))
                partial.append(Hit(self.entries[owner][1], words, owner))
        complete.sort(key=lambda h: h.index)
        partial.sort(key=lambda h: h.index)
        if complete:
            return MatchResult(tuple(complete), tuple(partial), None, len(line), n)
        if final and n > 0:
            return MatchResult((), tuple(partial), "incomplete", len(line), n)
        if n == 0:
            return MatchResult((), (), "incomplete", 0, 0)
        column = tokens[last_pos].column if last_pos < n else len(line)
        kind: Literal["invalid", "ambiguous"] = (
            "ambiguous" if ambiguous_at == last_pos else "invalid"
        )
        return MatchResult((), (), kind, column, last_pos)


def _match_arg(
    edge: _Edge, tokens: list[Token], pos: int, line: str, iface_ok: IfaceCheck | None
) -> list[tuple[int, str]]:
    tok = tokens[pos].text
    kind = edge.text
    if kind == "word":
        return [(1, tok)]
    if kind == "name":
        return [] if _QUAD.match(tok) else [(1, tok)]
    if kind == "line":
        return [(len(tokens) - pos, line[tokens[pos].column :].rstrip())]
    if kind == "range":
        if tok.isdigit() and edge.lo <= int(tok) <= edge.hi:
            return [(1, str(int(tok)))]
        return []
    if kind in ("ip", "wild"):
        q = _quad(tok)
        return [(1, q)] if q else []
    if kind == "mask":
        q = _quad(tok)
        return [(1, q)] if q and is_netmask(q) else []
    if kind == "prefix":
        if "/" not in tok:
            return []
        addr, _, length = tok.partition("/")
        q = _quad(addr)
        if not q or not length.isdigit() or int(length) > 32:
            return []
        net = ipaddress.IPv4Network(f"{q}/{int(length)}", strict=False)
        return [(1, str(net))]
    if kind == "if":
        out: list[tuple[int, str]] = []
        one = normalize_iface(tok)
        if one and (iface_ok is None or iface_ok(one)):
            out.append((1, one))
        if pos + 1 < len(tokens) and tokens[pos + 1].text[:1].isdigit():
            kind2 = resolve_iface_type(tok)
            if kind2 and _IFNUM.match(tokens[pos + 1].text):
                two = kind2 + tokens[pos + 1].text
                if iface_ok is None or iface_ok(two):
                    out.append((2, two))
        return out
    raise ValueError(f"unknown argument kind {kind!r}")
