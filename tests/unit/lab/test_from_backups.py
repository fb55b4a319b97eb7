"""Booting twins from backups, without a lab: lab values for a backup's secrets, refused
lines reported by their number in the backup and never with a value, and what ``lab up
--from backups`` refuses before it starts anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pydriver.deploy import backup as backups
from pydriver.errors import LabError
from pydriver.lab.from_backups import Filler, TwinBootError, boot, check, prepare, summary
from pydriver.lab.secrets import lab_environment, lab_redacted, lab_secrets, lab_value
from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

ROOT = Path(__file__).resolve().parents[3]
LINUX = "linux_frr"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(ROOT / "inventory")


def test_secrets_get_the_values_a_rehearsal_runs_with(pipe: Pipeline) -> None:
    env = {"JIP_RADIUS_SECRET": "from-the-environment"}
    values = lab_secrets(pipe, ["env:JIP_RADIUS_SECRET", "env:JIP_PSK_DISHUB",
                                "env:NOT_IN_THE_INVENTORY", "file:no/such/file"], env)
    assert values["env:JIP_RADIUS_SECRET"] == "from-the-environment"
    # unset: the value lab_environment gives the rehearsal's plan and apply
    assert values["env:JIP_PSK_DISHUB"] == lab_value("JIP_PSK_DISHUB") == \
        lab_environment(pipe, env)["JIP_PSK_DISHUB"]
    assert "JIP_RADIUS_SECRET" not in lab_environment(pipe, env)
    assert values["env:NOT_IN_THE_INVENTORY"] == lab_value("NOT_IN_THE_INVENTORY")
    assert values["file:no/such/file"] == lab_value("file:no/such/file")
    assert lab_redacted("a2425288e7") == lab_redacted("a2425288e7") != lab_redacted("0" * 10)


def test_refused_lines_keep_their_number_and_never_a_value() -> None:
    backup = ("/interface bridge\nadd name=br-ops\n/snmp community\n"
              "add name=ops authentication-password=@@secret:env:OPS_KEY@@ bogus=1\n"
              "/ip address\nadd address=10.9.0.1/24 \\\n    interface=br-ops\n"
              "add address=@@redacted:0123456789@@ interface=br-ops\n")
    filler = Filler({"env:OPS_KEY": "s3cr3t-value"})
    engine = RouterOSEngine("r", "hEX RB750Gr3", scheduler=NoTimers(), defaults=False)
    twin = boot(engine, "r", "mikrotik_routeros", backup, filler)
    assert (twin.lines, [r.line for r in twin.refused]) == (4, [4, 8])
    assert twin.refused[0].text == \
        "add name=ops authentication-password=@@secret:env:OPS_KEY@@ bogus=1"
    assert twin.refused[1].text == "add address=@@redacted:0123456789@@ interface=br-ops"
    assert "expected end of command" in twin.refused[0].error
    assert "10.9.0.1/24" in engine.export()  # the continued line was taken
    shown = repr(twin) + summary(twin)
    assert "s3cr3t-value" not in shown and lab_redacted("0123456789") not in shown
    assert summary(twin) == "r: booted from its backup, 4 lines, 2 refused (lines 4, 8)"


def test_ios_twin_reports_the_caret_error_per_line() -> None:
    backup = ("hostname edge\ninterface Loopback0\n ip addresss 10.0.0.1 255.255.255.255\n"
              "radius server R\n key @@secret:env:K@@\nusername x secret 9 @@redacted:ab12@@\n")
    engine = IOSEngine("i", "ISR4331/K9", scheduler=NoTimers())
    twin = boot(engine, "i", "cisco_ios", backup, Filler({"env:K": "k-value"}))
    assert [(r.line, r.text) for r in twin.refused] == \
        [(3, "ip addresss 10.0.0.1 255.255.255.255")]
    assert twin.refused[0].error.endswith("% Invalid input detected at '^' marker.")
    with pytest.raises(TwinBootError) as caught:
        check([twin], 0)
    assert "i (cisco_ios): 1 of 6 lines refused\n  line 3: ip addresss" in str(caught.value)
    check([twin], 1)  # within the threshold


def test_what_lab_up_from_backups_refuses(pipe: Pipeline, tmp_path: Path) -> None:
    assert prepare(pipe, "factory", tmp_path / "none", {LINUX}) is None
    with pytest.raises(LabError, match="--from 'device': expected factory or backups"):
        prepare(pipe, "device", tmp_path, {LINUX})
    with pytest.raises(LabError, match=rf"{LINUX} routers cannot boot from backups yet .*"
                                       rf"--skip-platform {LINUX}"):
        prepare(pipe, "backups", tmp_path, set())
    with pytest.raises(Exception, match="does not exist"):
        prepare(pipe, "backups", tmp_path / "none", {LINUX})
    repo = tmp_path / "backups"
    backups.store(repo, {"rtr-dishub": "hostname rtr-dishub\n"}, {"rtr-dishub": "cisco_ios"})
    with pytest.raises(LabError, match=r"no backup in .* for \d+ router\(s\): .*hub-drc-01"):
        prepare(pipe, "backups", repo, {LINUX})
    plan = prepare(pipe, "backups", repo, {LINUX}, allow_missing=True, max_refused=3)
    assert plan is not None and plan.max_refused == 3
    assert dict(plan.configs) == {"rtr-dishub": "hostname rtr-dishub\n"}
    assert "rtr-dishub" not in plan.missing and "hub-drc-01" in plan.missing
    shutil.rmtree(repo)
