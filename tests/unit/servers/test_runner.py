"""ansible-runner under pydriver: real ansible-playbook runs on the controller itself.

The plays use ``connection: local`` against files in a temporary directory, so the events,
check-mode diffs, failures and the secret scrubbing are those of a real run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pydriver.errors import ServersError
from pydriver.pipeline import Pipeline
from pydriver.servers import runner
from pydriver.servers.inventory import ServerInventory, generate
from tests.conftest import ROOT

PLAY = """\
- name: Files on the controller
  hosts: ntp
  connection: local
  gather_facts: false
  tasks:
    - name: Write the marker
      ansible.builtin.copy:
        dest: "{{{{ out }}}}/{{{{ inventory_hostname }}}}.txt"
        content: "ntp {{{{ ansible_host }}}} of {{{{ jip_domain }}}}\\n"
        mode: "0644"
    - name: Fail on request
      ansible.builtin.fail:
        msg: "refused {{{{ lookup('ansible.builtin.env', 'JIP_RADIUS_SECRET') }}}}"
      when: fail_now | default(false) | bool
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "playbooks" / "t.yml").write_text(PLAY.format())
    (tmp_path / "ansible.cfg").write_text("[defaults]\nretry_files_enabled = False\n")
    return tmp_path


@pytest.fixture(scope="module")
def generated() -> ServerInventory:
    _pipe = Pipeline(ROOT / "inventory")
    net = _pipe.network
    return generate(net, _pipe.intents, (ROOT / "inventory").resolve())


def _with_vars(gen: ServerInventory, **extra: object) -> ServerInventory:
    # local tasks run under this interpreter, whatever python3 is first on PATH
    return ServerInventory(gen.hostvars, gen.groups, {
        **gen.shared, "ansible_python_interpreter": sys.executable, **extra})


@pytest.mark.slow
def test_check_mode_shows_diffs_then_apply_then_nothing(project: Path,
                                                        generated: ServerInventory) -> None:
    out = project / "out"
    out.mkdir()
    inv = _with_vars(generated, out=str(out))
    events: list[runner.Event] = []
    plan = runner.run(project, inv, "t.yml", check=True, on_event=events.append)
    assert plan.ok and plan.changed == 2 and not list(out.iterdir())
    assert {r.host for r in plan.results} == {"ntp-01", "ntp-02"}
    assert "+ntp 10.10.10.11 of jip.ntbprov.go.id" in next(
        r.detail for r in plan.results if r.host == "ntp-01")
    assert any(e.kind == "task" and e.task == "Write the marker" for e in events)
    applied = runner.run(project, inv, "t.yml")
    assert applied.ok and applied.changed == 2
    assert (out / "ntp-02.txt").read_text() == "ntp 10.20.10.11 of jip.ntbprov.go.id\n"
    again = runner.run(project, inv, "t.yml", check=True)
    assert again.ok and again.changed == 0 and not again.results
    assert {h.host: h.ok for h in again.hosts} == {"ntp-01": 1, "ntp-02": 1}


@pytest.mark.slow
def test_failure_is_reported_and_secrets_scrubbed(project: Path, generated: ServerInventory,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIP_RADIUS_SECRET", "Sup3r-s3cret-radius")
    inv = _with_vars(generated, out=str(project), fail_now=True)
    result = runner.run(project, inv, "t.yml", limit="ntp-01",
                        secret_values=["Sup3r-s3cret-radius"])
    assert not result.ok and result.rc != 0
    assert [h.host for h in result.hosts] == ["ntp-01"] and result.hosts[0].failed == 1
    (failure,) = [r for r in result.results if r.status == "failed"]
    assert failure.detail == "refused @@redacted@@"
    assert "Sup3r" not in str(result.as_dict())


def test_missing_playbook_is_a_clear_error(project: Path, generated: ServerInventory) -> None:
    with pytest.raises(ServersError, match=r"no playbook .*playbooks/nope.yml"):
        runner.run(project, generated, "nope.yml")


def test_unreachable_server_is_reported(project: Path, generated: ServerInventory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that does not answer SSH ends the run not ok, named as unreachable."""
    (project / "playbooks" / "ping.yml").write_text(
        "- name: Reach the servers\n  hosts: ntp\n  gather_facts: false\n  tasks:\n"
        "    - name: Ping\n      ansible.builtin.ping:\n")
    monkeypatch.setenv("ANSIBLE_TIMEOUT", "3")
    hostvars = {h: {**v, "ansible_host": "192.0.2.1"} for h, v in generated.hostvars.items()}
    inv = ServerInventory(hostvars, generated.groups, generated.shared)
    result = runner.run(project, inv, "ping.yml", limit="ntp-02")
    assert not result.ok
    assert [(h.host, h.unreachable) for h in result.hosts] == [("ntp-02", 1)]
    assert [(r.host, r.status) for r in result.results] == [("ntp-02", "unreachable")]
