"""Nothing from the source of truth becomes an Ansible template.

A value holding ``{{ lookup('pipe', ...) }}`` (a banner, a region name, an administrator's
full name) or a ``file:`` path built to break out of its lookup's string would run a
command on the controller the moment a play reads it. Real ``ansible-playbook`` runs on the
controller (``connection: local``) read every such value, through both ways Ansible gets
the inventory: the JSON file pydriver hands ansible-runner, and the inventory plugin plain
``ansible-playbook`` uses; the commands would create marker files, and none may appear.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pydriver.errors import SecretError
from pydriver.pipeline import Pipeline
from pydriver.servers import runner
from pydriver.servers.inventory import ServerInventory, generate
from pydriver.sot.models import Network
from tests.conftest import ROOT, Edit

#: the path of a ``file:`` reference built to close its lookup's string and call another
BREAKOUT = "x')+lookup('pipe','touch${IFS}pwned-by-path')+('"
PLAY = """\
- name: Read every variable pydriver generates
  hosts: ntp-01
  connection: local
  gather_facts: false
  tasks:
    - name: Template them all, as the roles do
      ansible.builtin.copy:
        dest: "{{ out }}/seen.txt"
        content: |
          {{ jip_banner }}
          {{ jip_region_name }} {{ jip_domain }} {{ jip_timezone }}
          {% for a in jip_admins %}{{ a.full_name }}={{ a.password }}
          {% endfor %}
        mode: "0600"
"""


def _payload(name: str) -> str:
    return "{{ lookup('pipe', 'touch pwned-by-" + name + "') }}"


def _edited(inv: Path, edit: Edit) -> None:
    edit("region.yml", "  name: Provinsi Nusa Tenggara Barat",
         f"  name: \"{_payload('region')}\"")
    edit("region.yml", "  banner: |\n", f"  banner: |\n    {_payload('banner')}\n")
    edit("region.yml", "full_name: Lalu Ahmad Zaini", f"full_name: \"{_payload('admin')}\"")


def _project(base: Path) -> Path:
    project = base / "project"
    (project / "playbooks").mkdir(parents=True)
    (project / "playbooks" / "read.yml").write_text(PLAY)
    (project / "ansible.cfg").write_text("[defaults]\nretry_files_enabled = False\n")
    return project


def _markers(*dirs: Path) -> list[Path]:
    return [p for d in dirs for p in d.rglob("pwned-by-*")]


def _env(inv: Path) -> dict[str, str]:
    refs = [r for r in Pipeline(inv).network.baseline.model_dump_json().split('"')
            if r.startswith("env:")]
    return {r[4:]: f"value-of-{r[4:].lower()}" for r in refs}


def test_the_runner_inventory_file_keeps_every_value_data(inv: Path, edit: Edit,
                                                          tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    _edited(inv, edit)
    pipe = Pipeline(inv)
    net: Network = pipe.network
    for key, value in _env(inv).items():
        monkeypatch.setenv(key, value)
    # a file: reference no validation would let through, put in behind validation's back:
    # the lookup refuses it itself, before any string is built from it
    admins = (net.baseline.admins[0].model_copy(update={"secret": f"file:{BREAKOUT}"}),
              *net.baseline.admins[1:])
    broken = net.model_copy(update={"baseline": net.baseline.model_copy(
        update={"admins": admins})})
    with pytest.raises(SecretError, match="malformed secret reference"):
        generate(broken, pipe.intents, inv.resolve())
    # a file whose content is a template: the password is read as data
    (inv / "admin-secret.txt").write_text(_payload("secret") + "\n")
    admins = (net.baseline.admins[0].model_copy(update={"secret": "file:admin-secret.txt"}),
              *net.baseline.admins[1:])
    net = net.model_copy(update={"baseline": net.baseline.model_copy(
        update={"admins": admins})})
    generated = generate(net, pipe.intents, inv.resolve())
    inventory = ServerInventory(generated.hostvars, generated.groups, {
        **generated.shared, "ansible_python_interpreter": sys.executable})
    project = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = runner.run(project, inventory, "read.yml", limit="ntp-01",
                        extra_vars=[f"out={out}"])
    assert result.rc == 0, [r.detail for r in result.results]
    seen = (out / "seen.txt").read_text()
    assert _payload("banner") in seen and _payload("region") in seen  # shown, not run
    assert f"{_payload('admin')}={_payload('secret')}" in seen
    assert _markers(tmp_path, inv, Path.cwd()) == []


@pytest.mark.slow
def test_the_inventory_plugin_keeps_every_value_data(inv: Path, edit: Edit,
                                                     tmp_path: Path) -> None:
    _edited(inv, edit)
    project = _project(tmp_path)
    (project / "ansible.cfg").write_text(
        "[defaults]\nretry_files_enabled = False\n"
        f"inventory = {inv / 'ansible.yml'}\n"
        f"inventory_plugins = {ROOT / 'pydriver' / 'servers' / 'plugins'}\n"
        "[inventory]\nenable_plugins = pydriver_servers\n")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, **_env(inv), "ANSIBLE_CONFIG": str(project / "ansible.cfg"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
           "PYTHONPATH": str(ROOT)}
    bindir = Path(sys.executable).parent
    # stdin of its own: Ansible refuses a non-blocking one, as a shared one may have become
    listed = subprocess.run([str(bindir / "ansible-inventory"), "--list"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert listed.returncode == 0, listed.stderr
    assert '"__ansible_unsafe": "' + _payload("region").replace("'", "'") in listed.stdout
    played = subprocess.run(
        [str(bindir / "ansible-playbook"), "playbooks/read.yml", "-e", f"out={out}",
         "-e", f"ansible_python_interpreter={sys.executable}"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
        stdin=subprocess.DEVNULL)
    assert played.returncode == 0, played.stdout + played.stderr
    seen = (out / "seen.txt").read_text()
    assert _payload("banner") in seen and _payload("admin") in seen
    assert "value-of-jip_admin_baiq_nurul" in seen  # the lookups still resolve
    assert _markers(tmp_path, inv, ROOT) == []
