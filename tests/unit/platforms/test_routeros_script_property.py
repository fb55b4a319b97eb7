"""pydriver's RouterOS parser loses nothing: any value, the empty one included, survives
being written and read again, and the canonical form is a fixed point."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.script import (
    Command,
    ScriptError,
    _plain_words,
    logical_lines,
    parse,
)

#: Menus the schema models and menus it does not (their values are kept as written).
PATHS = (("ip", "address"), ("system", "note"), ("routing", "ospf", "instance"),
         ("interface", "wireguard", "peers"), ("tool", "netwatch"), ("x", "y"))
SETTINGS = {("system", "note")}  # a settings menu: ``set`` names no item
NAMES = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?(\.[a-z]{1,5})?", fullmatch=True)
VALUES = st.text(st.characters(exclude_categories=["Cs"]), max_size=30) | st.sampled_from(
    ["", " ", '"', "\\", "\\41", "$x", "a=b", "[ find ]", "{x}", "#", ";", "\n", "é\u00e9",
     "\\\n", "x\\", "!not"])
TARGETS = st.none() | st.sampled_from(["0", "*1F", "telnet", "[ find default=yes ]",
                                       '[ find comment="a b" ]'])


@st.composite
def commands(draw: st.DrawFn) -> Command:
    path = draw(st.sampled_from(PATHS))
    verb = draw(st.sampled_from(["add", "set"]))
    target = draw(TARGETS) if verb == "set" and path not in SETTINGS else None
    names = draw(st.lists(NAMES, min_size=0, max_size=5, unique=True))
    props: list[tuple[str, str]] = []
    bare: set[str] = set()
    for name in names:
        if draw(st.booleans()) and (verb == "add" or target is not None) and draw(st.booleans()):
            flag = draw(st.sampled_from([name, "!" + name]))
            props.append((flag, ""))
            bare.add(flag)
        else:
            props.append((name, draw(VALUES)))
    return Command(path, verb, target, tuple(props), 0, frozenset(bare))


def _script(cmds: list[Command]) -> str:
    return "".join(c.text(with_path=True) + "\n" for c in cmds)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(commands())
def test_written_and_read_again_is_the_same_command(cmd: Command) -> None:
    back = parse(cmd.text(with_path=True)).commands
    assert len(back) == 1
    assert (back[0].path, back[0].verb, back[0].target, back[0].props, back[0].bare) == \
        (cmd.path, cmd.verb, cmd.target, cmd.props, cmd.bare)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(commands(), max_size=6))
def test_normalising_twice_is_normalising_once(cmds: list[Command]) -> None:
    once = normalise(_script(cmds))
    assert normalise(once) == once


def test_an_empty_value_outside_the_schema_stays_an_empty_value() -> None:
    once = normalise('/x y\nset name=""\nadd comment="" fib\n')
    assert 'set name=""' in once and 'add comment="" fib' in once
    assert normalise(once) == once


def test_export_wrapping_and_hex_escapes_read_as_the_router_reads_them() -> None:
    text = ("/system script\n"
            'add name=a source=":put \\"x\\\\\\\n'  # an escaped backslash, then a wrap
            '    y\\"; :put \\D0\\9F\\D1\\80\\\n'
            '    \\D0\\B8\\D0\\B2\\D0\\B5\\D1\\82"\n'
            "/routing bgp connection\nadd local.address=10.0.0.1 .role=ebgp name=a\n")
    script, bgp = parse(text).commands
    assert script.get("source") == ':put "x\\y"; :put Привет'
    assert bgp.get("local.role") == "ebgp"


#: Lines an export could hold and lines it could not: words, flags, names with dots,
#: quotes, escapes, brackets, separators and blanks other than space and tab.
LINE_PARTS = st.sampled_from(
    ["add", "set", "remove", "x", "a=b", "name=lo0", ".role=y", "local.address=1.2.3.4", "!x",
     "fib", "=v", "a=", "comment=pydriver:tunnel/gre-1", "é", '"', 'c="a b"', "\\", "[", "]",
     "{", "(", ";", "#", "\u00a0", "\u2003", "\v"])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINE_PARTS, min_size=1, max_size=8), st.sampled_from([" ", "\t", "  "]))
def test_the_plain_line_reader_reads_what_the_lexer_reads(parts: list[str], blank: str
                                                          ) -> None:
    """A plain line is read by a split, not by the lexer; both must give the same command,
    or the same error (the lexer's: a line that is not plain goes to it)."""
    line = blank.join(parts)
    special = any(c in '"\\[]{}();' or (c.isspace() and c not in " \t") for c in line)
    if special or line.startswith("/"):
        assert special <= (_plain_words(line) is None)
        return  # the lexer reads it, as before
    text = "/ip address\n" + line + "\n"
    slow = "/ip address\n" + line + " ;\n"  # a ';': never plain, always lexed
    try:
        fast_result: object = parse.__wrapped__(text).commands
    except ScriptError as exc:
        fast_result = str(exc)
    try:
        lexed: object = parse.__wrapped__(slow).commands
    except ScriptError as exc:
        lexed = str(exc)
    assert fast_result == lexed


def joined_line_by_line(text: str) -> list[tuple[int, str]]:
    """The continuation rule read one line at a time: a line ending in an odd number of
    backslashes goes on, without its last backslash, on the next one, whose leading blanks
    are dropped."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                                  start=1):
        if pending:
            line = line.lstrip(" \t")
        else:
            first = number
        if (len(line) - len(line.rstrip("\\"))) % 2 == 1:
            pending.append(line[:-1])
            continue
        out.append((first, "".join([*pending, line])))
        pending = []
    if pending:
        out.append((first, "".join(pending)))
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="a =\\\n\r\t\"", max_size=40))
def test_a_text_without_continuations_is_split_as_it_is_joined(text: str) -> None:
    """Most texts have no continuation and are only split; the result is what joining them
    line by line gives, for every text."""
    assert logical_lines(text) == joined_line_by_line(text)
