"""What apply checks before it touches a router, and where an inventory keeps its state."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.deploy.apply import check_current, require_secrets
from pydriver.deploy.lock import apply_lock, lock_path
from pydriver.errors import ApplyError, PlanError
from pydriver.lab.secrets import lab_environment
from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan
from pydriver.plan.model import Plan, SotRef
from pydriver.sot.references import secret_locations
from tests.conftest import EXAMPLE


def fresh_plan(inv: Path) -> Plan:
    """A plan for the example's IOS-XE routers as they come from the factory (no device)."""
    pipe = Pipeline(inv)
    running = {h: "hostname Router\n" for h, c in pipe.rendered.items()
               if c.platform.value == "cisco_ios"}
    return make_plan(pipe.intents, pipe.rendered, running, pipe.sot, "test")


def test_every_missing_secret_is_listed_with_where_it_is_written(example: Path) -> None:
    pipe = Pipeline(example)
    plan = fresh_plan(example)
    where = secret_locations(pipe.source, pipe.network)
    with pytest.raises(ApplyError) as caught:
        require_secrets(plan, {}, None, where)
    text = str(caught.value)
    from pydriver.deploy.apply import missing_secrets

    missing = missing_secrets(plan, {}, None)
    assert len(missing) > 10  # the hub needs every site's key
    assert text.startswith(f"{len(missing)} secret(s) not available; no router was touched:")
    assert all(f"  {ref} (" in text for ref in missing)
    assert "env:JIP_PSK_DINKES (set JIP_PSK_DINKES in the environment), needed by " \
           "hub-pusdatin-01, rtr-dinkes" in text
    region = (example / "region.yml").read_text().splitlines()
    for ref, line in re.findall(r"  (env:\S+) .*\n    written at inventory/region.yml:(\d+)",
                                text):
        assert ref in region[int(line) - 1] or "{SITE}" in region[int(line) - 1], ref
    dinkes = re.search(r"env:JIP_PSK_DINKES .*\n(    written at .*\n)+", text + "\n")
    assert dinkes and "written at inventory/sites/dinkes.yml:" in dinkes.group(0)
    assert "written at inventory/region.yml:" in dinkes.group(0)  # the {SITE} rule
    # all there: nothing raised; only some routers: only their secrets
    require_secrets(plan, dict.fromkeys(where, "x"), None, where)
    with pytest.raises(ApplyError, match=r"^6 secret\(s\)") as caught:
        require_secrets(plan, {}, {"rtr-dishub"}, where)
    assert "JIP_PSK_DINKES" not in str(caught.value)


def test_a_stale_plan_says_what_moved() -> None:
    plan = Plan(3, SotRef("a" * 40, "1" * 64), "test")
    check_current(plan, SotRef("b" * 40, "1" * 64))  # another commit, same inventory: fine
    with pytest.raises(PlanError) as caught:
        check_current(plan, SotRef("b" * 40 + "+dirty", "2" * 64))
    text = str(caught.value)
    assert f"inventory digest: {'1' * 16} in the plan, {'2' * 16} now" in text
    assert f"commit: {'a' * 40} in the plan, {'b' * 40}+dirty now" in text
    assert "the inventory has uncommitted changes" in text
    with pytest.raises(PlanError, match=r"commit: a{40} \(unchanged\)"):
        check_current(plan, SotRef("a" * 40, "3" * 64))


def test_two_inventories_on_one_machine_get_two_states_and_two_locks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDRIVER_STATE", raising=False)
    a, b = tmp_path / "provinsi" / "inventory", tmp_path / "kabupaten" / "inventory"
    shutil.copytree(EXAMPLE, a)
    shutil.copytree(EXAMPLE, b)
    sa, sb = Pipeline(a).state, Pipeline(b).state
    assert sa == tmp_path / "provinsi" / ".pydriver"
    assert sb == tmp_path / "kabupaten" / ".pydriver"
    assert lock_path(sa, a).parent != lock_path(sb, b).parent
    with apply_lock(sa, a), apply_lock(sb, b), \
            pytest.raises(ApplyError, match="another apply is running"), apply_lock(sa, a):
        pass  # both held at once (two locks); a second apply of the first is refused
    assert Pipeline(a, state=tmp_path / "s").state == tmp_path / "s"
    monkeypatch.setenv("PYDRIVER_STATE", str(tmp_path / "env"))
    assert Pipeline(a).state == tmp_path / "env"  # the override tests and CI use


@pytest.fixture
def saved(inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(fresh_plan(inv).to_json())
    monkeypatch.setenv("PYDRIVER_STATE", str(tmp_path / "state"))
    return path


def test_dry_run_shows_the_wave_schedule_and_exits_0(
        inv: Path, saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in lab_environment(Pipeline(inv)).items():
        monkeypatch.setenv(name, value)
    r = CliRunner().invoke(app, ["apply", str(saved), "--inventory", str(inv), "--dry-run",
                                 "--wave-size", "2"])
    assert r.exit_code == 0, r.output
    assert "Dry run, nothing sent. A real run goes in 3 waves" in r.stdout
    assert re.search(r"wave 1 \(hub, canary\): hub-pusdatin-01 \(create, \d+ commands\)",
                     r.stdout)
    assert re.search(r"wave 2 \(site, canary\): rtr-bpkad \(create, \d+ commands\)", r.stdout)
    assert re.search(r"wave 3 \(site\): rtr-dinkes \(create, \d+ commands\), rtr-dishub", r.stdout)
    r = CliRunner().invoke(app, ["apply", str(saved), "--inventory", str(inv), "--dry-run",
                                 "--json", "--no-canary", "--wave-size", "100%"])
    waves = json.loads(r.stdout)["waves"]
    assert [[x["host"] for x in w["routers"]] for w in waves] == [
        ["hub-pusdatin-01"], ["rtr-bpkad", "rtr-dinkes", "rtr-dishub"]]


def test_dry_run_refuses_what_the_real_run_would(inv: Path, saved: Path) -> None:
    r = CliRunner().invoke(app, ["apply", str(saved), "--inventory", str(inv), "--dry-run"],
                           env=dict.fromkeys(lab_environment(Pipeline(inv)), ""))
    assert r.exit_code == 1
    assert "secret(s) not available; no router was touched" in r.stderr
    assert "written at inventory/sites/dinkes.yml:" in r.stderr
    (inv / "sites" / "dinkes.yml").write_text((inv / "sites" / "dinkes.yml").read_text() + "#\n")
    r = CliRunner().invoke(app, ["apply", str(saved), "--inventory", str(inv), "--dry-run"])
    assert r.exit_code == 1 and "the source of truth changed since this plan" in r.stderr
