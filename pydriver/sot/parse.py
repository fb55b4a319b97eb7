"""YAML text to plain data plus the location of every value, with hostile input bounded.

libyaml (PyYAML's C parser) does the parsing: it is an order of magnitude faster than the
pure-Python one, keeps line and column marks on every event, and caps nesting itself. The
data is built here from its events, iteratively, so that nothing a file says can make the
build recurse, expand without limit or run code:

* only plain values of the YAML 1.2 core schema: null, true/false, integers, floats and
  strings. Every tag is refused (``!!python/object``, ``!env``, ``!!timestamp``, ``!!binary``
  ...) except ``!!str``, which can only turn a value into a string. YAML 1.1's implicit
  extras (``yes``/``no`` booleans, ``1:30`` sexagesimal numbers, dates) are plain strings;
* aliases are allowed, but counted, and each expansion counts the values it copies towards
  the per-file limit, so an alias bomb stops after a few thousand values instead of
  billions; an alias of its own anchor (``&a [*a]``) is refused;
* collections nest at most ``limits.depth`` deep;
* merge keys (``<<``) are refused: a site's keys should be what its file says;
* a duplicate key is a problem, not a silent overwrite, and keys must be strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pydriver.errors import Location, Problem
from pydriver.sot.files import Limits, position

PathKey = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_CORE = "tag:yaml.org,2002:"
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
# a plain scalar starting otherwise is a string whatever follows
_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")


class Stop(Exception):
    """The file cannot be turned into data: one problem says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def token(text: str, width: int = 40) -> str:
    """``text`` quoted for a message: control characters escaped, at most ``width`` long."""
    shown = repr(text[: width + 1])
    if len(text) > width:
        shown = shown[:-2] + "..." + shown[-1]
    return shown


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


@dataclass
class _Frame:
    """A collection being built: its value, where it is, and (for a mapping) the key whose
    value comes next."""

    value: Any
    path: PathKey
    loc: Location
    anchor: str | None
    record: bool  # marks and problems are kept (False inside a refused key)
    is_map: bool
    key: Any = None
    key_loc: Location | None = None
    want_key: bool = True
    keep: bool = True  # the pending mapping value is stored (False after a refused key)
    marks: list[tuple[PathKey, Location]] | None = None  # inside an anchor: for its aliases
    nodes_at_start: int = 0


@dataclass
class _Anchor:
    value: Any
    base: PathKey
    marks: list[tuple[PathKey, Location]]
    nodes: int


@dataclass
class Parsed:
    """One YAML document: its data, the location of every value by path, the problems that
    did not stop the build (duplicate keys...) and how many values were built."""

    data: Any
    marks: dict[PathKey, Location]
    problems: list[Problem] = field(default_factory=list)
    nodes: int = 0
    aliases: int = 0  # alias uses: their values are shared, not copies


