"""Real RouterOS v7 configurations, written by other people, on a twin booted from each.

The corpus (``tests/fixtures/realworld/routeros``, sources in its ``SOURCES.md``) covers
what production routers carry and pydriver never renders: OSPF, BGP with address families,
WireGuard, VXLAN, bonding, bridge VLANs, CAPsMAN, PPP, hotspot, IPv6 firewall, containers,
scripts hundreds of lines long. Each file is loaded line by line into a fresh twin; the
lines the twin refuses are known, listed in ``SOURCES.md`` and refused by a router too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.engine.load import LoadReport
from pydriver.platforms.mikrotik_routeros.normalise import normalise

CORPUS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "realworld" / "routeros"
CORPUS = sorted(CORPUS_DIR.glob("*.rsc"))
#: Lines a router refuses as well (SOURCES.md says why): file -> line numbers.
KNOWN_BAD = {
    "amirhne-hq.rsc": {5},
    "defm-anna.rsc": {301},
    "rotko-bkk20.rsc": {235, 264},
}


@functools.cache
def twin(name: str) -> tuple[RouterOSEngine, LoadReport]:
    text = (CORPUS_DIR / name).read_text(encoding="utf-8")
    return RouterOSEngine.from_export(name.removesuffix(".rsc"), text, scheduler=NoTimers())


def test_the_corpus_is_large_varied_and_sourced() -> None:
    sources = (CORPUS_DIR / "SOURCES.md").read_text()
    assert len(CORPUS) >= 10
    authors = {re.split(r"[-.]", p.name)[0] for p in CORPUS}
    assert len(authors) >= 10
    for path in CORPUS:
        assert f"`{path.name}`" in sources, f"{path.name} has no source listed"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_each_file_loads_with_only_known_refusals(
        path: Path, record_property: Callable[[str, object], None]) -> None:
    engine, report = twin(path.name)
    record_property("accepted", f"{report.accepted}/{report.lines}")
    physical = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    for refused in report.refused:
        # the number is the line the command starts on, and the report quotes it
        assert physical[refused.line_no - 1].strip()[:20] in refused.text
        assert refused.error  # RouterOS's own words, e.g. "input does not match ..."
    assert {r.line_no for r in report.refused} == KNOWN_BAD.get(path.name, set()), \
        "\n".join(f"{r.line_no}: {r.error}: {r.text[:120]}" for r in report.refused)
    assert report.lines > 0 and engine.generation > 0


def test_at_least_98_percent_of_all_lines_are_accepted() -> None:
    reports = [twin(p.name)[1] for p in CORPUS]
    lines = sum(r.lines for r in reports)
    accepted = sum(r.accepted for r in reports)
    assert lines > 2000
    assert accepted / lines >= 0.98, f"{accepted}/{lines}"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_export_loads_into_a_fresh_twin_and_exports_the_same(path: Path) -> None:
    engine, _ = twin(path.name)
    first = engine.export("show-sensitive")
    again, report = RouterOSEngine.from_export("again", first, scheduler=NoTimers())
    assert report.refused == ()
    second = again.export("show-sensitive")
    assert normalise(second) == normalise(first)
    assert second.split("\n", 5)[5] == first.split("\n", 5)[5]  # the text too, after the header


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_the_twin_keeps_what_the_file_says(path: Path) -> None:
    """The twin's export says what the file said, command for command, once both are in
    canonical form (the refused lines aside)."""
    engine, report = twin(path.name)
    source = path.read_text(encoding="utf-8")
    mine = normalise(engine.export("show-sensitive")).splitlines()
    theirs = normalise(source).splitlines()
    missing = [line for line in theirs if line not in mine and not line.startswith("/")]
    allowed = len(report.refused) + _designators(source)
    assert len(missing) <= allowed, "\n".join(missing[:10])


def _designators(source: str) -> int:
    """Built-in items a file names in another spelling than an export (``set [ find
    name=memory ]`` for ``set 0``): both are right, their canonical texts differ."""
    return len(re.findall(r"set \[ find name=\w+ \]", source))
