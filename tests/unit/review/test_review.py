"""`pydriver review`: a pull request's change read from git, with no device, as a comment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.platforms.registry import driver
from pydriver.report import GITHUB_LIMIT
from pydriver.report.budget import Part, fit
from tests.conftest import Edit
from tests.unit.review.sites import git, many_sites, opd_change, repository


def review(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["review", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example in git (base on main), then a new OPD and a bandwidth change, committed
    on a branch as a pull request would be."""
    monkeypatch.chdir(tmp_path)  # no backups/ here: running configs are the base's render
    inv = repository(tmp_path / "repo")
    git(inv, "checkout", "-q", "-b", "new-opd")
    opd_change(inv)
    git(inv, "add", ".")
    git(inv, "commit", "-q", "-m", "dispar joins; kec-gunungsari gets more bandwidth")
    return inv


def test_the_comment_for_a_new_opd_and_a_bandwidth_change(changed: Path, tmp_path: Path
                                                          ) -> None:
    out = tmp_path / "review"
    code, comment = review("--base", "main", "--inventory", str(changed), "--out", str(out))
    assert code == 2, comment
    assert len(comment) <= GITHUB_LIMIT
    first = comment.splitlines()[1]
    assert first.startswith("**pydriver review** of `main`")
    assert "sites 1 added, 1 changed" in first
    assert "4 of 20 routers change (1 new, 3 updated, 0 removed)" in first
    assert "hubs `hub-drc-01`, `hub-pusdatin-01`" in first
    # in this order: summary, data, blast radius, risks, compliance, routers, diagram
    heads = ["### Source-of-truth changes", "### Blast radius", "### Risks",
             "### Compliance", "### Routers", "### Topology touched"]
    at = [comment.index(h) for h in heads]
    assert at == sorted(at)
    # the data diff, field by field, and the uplink budget before and after
    assert "- **added** `dispar` Dinas Pariwisata (`inventory/sites/dispar.yml`)" in comment
    assert "`bandwidth.guaranteed_mbps`: 10 → 25" in comment
    assert "`bandwidth.max_mbps`: 30 → 45" in comment
    assert "| dispar | inet-drc | added | hub-drc-01 | internet_vpn |" in comment
    assert "| inet-telkom | Telkom Astinet | 530 | 1500 | 540 | 1500 | 36% **changed** |" \
        in comment  # dispar's 10 Mbps
    assert "| inet-drc | Lintasarta | 40 | 450 | 55 | 450 | 12% **changed** |" in comment
    # the blast radius: routers, OPDs, hubs, and what each hub carries
    assert "- routers (4): `hub-drc-01`, `hub-pusdatin-01`, `rtr-dispar`, " \
           "`rtr-kec-gunungsari`" in comment
    assert "- OPDs and sites (2): `dispar`, `kec-gunungsari`" in comment
    assert re.search(r"`hub-pusdatin-01` carries 14 sites, all affected by its change: "
                     r".*`dispar`", comment)
    # risks, and the compliance delta: the new OPD's router meets every rule the others do
    assert "hub change: hub-pusdatin-01 changes" in comment
    assert "new routers: configured from nothing" in comment
    assert "No new or resolved findings; no waiver added or expired." in comment
    # per router: a folded rendered diff and the commands
    assert "<details><summary>`rtr-dispar` create (site, dispar; mikrotik_routeros)" in comment
    assert "+/system identity\n+set name=rtr-dispar" in comment  # its rendered file
    block = comment[comment.index("<summary>`rtr-kec-gunungsari` update"):]
    block = block[:block.index("</details>")]
    assert "-add comment=pydriver:qos/total max-limit=30M/30M" in block
    assert "+add comment=pydriver:qos/total max-limit=45M/45M" in block
    assert "Commands (against base render" in block and "max-limit=45M/45M" in block
    assert "Removed or replaced on the router:" in block
    # the diagram of the touched part
    chart = comment[comment.index("```mermaid"):]
    assert "graph LR" in chart and 'n_site_dispar("dispar (added)")' in chart
    assert "n_site_dispar -.-|\"inet-drc: internet_vpn backup (added)\"| n_hub_drc_01" in chart
    # the full report beside it
    assert (out / "comment.md").read_text() == comment
    data = json.loads((out / "review.json").read_text())
    assert data["summary"]["sites_added"] == 1 and data["summary"]["routers_created"] == 1
    assert data["compliance"]["note"] == "" and data["compliance"]["new"] == []
    assert "/system identity set name=rtr-dispar" in (out / "diffs" / "rtr-dispar.diff"
                                                       ).read_text()


def test_the_json_form_and_a_review_with_nothing_to_say(changed: Path) -> None:
    code, text = review("--base", "new-opd", "--inventory", str(changed), "--format", "json")
    assert code == 0, text
    data = json.loads(text)
    assert data["changed"] is False and data["routers"] == []
    assert "no changes" in data["summary_line"]


