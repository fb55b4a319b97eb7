"""The compliance stage on real config text: the example passes, a flipped setting fails
with the router, the rule and the line, waivers are honoured and located."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from pydriver.compliance.model import Report, Status
from pydriver.compliance.rules import rules
from pydriver.errors import SourceError
from pydriver.pipeline import Pipeline
from tests.conftest import Edit

TODAY = date(2026, 12, 1)


def failing(report: Report) -> set[tuple[str, str | None]]:
    return {(f.rule, f.router) for f in report.findings if f.status is Status.FAIL}


def running_of(pipe: Pipeline, host: str) -> str:
    """The rendered config in its running form (what a backup or a device read holds)."""
    rendered = pipe.rendered[host]
    if len(rendered.files) == 1:
        return rendered.main
    return "".join(f"### pydriver file: {name}\n{text}" for name, text in rendered.files)


def test_the_rules_are_data_with_checks_and_citations() -> None:
    ids = [r.id for r in rules()]
    assert ids == [f"JIP-{n:02d}" for n in range(1, 23)]
    assert all(r.citation and r.rationale and r.remediation for r in rules())


def test_the_example_fails_nothing_it_does_not_waive(example: Path) -> None:
    report = Pipeline(example).check(today=TODAY)
    waived = {f.rule for f in report.findings if f.status is Status.WAIVED}
    assert waived == {"JIP-12"}
    assert not failing(report), failing(report)
    psk = next(f for f in report.findings if f.status is Status.WAIVED)
    assert "NTBProv-CSIRT" in (psk.waiver or "") and psk.evidence is not None


@pytest.mark.parametrize(("host", "change", "rule"), [
    ("rtr-bpbd", ("set telnet disabled=yes", "set telnet disabled=no"), "JIP-03"),
    ("rtr-bpbd", ("enc-algorithm=aes-256", "enc-algorithm=3des"), "JIP-08"),
    ("rtr-bpbd", ("dh-group=ecp256,ecp384,modp2048", "dh-group=modp1024"), "JIP-10"),
    ("rtr-bpbd", ("/user\n", "/user\nadd group=full name=admin\n"), "JIP-05"),
    ("rtr-bpbd", ("set ssh address=10.250.10.0/24,10.250.20.0/24", "set ssh"), "JIP-02"),
    ("rtr-dinkes", (" transport input ssh\n", " transport input ssh telnet\n"), "JIP-03"),
    ("rtr-dinkes", (" encryption aes-cbc-256\n", " encryption 3des\n"), "JIP-08"),
    ("rtr-dinkes", ("username baiq.nurul", "username cisco privilege 15 secret x\n"
                    "username baiq.nurul"), "JIP-05"),
    ("rtr-bpbd", ("use-radius=yes", "use-radius=no"), "JIP-05"),
    ("rtr-dinkes", ("aaa authentication login default group JIP-RADIUS local\n", ""),
     "JIP-05"),
    ("rtr-dinkes", ("no cdp run\n", ""), "JIP-04"),
    ("rtr-dinkes", (" exec-timeout 10 0\n", " exec-timeout 30 0\n"), "JIP-20"),
    ("rtr-pkm-tanjung", ("ip saddr @mgmt tcp dport 22 accept", "tcp dport 22 accept"),
     "JIP-02"),
    ("rtr-pkm-tanjung", ("aes256-sha256-prfsha256-ecp256", "3des-sha1-prfsha1-modp1024"),
     "JIP-08"),
])
def test_a_flipped_setting_names_the_router_the_rule_and_the_line(
        example: Path, host: str, change: tuple[str, str], rule: str) -> None:
    pipe = Pipeline(example)
    text = running_of(pipe, host)
    assert change[0] in text
    changed = text.replace(change[0], change[1], 1)
    report = pipe.check({host: (changed, f"backups/{host}.cfg")}, "backups", today=TODAY)
    hits = [f for f in report.findings if f.status is Status.FAIL and f.router == host
            and f.rule == rule]
    assert hits, [(f.rule, f.message) for f in report.findings if f.router == host
                  and f.status is Status.FAIL]
    found = [f for f in hits if f.evidence is not None]
    if change[1]:  # a removed line has no line to point at: the default is the evidence
        assert found and found[0].evidence is not None
        ev = found[0].evidence
        assert ev.file == f"backups/{host}.cfg"
        line = changed.split("\n")[ev.line - 1]
        assert line.strip() in ev.text or ev.text.strip() in line  # RouterOS: with its menu
    others = {f.router for f in report.findings if f.status is Status.NOT_ASSESSED
              and f.rule == rule}
    assert host not in others


def test_a_router_without_a_backup_is_not_assessed_never_compliant(example: Path) -> None:
    pipe = Pipeline(example)
    report = pipe.check({"rtr-bpbd": (running_of(pipe, "rtr-bpbd"), "backups/rtr-bpbd.rsc")},
                        "backups", today=TODAY)
    dinkes = {f.status for f in report.findings if f.router == "rtr-dinkes"
              and report.rule(f.rule).scope == "config"}
    assert dinkes == {Status.NOT_ASSESSED}


def test_waivers_expire_and_are_checked_against_the_rules(inv: Path, edit: Edit) -> None:
    report = Pipeline(inv).check(today=date(2027, 7, 1))
    expired = [f for f in report.findings if f.rule == "JIP-12" and f.status is Status.FAIL]
    assert expired and all("expired on 2027-06-30" in f.message for f in expired)
    edit("waivers.yml", "rule: JIP-12", "rule: JIP-99")
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).network
    (problem,) = info.value.problems
    assert problem.location is not None and problem.location.file.endswith("waivers.yml")
    assert "JIP-99" in problem.message and problem.location.line == 5


def test_a_waiver_that_matches_nothing_is_a_located_error(inv: Path, edit: Edit) -> None:
    edit("waivers.yml", "scope: {all: true}", "scope: {router: rtr-nowhere}")
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).network
    (problem,) = info.value.problems
    assert "rtr-nowhere" in problem.message and problem.location is not None
    edit("waivers.yml", "scope: {router: rtr-nowhere}", "scope: {site: dinkes}")
    edit("waivers.yml", "expires: 2027-06-30", "expires: 30/06/2027")
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).network
    assert re.search(r"waivers\.yml:\d+:\d+", str(info.value))
