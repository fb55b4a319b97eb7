"""`pydriver check --format junit|sarif|html`: each form validated against its published
schema (vendored in tests/fixtures/schemas, see SOURCES.md) and checked against the report
it came from, finding for finding."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
import xmlschema
from typer.testing import CliRunner

from pydriver.cli import check as check_cli
from pydriver.compliance.model import Report, Severity, Status
from pydriver.report.compliance import FORMATS, render
from pydriver.report.groups import by_router_rule, worst
from tests.conftest import EXAMPLE
from tests.unit.report.conftest import EXPIRED, JUSTIFICATION

SCHEMAS = Path(__file__).resolve().parents[2] / "fixtures" / "schemas"


def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_every_format_is_offered() -> None:
    assert {"text", "json", "markdown", "junit", "sarif", "html"} <= set(FORMATS)


def test_the_report_has_failures_waivers_and_skips(waived_report: Report) -> None:
    counts = waived_report.counts()
    assert counts["fail"] and counts["waived"] and counts["not-assessed"]
    assert counts["not-applicable"] and counts["pass"]


def test_junit_is_valid_and_matches_the_report(waived_report: Report) -> None:
    text = render(waived_report, "junit")
    xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd")).validate(text)
    root = ET.fromstring(text)
    groups = by_router_rule(waived_report)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(groups)
    expected = Counter(worst(f.status for f in found) for found in groups.values())
    assert len(root.findall("testsuite/testcase/failure")) == expected[Status.FAIL]
    skipped = root.findall("testsuite/testcase/skipped")
    assert len(skipped) == len(groups) - expected[Status.FAIL] - expected[Status.PASS]
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [*waived_report.routers, "network"]
    for suite in suites.values():
        assert int(suite.get("tests") or -1) == len(suite.findall("testcase"))
        assert int(suite.get("failures") or -1) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped") or -1) == len(suite.findall("testcase/skipped"))
    # the waiver (platform-wide) shows as skipped with its justification on every Linux router
    linux = {f.router for f in waived_report.findings
             if f.rule == "JIP-12" and f.status is Status.WAIVED}
    assert linux
    for router in linux:
        case = suites[router].find("testcase[@name='JIP-12 " +
                                   waived_report.rule("JIP-12").title + "']")
        assert case is not None
        skip = case.find("skipped")
        assert skip is not None and JUSTIFICATION in (skip.get("message") or "")
    # the expired waiver leaves a failure, with the expiry said
    dinkes = suites["rtr-dinkes"].find("testcase[@classname='jip.rtr-dinkes']/failure"
                                       "[@type='JIP-12 " +
                                       waived_report.rule("JIP-12").severity.value + "']")
    assert dinkes is not None and "expired" in (dinkes.get("message") or "")


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


def test_sarif_is_valid_and_locates_each_result(waived_report: Report) -> None:
    doc = json.loads(render(waived_report, "sarif"))
    _sarif_validator().validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in waived_report.rules]
    for meta, rule in zip(rules, waived_report.rules, strict=True):
        assert meta["shortDescription"]["text"] == rule.title
        assert rule.remediation in meta["help"]["text"]
        assert all(c in meta["help"]["text"] for c in rule.citation)
        want = {Severity.CRITICAL: "error", Severity.HIGH: "error",
                Severity.MEDIUM: "warning", Severity.LOW: "note"}[rule.severity]
        assert meta["defaultConfiguration"]["level"] == want
    judged = [f for f in waived_report.findings if f.status in (Status.FAIL, Status.WAIVED)]
    results = _results(doc)
    assert len(results) == len(judged)
    for result, f in zip(results, judged, strict=True):
        assert result["ruleId"] == f.rule
        assert rules[result["ruleIndex"]]["id"] == f.rule
        phys = result["locations"][0].get("physicalLocation")
        if f.evidence is not None:
            assert phys["artifactLocation"]["uri"] == f.evidence.file
            assert phys["region"]["startLine"] == f.evidence.line
        elif f.router:  # an absent setting: the router's own config file
            assert phys["artifactLocation"]["uri"].startswith(f"build/{f.router}/")
        suppressed = result.get("suppressions")
        if f.status is Status.WAIVED:
            assert suppressed is not None
            assert suppressed[0]["status"] == "accepted"
            assert suppressed[0]["justification"] == f.waiver
        else:
            assert suppressed is None
    assert any(JUSTIFICATION in r["suppressions"][0]["justification"]
               for r in results if "suppressions" in r)
    assert any(EXPIRED in r["message"]["text"] or "expired" in r["message"]["text"]
               for r in results if r["ruleId"] == "JIP-12")
    assert run["properties"]["counts"] == waived_report.counts()


def test_sarif_schema_rejects_a_broken_document(waived_report: Report) -> None:
    """The validation can fail: a result without a message is not SARIF."""
    doc = json.loads(render(waived_report, "sarif"))
    del _results(doc)[0]["message"]
    errors = list(_sarif_validator().iter_errors(doc))
    assert errors


def test_html_is_self_contained(waived_report: Report) -> None:
    page = render(waived_report, "html")
    assert page == render(waived_report, "html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert page.count('<tr class="finding"') == len(waived_report.findings)
    assert JUSTIFICATION in page


def _app() -> typer.Typer:
    app = typer.Typer()
    check_cli.register(app)

    @app.callback()
    def _root() -> None:
        """A group, so the command keeps its name."""

    return app


def test_check_writes_sarif_and_keeps_the_exit_code(tmp_path: Path, inv: Path) -> None:
    out = tmp_path / "check.sarif"
    clean = CliRunner().invoke(_app(), ["check", "--inventory", str(EXAMPLE), "--format",
                                        "sarif", "--out", str(out), "--backups",
                                        str(tmp_path / "none")])
    assert clean.exit_code == 0, clean.output  # the example passes (its PSK use is waived)
    (inv / "waivers.yml").unlink()  # without the waiver, the shared PSK is a failure
    r = CliRunner().invoke(_app(), ["check", "--inventory", str(inv), "--format", "sarif",
                                    "--out", str(out), "--backups", str(tmp_path / "none")])
    assert r.exit_code == 1, r.output
    doc = json.loads(out.read_text())
    _sarif_validator().validate(doc)
    assert _results(doc)
    assert "check (rendered):" in r.output  # the terminal still gets the summary


def test_catalogues_have_the_same_words() -> None:
    from pydriver.errors import PydriverError
    from pydriver.report.i18n import LANGUAGES, messages

    keys = [set(messages(lang)) for lang in LANGUAGES]
    assert all(k == keys[0] for k in keys)
    with pytest.raises(PydriverError, match="language 'fr'"):
        messages("fr")
