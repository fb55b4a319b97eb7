"""Public IOS-XE running configs, other people's, loaded into the twin.

A twin of production must take a real router's backup as it is: each file of the corpus
(``tests/fixtures/realworld/ios``, sources in its SOURCES.md) is loaded into a fresh engine,
the refused lines are listed with their line numbers, at least 98% must be accepted, and the
twin's ``show running-config`` must survive being loaded again (a reload of itself).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydriver.platforms.cisco_ios.engine import IOSEngine
from pydriver.platforms.emulation import LoadReport, NoTimers

CORPUS = Path(__file__).parents[2] / "fixtures" / "realworld" / "ios"
FILES = sorted(CORPUS.glob("*.cfg"))
# captures of show running-config (the others were typed: abbreviated, ``interface range``)
SHOW_RUN = [p for p in FILES if "_typed_" not in p.name]
_VOLATILE = re.compile(r"^(Building configuration|Current configuration|! Last configuration)")


def _engine(name: str = "twin") -> IOSEngine:
    return IOSEngine(name, scheduler=NoTimers())


def _normalised(show_run: str) -> list[str]:
    """show running-config without what changes from one boot to the next."""
    return [ln.rstrip() for ln in show_run.splitlines() if not _VOLATILE.match(ln)]


def _describe(report: LoadReport) -> str:
    return "\n".join(f"  line {r.line_no}: {r.text.strip()!r}" for r in report.refused)


def test_the_corpus_has_eight_configs_of_different_sources() -> None:
    sources = (CORPUS / "SOURCES.md").read_text()
    assert len(FILES) >= 8
    for path in FILES:
        assert f"`{path.name}`" in sources, f"{path.name} has no source listed"
    repositories = set(re.findall(r"github\.com/([\w.-]+/[\w.-]+)", sources))
    assert len(repositories) >= 5


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_public_config_loads_and_survives_its_own_show_run(path: Path) -> None:
    text = path.read_text()
    first = _engine()
    report = first.load_config(text)
    assert report.lines > 20
    assert report.ratio >= 0.98, (
        f"{path.name}: {report.accepted}/{report.lines} accepted; refused:\n{_describe(report)}"
    )
    shown = first.running_text()
    second = _engine()
    again = second.load_config(shown)
    assert again.refused == (), f"the twin refuses its own show run:\n{_describe(again)}"
    assert _normalised(second.running_text()) == _normalised(shown)


@pytest.mark.parametrize("path", SHOW_RUN, ids=[p.stem for p in SHOW_RUN])
def test_what_a_public_config_says_is_shown_back(path: Path) -> None:
    """Accepting a line is not enough: the twin must show it (IOS rewrites a few)."""
    text = path.read_text()
    engine = _engine()
    engine.load_config(text)
    shown = {ln.strip() for ln in engine.running_text().splitlines()}
    body = text.split("\nend")[0]
    missing = [
        ln.strip()
        for ln in body.splitlines()
        if ln.strip()
        and not ln.strip().startswith("!")
        and ln.strip() not in shown
        and not _VOLATILE.match(ln)
        and not re.fullmatch(r"([0-9A-F]{8} ?)+|[0-9A-F]+|quit|no shutdown", ln.strip())
    ]
    # what IOS itself does not show back: defaults typed out (``cdp run``, ``no shutdown``)
    assert set(missing) <= {"cdp run"}, missing


def test_a_typed_config_is_placed_as_ios_places_it() -> None:
    engine = _engine()
    report = engine.load_config((CORPUS / "cml_typed_rtr2.cfg").read_text())
    assert report.refused == ()
    assert engine.ports == frozenset(f"Ethernet0/{i}" for i in range(4))
    shown = engine.running_text()
    assert "interface Ethernet0/0\n ip address 10.1.1.2 255.255.255.252\n ip nat inside\n!" in shown
    assert "interface Ethernet0/2\n no ip address\n shutdown\n!" in shown  # from the range
    assert "interface Ethernet0/3\n no ip address\n ip nat outside\n shutdown\n!" in shown
    assert "ip nat inside source list 1 interface Ethernet0/3 overload" in shown


def test_a_backup_brings_its_chassis() -> None:
    text = (CORPUS / "batfish_vrf_leaking.cfg").read_text()
    engine = _engine()
    engine.load_config(text)
    assert engine.hardware.pid == "CSR1000V"
    assert engine.hardware.serial == "908W396SVUE"
    assert engine.ports == frozenset(f"GigabitEthernet{i}" for i in range(1, 11))
    assert not engine.unsaved()  # the backup is the startup config, as after a reload


def test_refused_lines_are_reported_with_line_numbers_and_the_ios_error() -> None:
    engine = _engine()
    report = engine.load_config(
        "hostname twin\n"
        "!\n"
        "interface Loopback0\n"
        " ip address 10.0.0.1 255.255.255.255\n"
        " ip adress 10.0.0.2 255.255.255.255 secondary\n"
        "frobnicate all the things\n"
        "banner motd ^C\n"
        "frobnicate is fine inside a banner\n"
        "^C\n"
        "end\n"
        "this line is after end\n"
    )
    assert report.lines == 6
    assert [(r.line_no, r.text) for r in report.refused] == [
        (5, " ip adress 10.0.0.2 255.255.255.255 secondary"),
        (6, "frobnicate all the things"),
    ]
    assert report.refused[0].error == "    ^\n% Invalid input detected at '^' marker."
    assert report.refused[1].error.startswith("^\n% Invalid input")
    assert engine.hostname == "twin"
    assert "frobnicate is fine inside a banner" in engine.running_text()