def test_uncommitted_changes_are_reviewed_too(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inv = repository(tmp_path / "repo")
    opd_change(inv)  # not committed
    code, comment = review("--base", "HEAD", "--inventory", str(inv))
    assert code == 2 and "with uncommitted changes" in comment.splitlines()[1]


@pytest.mark.parametrize(("ref", "why"), [
    ("--output=/tmp/x", "is not a git ref"),
    ("main..HEAD", "is not a git ref"),
    ("no-such-branch", "does not name a commit"),
])
def test_a_bad_base_ref_is_a_clear_error(changed: Path, ref: str, why: str) -> None:
    result = CliRunner().invoke(app, ["review", f"--base={ref}", "--inventory", str(changed)])
    assert result.exit_code == 1 and why in result.stderr, result.output


def test_backups_are_the_running_configs_when_there(changed: Path, tmp_path: Path) -> None:
    """A router in the backups repository is planned against its saved config (drift and
    all); the others against the base commit's render."""
    backups = tmp_path / "backups"
    backups.mkdir()
    ios = driver("cisco_ios")
    from pydriver.pipeline import Pipeline

    rendered = Pipeline(changed).rendered["hub-pusdatin-01"]
    (backups / "hub-pusdatin-01.cfg").write_text(
        ios.as_running(rendered) + "ip route 10.99.0.0 255.255.0.0 10.254.1.1\n")
    git(backups, "init", "-q")
    git(backups, "add", ".")
    git(backups, "commit", "-q", "-m", "backup")
    code, text = review("--base", "main", "--inventory", str(changed), "--format", "json",
                        "--backups", str(backups))
    assert code == 2
    data = json.loads(text)
    assert data["running_from"].startswith(f"backups {backups} at ")
    hub = next(r for r in data["routers"] if r["host"] == "hub-pusdatin-01")
    assert hub["against"] == "backups"
    assert "no ip route 10.99.0.0 255.255.0.0 10.254.1.1" in hub["commands"]
    other = next(r for r in data["routers"] if r["host"] == "hub-drc-01")
    assert other["against"] == "base render"


def test_fitting_shortens_in_order_and_never_cuts_a_fixed_part() -> None:
    parts = [Part("summary", ("S" * 100,)), Part("big", ("B" * 1000, "b" * 100, ""), 0),
             Part("risks", ("R" * 300,)), Part("other", ("O" * 500, "o" * 50), 1)]
    assert fit(parts, 2000).shortened == ()
    fitted = fit(parts, 1000)
    assert fitted.shortened == ("big",) and len(fitted.text) <= 1000  # "other" kept whole
    fitted = fit(parts, 500)
    assert fitted.text == "S" * 100 + "R" * 300 + "o" * 50 and not fitted.over
    fitted = fit(parts, 100)  # the fixed parts alone are over: kept whole, said so
    assert fitted.over and fitted.text.startswith("S" * 100) and "R" * 300 in fitted.text


@pytest.mark.slow
def test_a_300_site_change_fits_the_comment_and_loses_nothing_of_the_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inv = repository(tmp_path / "repo")
    many_sites(inv, 300)
    out = tmp_path / "review"
    code, comment = review("--base", "main", "--inventory", str(inv), "--out", str(out))
    assert code == 2
    assert len(comment) <= GITHUB_LIMIT
    full = json.loads((out / "review.json").read_text())
    assert full["summary"]["sites_added"] == 300 and full["summary"]["routers_created"] == 300
    assert comment.splitlines()[1] == full["summary_line"]  # the summary, whole
    risks = comment[comment.index("### Risks"):comment.index("### Compliance")]
    for risk in full["risks"]:  # every flag, with every router or site it names
        assert risk["text"] in risks
        assert all(f"`{w}`" in risks for w in risk["where"])
    assert "rtr-opd-299" in risks
    assert "the full report: " + str(out / "review.md") in comment
    assert len((out / "review.md").read_text()) > 10 * GITHUB_LIMIT  # everything is there


def test_an_inventory_outside_git_is_a_clear_error(inv: Path) -> None:
    result = CliRunner().invoke(app, ["review", "--base", "main", "--inventory", str(inv)])
    assert result.exit_code == 1 and "is not in a git repository" in result.stderr


def test_the_compliance_delta_names_new_and_resolved_findings(inv: Path, edit: Edit) -> None:
    from datetime import date

    from pydriver.pipeline import Pipeline
    from pydriver.review.compliance import compliance_delta

    base = Pipeline(inv)
    assert base.network
    edit("region.yml", "    address: Jl. Pejanggik No. 12, Mataram\n", "")
    edit("waivers.yml", "expires: 2027-06-30", "expires: 2026-01-31")
    delta = compliance_delta(base, Pipeline(inv), today=date(2026, 12, 1))
    assert [(f.rule, f.scope) for f in delta.new if f.rule == "JIP-16"] == [("JIP-16", "network")]
    assert any(f.rule == "JIP-12" for f in delta.new)  # the PSK waiver ran out
    assert [(w.rule, w.expires) for w in delta.waivers_expired] == [("JIP-12", "2026-01-31")]
    assert not delta.resolved and not delta.note