class _Builder:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.marks: dict[PathKey, Location] = {}
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: list[_Frame] = []
        self.nodes = 0
        self.aliases = 0
        self.root: Any = None
        self.done = False

    # -- helpers ---------------------------------------------------------------------------
    def loc(self, mark: Any) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1)

    def stop(self, loc: Location, message: str, code: str = "yaml") -> Stop:
        return Stop(Problem(loc, message, code))

    def mark(self, path: PathKey, loc: Location) -> None:
        self.marks[path] = loc
        for frame in self.open_anchors:
            assert frame.marks is not None
            frame.marks.append((path, loc))

    def count(self, n: int, loc: Location) -> None:
        self.nodes += n
        if self.nodes > self.limits.nodes:
            raise self.stop(loc, f"more than {self.limits.nodes:,} values in one file "
                                 "(counting every alias expansion); not read", "limit")

    def child(self) -> tuple[PathKey, bool]:
        """Where the next node goes and whether its marks are kept."""
        if not self.stack:
            return (), True
        top = self.stack[-1]
        if not top.is_map:
            return (*top.path, len(top.value)), top.record
        if top.want_key:
            return (*top.path, "<key>"), False
        return (*top.path, top.key), top.record and top.keep

    # -- values ----------------------------------------------------------------------------
    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        value: str = ev.value
        if len(value) > self.limits.scalar_chars:
            raise self.stop(self.loc(ev.start_mark), f"a value of {len(value):,} characters; "
                            f"the limit is {self.limits.scalar_chars:,}", "limit")
        tag = ev.tag
        if tag is None:
            return self.plain(value, ev) if ev.implicit[0] else value
        if tag not in ("!", _STR_TAG):
            raise self.stop(self.loc(ev.start_mark), f"YAML tag {token(_tag_name(tag))} is not "
                            "accepted: write a plain value (quote it to make it a string)",
                            "tag")
        return value

    def plain(self, text: str, ev: yaml.ScalarEvent) -> Any:
        """A plain scalar by the YAML 1.2 core schema."""
        if not text:
            return None
        if text[0] not in _SPECIAL_START:
            return text  # the common case: a word
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        for pattern, base in ((_INT, 10), (_OCT, 8), (_HEX, 16)):
            if pattern.fullmatch(text):
                if len(text) > self.limits.number_chars:
                    raise self.stop(self.loc(ev.start_mark), f"a number of {len(text)} "
                                    f"characters; the limit is {self.limits.number_chars}",
                                    "limit")
                return int(text[2:] if base != 10 else text, base)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return float("-inf") if text.startswith("-") else float("inf")
        if _NAN.fullmatch(text):
            return float("nan")
        return text

    def place(self, value: Any, loc: Location) -> None:
        """Put a finished value where it belongs: the root, a list or a mapping."""
        if not self.stack:
            self.root = value
            self.done = True
            return
        top = self.stack[-1]
        if not top.is_map:
            top.value.append(value)
            return
        if top.want_key:
            self.key(top, value, loc)
            return
        if top.keep:
            top.value[top.key] = value
            if top.record:
                assert top.key_loc is not None
                # the key's own position reads better in errors than its value's
                self.mark((*top.path, top.key), top.key_loc)
        top.want_key = True

    def key(self, top: _Frame, key: Any, loc: Location) -> None:
        top.want_key = False
        top.key, top.key_loc, top.keep = key, loc, True
        if not isinstance(key, str):
            shown = token(str(key)) if not isinstance(key, dict | list) else "a collection"
            self.problem(top, loc, f"mapping key {shown} must be a string", "yaml")
            top.keep = False
        elif key == "<<":
            self.problem(top, loc, "YAML merge keys (<<) are not supported; write the values "
                                   "out", "yaml")
            top.keep = False
        elif key in top.value:
            first = self.marks.get((*top.path, key))
            where = f" (first at line {first.line})" if first else ""
            self.problem(top, loc, f"duplicate key {token(key)}{where}", "duplicate")
            top.keep = False

    def problem(self, top: _Frame, loc: Location, message: str, code: str) -> None:
        if top.record:
            self.problems.append(Problem(loc, message, code))

    # -- events ----------------------------------------------------------------------------
    def start(self, ev: yaml.CollectionStartEvent, is_map: bool) -> None:
        loc = self.loc(ev.start_mark)
        if ev.tag is not None and ev.tag != "!":
            raise self.stop(loc, f"YAML tag {token(_tag_name(ev.tag))} is not accepted: "
                                 "write a plain value", "tag")
        if len(self.stack) >= self.limits.depth:
            raise self.stop(loc, f"values nested more than {self.limits.depth} deep; "
                                 "not read", "limit")
        self.count(1, loc)
        path, record = self.child()
        if record and self.stack and not self.stack[-1].is_map:
            self.mark(path, loc)
        frame = _Frame({} if is_map else [], path, loc, ev.anchor, record, is_map,
                       nodes_at_start=self.nodes)
        if ev.anchor is not None:
            frame.marks = [(path, loc)]
            self.open_anchors.append(frame)
        if not self.stack:
            self.mark((), loc)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.remove(frame)
            assert frame.marks is not None
            self.anchors[frame.anchor] = _Anchor(frame.value, frame.path, frame.marks,
                                                 self.nodes - frame.nodes_at_start + 1)
        self.place(frame.value, frame.loc)

    def value(self, ev: yaml.ScalarEvent) -> None:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            self.count(0, self.loc(ev.start_mark))
        value = self.scalar(ev)
        stack = self.stack
        if stack and stack[-1].is_map and ev.anchor is None:
            top = stack[-1]
            if top.want_key:
                self.key(top, value, self.loc(ev.start_mark))
            else:  # a mapping value: its mark is its key's (no location to make)
                self.place(value, top.loc)
            return
        loc = self.loc(ev.start_mark)
        path, record = self.child()
        if record and (not stack or not stack[-1].is_map):
            self.mark(path, loc)
        if ev.anchor is not None:
            self.anchors[ev.anchor] = _Anchor(value, path, [(path, loc)], 1)
        self.place(value, loc)

    def alias(self, ev: yaml.AliasEvent) -> None:
        loc = self.loc(ev.start_mark)
        name = ev.anchor or ""
        if any(f.anchor == name for f in self.open_anchors):
            raise self.stop(loc, f"alias *{token(name)} refers to the value that contains "
                                 "it (a recursive alias)", "alias")
        anchor = self.anchors.get(name)
        if anchor is None:
            raise self.stop(loc, f"alias *{token(name)} has no anchor &{token(name)} before "
                                 "it", "alias")
        self.aliases += 1
        if self.aliases > self.limits.aliases:
            raise self.stop(loc, f"more than {self.limits.aliases} aliases in one file; "
                                 "not read", "limit")
        self.count(anchor.nodes, loc)
        path, record = self.child()
        if record:
            cut = len(anchor.base)
            for sub, sub_loc in anchor.marks:
                # a mapping value's own mark is then replaced by its key's, in place()
                self.mark((*path, *sub[cut:]), sub_loc)
        self.place(anchor.value, loc)


