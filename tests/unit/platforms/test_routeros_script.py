"""Reading RouterOS scripts and exports: continuations, quoting, menus, located errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pydriver.errors import PlanError
from pydriver.platforms.mikrotik_routeros.script import Command, ScriptError, logical_lines, parse


def test_export_sections_targets_and_flags() -> None:
    text = "\n".join([
        "# 2026-11-23 14:00:00 by RouterOS 7.16.2",
        "# software id = ABCD-1234",
        "",
        "/ip service",
        "set telnet disabled=yes",
        "/snmp community",
        "set [ find default=yes ] disabled=yes",
        "/ip dns",
        "set allow-remote-requests=no servers=10.0.0.1,10.0.0.2",
        "/routing table",
        "add fib name=vrf-a",
    ])
    cmds = parse(text).commands
    assert cmds == (
        Command(("ip", "service"), "set", "telnet", (("disabled", "yes"),), 5),
        Command(("snmp", "community"), "set", "[ find default=yes ]", (("disabled", "yes"),), 7),
        Command(("ip", "dns"), "set", None,
                (("allow-remote-requests", "no"), ("servers", "10.0.0.1,10.0.0.2")), 9),
        Command(("routing", "table"), "add", None, (("fib", ""), ("name", "vrf-a")), 11),
    )


def test_terse_lines_and_v7_slash_paths_carry_their_menu() -> None:
    text = ("/ip address add address=10.0.0.1/24 interface=ether2\n"
            "/ip/firewall/filter add chain=input action=accept\n"
            "add address=10.0.0.2/24 interface=ether3\n")
    with pytest.raises(ScriptError) as raised:  # a terse line sets no current menu
        parse(text)
    assert raised.value.line == 3
    cmds = parse(text.rsplit("add address", 1)[0]).commands
    assert [c.path for c in cmds] == [("ip", "address"), ("ip", "firewall", "filter")]
    assert cmds[1].get("action") == "accept"


def test_backslash_continuations_join_and_keep_the_first_line_number() -> None:
    text = ('/system note\nset note="first part \\\n    second part" show-at-login=\\\n'
            "    yes\n/ip dns\nset servers=10.0.0.1\n")
    assert [n for n, _ in logical_lines(text)][:3] == [1, 2, 5]
    note, dns = parse(text).commands
    assert note.get("note") == "first part second part"
    assert note.get("show-at-login") == "yes"
    assert note.line == 2 and dns.line == 6


def test_quotes_and_escapes() -> None:
    text = ('/system script\nadd name=s source="a \\"quoted\\" \\\\ path\\n'
            '\\$var \\? \\41" comment="x y"\n')
    (cmd,) = parse(text).commands
    assert cmd.get("source") == 'a "quoted" \\ path\n$var ? A'
    assert cmd.get("comment") == "x y"


def test_windows_line_ends_and_blank_lines() -> None:
    text = "/ip dns\r\n\r\nset servers=10.0.0.1\r\n\r\n"
    (cmd,) = parse(text).commands
    assert cmd.get("servers") == "10.0.0.1"


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ('/ip dns\nset servers="10.0.0.1\n', 2, "unterminated"),
    ("/ip dns\nset servers=1\nfrobnicate now\n", 3, "expected a command"),
    ("add address=10.0.0.1/24\n", 1, "before any /menu"),
    ("/ip address\nset [ find address=1.2.3.4 disabled=yes\n", 2, "missing ']'"),
    ("/ip address\nadd ] x=1\n", 2, "unbalanced"),
    ("/ip address\nadd =x\n", 2, "without a name"),
    ("/ip address\nadd [ find ] x=1\n", 2, "unexpected"),
    ("/ip $menu\nadd x=1\n", 1, "not a menu path"),
])
def test_garbage_is_refused_with_its_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ScriptError) as raised:
        parse(text)
    assert raised.value.line == line
    assert fragment in str(raised.value)
    assert isinstance(raised.value, PlanError)


_values = st.text(alphabet=st.sampled_from(list('ab9 -_.:/"\\$?;=[]{}\n\t,!@#')), max_size=16)


@given(_values, _values)
def test_text_reads_back_as_the_same_command(comment: str, source: str) -> None:
    cmd = Command(("system", "script"), "add", None,
                  (("comment", comment), ("name", "job"), ("source", source)))
    (back,) = parse(cmd.text(with_path=True)).commands
    assert back.props == cmd.props
    (again,) = parse("/system script\n" + cmd.text()).commands
    assert again.props == cmd.props
