"""One count of post-checks: the live table, the summary and the audit record of an apply
on emulated routers say the same numbers, router by router; and the output says the
target is the lab."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydriver.deploy import audit
from pydriver.lab import manage
from pydriver.lab.model import LAB_SECRET
from pydriver.pipeline import Pipeline
from tests.lab.conftest import Lab, lab_env, make_inventory

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The IOS-XE hub and two IOS-XE sites (one with a backup link to a hub left out)."""
    base = tmp_path_factory.mktemp("counts")
    inv = make_inventory(base, ("dinkes", "dishub"))
    state = base / ".pydriver"
    manage.up(Pipeline(inv, state=state), state, {"linux_frr", "mikrotik_routeros"},
              minute_seconds=2.0)
    try:
        yield Lab(inv, state, {**lab_env(inv, state), "COLUMNS": "250"}, base)
    finally:
        manage.down(state)


def _table(text: str) -> dict[str, tuple[str, int]]:
    """host -> (status, checks passed) from the live table's last drawing."""
    rows: dict[str, tuple[str, int]] = {}
    for m in re.finditer(r"│\s*\d+\s*│\s*(\S+)\s*│\s*(\S+)\s*│\s*\d+ commands, (\d+) checks "
                         r"passed", text):
        rows[m[1]] = (m[2], int(m[3]))
    return rows


def _summary(text: str) -> dict[str, tuple[str, int, int]]:
    """host -> (status, passed, waiting) from the summary lines."""
    out = {}
    for m in re.finditer(r"^(\S+): (\S+) - (\d+) post-checks passed(?:, (\d+) waiting for "
                         r"the other end)?$", text, re.M):
        out[m[1]] = (m[2], int(m[3]), int(m[4] or 0))
    return out


def test_table_summary_and_audit_agree(lab: Lab) -> None:
    for host in ("hub-pusdatin-01", "rtr-dinkes", "rtr-dishub"):  # whichever test ran first
        lab.control("run", name=host, lines=["enable", LAB_SECRET, "write erase", "y"])
        lab.control("reboot", name=host)
    r = lab.cli("apply", "--no-canary", "--wave-size", "100%", "--revert-after", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Target: the LAB (3 twin routers of " in r.stdout.splitlines()[0]
    assert re.search(r"^apply: 3 applied, 2 skipped \(on the LAB", r.stdout, re.M), r.stdout
    table, summary = _table(r.stderr), _summary(r.stdout)
    record = [rec for rec in audit.records(lab.state) if rec["event"] == "apply"][-1]
    routers = {h: o for h, o in record["routers"].items() if o["status"] == "applied"}
    assert set(table) == set(summary) == set(routers) == \
        {"hub-pusdatin-01", "rtr-dinkes", "rtr-dishub"}
    for host, o in routers.items():
        assert table[host] == ("applied", o["checks_passed"]), host
        assert summary[host] == ("applied", o["checks_passed"], o["checks_excused"]), host
        # a site must come up whole; the hub, first, may wait for sites not configured yet
        assert o["checks_passed"] > 0 or host.startswith("hub-"), (host, o)
    # the site with a backup link to a hub this lab leaves out: that session is excused
    assert routers["rtr-dinkes"]["checks_excused"] > 0
    assert json.loads(json.dumps(record))["dry_run"] is False


def test_a_second_plan_is_empty_and_says_no_changes(lab: Lab) -> None:
    r = lab.cli("apply", "--no-canary", "--wave-size", "100%", "--revert-after", "30")
    assert r.returncode == 0, r.stdout + r.stderr  # converged, whichever test ran first
    r = lab.cli("plan", "--format", "markdown")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No changes. The routers match the source of truth." in r.stdout
    assert "**Target: the LAB (3 twin routers of" in r.stdout


def test_state_lives_beside_the_inventory(lab: Lab) -> None:
    assert lab.state == Path(lab.inventory).parent / ".pydriver"
    r = lab.cli("lab", "status", "--inventory", str(lab.inventory), "--json")
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 3


def test_lab_up_says_how_to_get_the_lab_secrets(lab: Lab) -> None:
    unset = {k: "" for k in lab.env if k.startswith("JIP_")}
    r = lab.cli("lab", "up", "--inventory", str(lab.inventory), "--skip-platform", "linux_frr",
                "--skip-platform", "mikrotik_routeros", env=unset)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "twins added: none" in r.stdout
    assert re.search(r"\d+ secret\(s\) of the inventory are not set here; for the lab only: "
                     r"eval \"\$\(pydriver lab env --inventory .*\)\"", r.stdout), r.stdout
