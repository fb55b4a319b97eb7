"""The other inputs pydriver reads besides the source of truth: a saved plan, the backups
repository, the lab's state directory, connection overrides, the apply lock and the audit
log. Each, broken or tampered with, is a clear error and changes nothing."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.deploy import audit, backup
from pydriver.deploy.inventory import load_overrides
from pydriver.deploy.lock import apply_lock, lock_path
from pydriver.errors import ApplyError, LabError, PlanError, PydriverError
from pydriver.lab import manage
from pydriver.lab.model import LabRouter
from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan, sot_ref
from pydriver.plan.model import MAX_PLAN_BYTES, Plan
from pydriver.sot.models import Platform

IOS = Platform.CISCO_IOS.value


# -- a saved plan --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def plan_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    example = Path(__file__).resolve().parents[3] / "inventory"
    pipe = Pipeline(example)
    plan = make_plan(pipe.intents, pipe.rendered, {"rtr-dinkes": "hostname Router\n"},
                     sot_ref(example), "test")
    return plan.to_json()


def _load(tmp_path: Path, content: str | bytes) -> PlanError:
    path = tmp_path / "plan.json"
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    with pytest.raises(PlanError) as info:
        Plan.load(path)
    return info.value


def test_truncated_plan(tmp_path: Path, plan_text: str) -> None:
    for cut in (len(plan_text) // 3, len(plan_text) - 3, 1):
        assert "not a pydriver plan (invalid JSON" in str(_load(tmp_path, plan_text[:cut]))


def test_edited_plan_fails_its_digest(tmp_path: Path, plan_text: str) -> None:
    data = json.loads(plan_text)
    router = next(r for r in data["routers"] if r["commands"])
    router["commands"].append("no ip access-list standard JIP-MGMT")
    assert "does not match its digest" in str(_load(tmp_path, json.dumps(data)))


def test_plan_of_another_version(tmp_path: Path, plan_text: str) -> None:
    data = json.loads(plan_text)
    for version in (1, 2, 4, "3", None, [3], "x" * 100):
        data["version"] = version
        message = str(_load(tmp_path, json.dumps(data)))
        assert "is not supported" in message and len(message) < 400


def test_plan_with_a_wrong_type_or_an_extra_key(tmp_path: Path, plan_text: str) -> None:
    data = json.loads(plan_text)
    data["routers"][0]["added"] = "1"
    assert "malformed plan at routers.0.added" in str(_load(tmp_path, json.dumps(data)))
    data = json.loads(plan_text)
    data["routers"][0]["shell"] = "reboot"
    assert "malformed plan at routers.0.shell" in str(_load(tmp_path, json.dumps(data)))


@pytest.mark.parametrize("content", [
    b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"9" * 10_000, b"null", b"[]",
    b'{"version": 2}'])
def test_plans_that_are_not_plans(tmp_path: Path, content: bytes) -> None:
    message = str(_load(tmp_path, content))
    assert "plan" in message and len(message) < 500


def test_plan_of_an_absurd_size_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    with path.open("wb") as f:
        f.truncate(MAX_PLAN_BYTES + 1)  # sparse: nothing is written or read
    with pytest.raises(PlanError, match="more than a plan can be"):
        Plan.load(path)


@pytest.mark.parametrize("kind", ["fifo", "devzero", "directory", "missing"])
def test_plan_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "plan.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "devzero":
        path.symlink_to("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    with pytest.raises(PlanError):
        Plan.load(path)


def test_apply_of_a_bad_plan_changes_nothing(inv: Path, tmp_path: Path, plan_text: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("PYDRIVER_STATE", str(state))
    bad = tmp_path / "plan.json"
    bad.write_text(plan_text[: len(plan_text) // 2])
    result = CliRunner().invoke(app, ["apply", str(bad), "--inventory", str(inv)])
    assert result.exit_code == 1 and "not a pydriver plan" in result.stderr
    assert not audit.log_path(state).exists()
    assert lock_path(state, inv).read_text() == ""  # released, no holder left behind


# -- the backups repository -----------------------------------------------------------------------
def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "backups"
    backup.store(repo, {"rtr-dinkes": "hostname rtr-dinkes\n"}, {"rtr-dinkes": IOS})
    return repo


def test_backup_missing_ref(repo: Path) -> None:
    with pytest.raises(PydriverError, match="'nope' is not a commit of the backups"):
        backup.read(repo, {"rtr-dinkes": IOS}, "nope")


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "a..b", "HEAD:rtr-dinkes.ios", "a b",
                                 "x\n--all"])
def test_backup_ref_that_is_not_a_ref(repo: Path, ref: str) -> None:
    with pytest.raises(PydriverError, match="is not a git ref"):
        backup.read(repo, {"rtr-dinkes": IOS}, ref)


def test_backup_binary_file(repo: Path) -> None:
    name = backup.file_name("rtr-dinkes", IOS)
    (repo / name).write_bytes(b"hostname x\n\x00\x01binary")
    with pytest.raises(PydriverError, match="is a binary file"):
        backup.read(repo, {"rtr-dinkes": IOS})
    _git(repo, "commit", "-qam", "binary")
    with pytest.raises(PydriverError, match="at HEAD is a binary file"):
        backup.read(repo, {"rtr-dinkes": IOS}, "HEAD")
    (repo / name).write_bytes(b"hostname caf\xe9\n")
    with pytest.raises(PydriverError, match="is not UTF-8 text"):
        backup.read(repo, {"rtr-dinkes": IOS})


def test_backup_replaced_by_a_symlink(repo: Path, tmp_path: Path) -> None:
    name = backup.file_name("rtr-dinkes", IOS)
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours\n")
    (repo / name).unlink()
    (repo / name).symlink_to(target)
    with pytest.raises(PydriverError, match="is not a regular file"):
        backup.read(repo, {"rtr-dinkes": IOS})
    # a backup never writes through it: the file it points at is left as it was
    with pytest.raises(PydriverError, match="refusing to write through it"):
        backup.store(repo, {"rtr-dinkes": "hostname new\n"}, {"rtr-dinkes": IOS})
    assert target.read_text() == "not yours\n"
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "link")
    with pytest.raises(PydriverError, match="at HEAD is not a regular file"):
        backup.read(repo, {"rtr-dinkes": IOS}, "HEAD")


def test_backup_directory_in_place_of_a_file(repo: Path) -> None:
    name = backup.file_name("rtr-dinkes", IOS)
    (repo / name).unlink()
    (repo / name).mkdir()
    with pytest.raises(PydriverError, match="is not a regular file"):
        backup.read(repo, {"rtr-dinkes": IOS})


# -- connection overrides --------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"[1, 2", "not valid JSON"), (b"\xff\xfe", "not valid JSON"),
    (b"[" * 50_000, "not valid JSON"), (b"[]", "valid dictionary"),
    (b'{"r": []}', "r: Input should be a valid dictionary"),
    (b'{"r": {"port": "22"}}', "r.port"), (b'{"r": {"port": 70000}}', "r.port"),
    (b'{"r": {"port": 99999999999999999999999}}', "r.port"),
    (b'{"r": {"host": "1.2.3.4; reboot"}}', "r.host"),
    (b'{"r": {"command": "reboot"}}', "r.command: Extra inputs are not permitted"),
])
def test_bad_overrides_are_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "overrides.json"
    path.write_bytes(content)
    with pytest.raises(PydriverError) as info:
        load_overrides(path)
    assert message in str(info.value)


def test_override_errors_never_show_a_password(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps({"r": {"password": ["hunter2-secret"]}}))
    with pytest.raises(PydriverError) as info:
        load_overrides(path)
    assert "hunter2" not in str(info.value) and "r.password" in str(info.value)


def test_overrides_that_are_not_files(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    os.mkfifo(path)
    with pytest.raises(PydriverError, match="not a regular file"):
        load_overrides(path)
    assert load_overrides(tmp_path / "absent.json") == {}


# -- the lab's state directory ---------------------------------------------------------------------
def test_lab_state_files_that_cannot_be_read(tmp_path: Path) -> None:
    folder = manage.lab_dir(tmp_path)
    folder.mkdir(parents=True)
    for content in (b"[{", b'[{"name": 1}]', b'{"x": 1}', b"[" * 10_000):
        (folder / "lab.json").write_bytes(content)
        with pytest.raises(LabError, match="the lab's router list"):
            manage._routers(folder / "lab.json")


def test_lab_state_files_as_the_lab_writes_them(tmp_path: Path) -> None:
    """What the lab writes it reads back, as a list or under "routers" (emulated.json)."""
    routers = [LabRouter.emulated("rtr-a", Platform.MIKROTIK_ROUTEROS, 2201),
               LabRouter.emulated("hub-b", Platform.CISCO_IOS, 2202)]
    records = [dataclasses.asdict(r) for r in routers]
    for content in (records, {"routers": records, "boot": []}):
        (tmp_path / "lab.json").write_text(json.dumps(content))
        assert manage._routers(tmp_path / "lab.json") == routers
    records[0]["port"] = "2201"  # strictly typed: a port is a number
    (tmp_path / "lab.json").write_text(json.dumps(records))
    with pytest.raises(LabError, match="port"):
        manage._routers(tmp_path / "lab.json")


@pytest.mark.parametrize("content", ["1", "0", "-1", "abc", "9" * 5000, "", "\xff", "self"])
def test_a_pid_file_is_believed_only_for_the_lab_daemon(tmp_path: Path, content: str) -> None:
    folder = manage.lab_dir(tmp_path)
    folder.mkdir(parents=True)
    text = str(os.getpid()) if content == "self" else content  # a live process, not a lab
    (folder / "daemon.pid").write_text(text, encoding="utf-8")
    assert manage._daemon_pid(folder) is None
    assert manage.status(tmp_path) == []


def test_lab_down_never_signals_a_process_that_is_not_its_daemon(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = manage.lab_dir(tmp_path)
        folder.mkdir(parents=True)
        (folder / "daemon.pid").write_text(str(other.pid))
        manage.down(tmp_path, timeout=1)
        assert other.poll() is None  # still running: down left it alone
    finally:
        other.kill()
        other.wait()


# -- the apply lock and the audit log --------------------------------------------------------------
def test_an_edited_lock_file_still_reports_a_holder(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    with apply_lock(tmp_path, inv):
        lock_path(tmp_path, inv).write_text("[1, 2]")
        with pytest.raises(ApplyError, match="another process"), apply_lock(tmp_path, inv):
            pass


def _apply(state: Path, inv: Path, routers: object) -> None:
    audit.append(state, {"event": "apply", "inventory": str(inv.resolve()), "routers": routers})


@pytest.mark.parametrize("line", [b'{"event": "apply", "invent', b"\xff\xfe\x00garbage",
                                  b"[1, 2, 3]", b"[" * 100_000, b"null"],
                         ids=["cut-short", "binary", "a-list", "deep", "null"])
def test_a_corrupted_line_after_the_last_apply_stops_retry_failed(
        tmp_path: Path, line: bytes) -> None:
    inv = tmp_path / "inv"
    _apply(tmp_path, inv, {"a": {"status": "failed"}, "b": {"status": "applied"}})
    with audit.log_path(tmp_path).open("ab") as f:
        f.write(line + b"\n")
    with pytest.raises(ApplyError, match=r"audit.jsonl:2: an audit record that cannot be "):
        audit.last_failed(tmp_path, inv)
    assert len(list(audit.records(tmp_path))) == 1  # the other records still read


def test_a_corrupted_line_before_the_last_apply_is_harmless(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    audit.log_path(tmp_path).write_bytes(b'{"truncated\n\xff\n')
    _apply(tmp_path, inv, {"a": {"status": "failed"}, "b": "garbage", "c": {"status": "noop"}})
    assert audit.last_failed(tmp_path, inv) == ["a", "b"]  # a bad entry is retried


def test_a_last_apply_without_routers(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    _apply(tmp_path, inv, ["not", "a", "map"])
    with pytest.raises(ApplyError, match="lists no routers"):
        audit.last_failed(tmp_path, inv)


def test_retry_failed_with_a_corrupted_log_changes_nothing(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("PYDRIVER_STATE", str(state))
    _apply(state, inv, {"rtr-dinkes": {"status": "failed"}})
    with audit.log_path(state).open("ab") as f:
        f.write(b'{"event": "apply", "inven\n')
    before = audit.log_path(state).read_bytes()
    result = CliRunner().invoke(app, ["apply", "--retry-failed", "--inventory", str(inv)])
    assert result.exit_code == 1 and "audit.jsonl:2" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert audit.log_path(state).read_bytes() == before


@pytest.mark.parametrize("content", [
    b'{"username": "root"', b"[]", b'{"username": "root", "password": "", "routers": [1]}',
    b'{"username": "root", "password": "", "routers": [{"name": "r", "netns": "n", '
    b'"anchor": "1; reboot", "tree": "/t", "mgmt_host": "h", "daemons": []}]}',
    b'{"username": "root", "password": "", "routers": [{"name": "r", "netns": "n", '
    b'"anchor": 1, "tree": "/t", "mgmt_host": "h", "daemons": [], "extra": 1}]}'],
    ids=["cut-short", "a-list", "a-number", "anchor-text", "extra-key"])
def test_netns_lab_description_that_cannot_be_read(tmp_path: Path, content: bytes) -> None:
    from pydriver.lab.netns.lab import DESCRIPTION, NetnsLab

    (tmp_path / DESCRIPTION).write_bytes(content)
    with pytest.raises(LabError, match="netns lab"):
        NetnsLab.attach(tmp_path)
