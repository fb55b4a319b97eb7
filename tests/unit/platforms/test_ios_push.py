"""How an IOS-XE push reads what the router said: the refused line of a merge (not IOS's
caret under it, not a banner's delimiter), and the chunks of a line-by-line push."""

from __future__ import annotations

from pydriver.platforms.cisco_ios.push import chunks, lines_of, rejected_line

SENT = ("banner login ^", "Authorised use only", "^", "ip route 10.98.0.0 255.255.0.0 10.1.1.1",
        "ip route 10.99.0.0 255.255.0.0 10.1.1.1")


def test_the_refused_line_is_the_one_above_the_error() -> None:
    output = ("copy bootflash:pydriver-change.cfg running-config\r\n"
              "Destination filename [running-config]? \r\n"
              "ip route 10.98.0.0 255.255.0.0 10.1.1.1\r\n"
              "           ^\r\n"
              "% Invalid input detected at '^' marker.\r\n"
              "250 bytes copied in 0.051 secs (5000 bytes/sec)\r\nrtr#")
    assert rejected_line(output, list(SENT)) == "ip route 10.98.0.0 255.255.0.0 10.1.1.1"


def test_a_clean_merge_refuses_nothing() -> None:
    assert rejected_line("250 bytes copied in 0.051 secs\nrtr#", list(SENT)) is None


def test_an_error_with_no_known_line_above_is_itself_the_answer() -> None:
    assert rejected_line("% Incomplete command.\n", list(SENT)) == "% Incomplete command."


def test_banners_go_alone_and_a_hostname_ends_its_chunk() -> None:
    commands = ("hostname r2", "ip route 1.0.0.0 255.0.0.0 10.1.1.1",
                "banner login ^\nhello\n^", "interface Loopback0", " description x")
    assert chunks(commands) == [["hostname r2"], ["ip route 1.0.0.0 255.0.0.0 10.1.1.1"],
                                ["banner login ^\nhello\n^"],
                                ["interface Loopback0", " description x"]]
    assert len(lines_of(commands)) == 7