def parse(text: str, file: str, limits: Limits) -> Parsed:
    """One YAML document of ``text`` as data with marks; raise :class:`Stop` if it cannot
    be read at all (malformed YAML, a refused tag, a limit passed)."""
    builder = _Builder(file, limits)
    documents = 0
    try:
        parser = yaml.CSafeLoader(text)
        while True:
            ev = parser.get_event()
            if isinstance(ev, yaml.ScalarEvent):
                builder.value(ev)
            elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                builder.end()
            elif isinstance(ev, yaml.MappingStartEvent):
                builder.start(ev, True)
            elif isinstance(ev, yaml.SequenceStartEvent):
                builder.start(ev, False)
            elif isinstance(ev, yaml.AliasEvent):
                builder.alias(ev)
            elif isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise builder.stop(builder.loc(ev.start_mark),
                                       "one YAML document per file, found more")
            elif ev is None or isinstance(ev, yaml.StreamEndEvent):
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = builder.loc(mark) if mark is not None else Location(file, 1, 1)
        reason = exc.problem or exc.context or "malformed YAML"
        raise Stop(Problem(loc, f"malformed YAML: {reason}", "yaml")) from None
    except yaml.reader.ReaderError as exc:
        # the text was checked for unprintable characters; any left is located by offset
        loc = position(text, min(exc.position, len(text)), file)
        raise Stop(Problem(loc, f"malformed YAML: {exc.reason}", "yaml")) from None
    except yaml.YAMLError:
        raise Stop(Problem(Location(file, 1, 1), "malformed YAML", "yaml")) from None
    if not builder.done:
        builder.marks[()] = Location(file, 1, 1)
    return Parsed(builder.root, builder.marks, builder.problems, builder.nodes,
                  builder.aliases)
