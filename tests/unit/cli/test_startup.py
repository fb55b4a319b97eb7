"""What registering the commands imports: every command's start pays for it.

``pydriver.cli.main`` registers every command at import, so whatever a command module
imports at its top is paid by every other command before it does anything: Nornir and
ruamel for ``validate``, the lab for ``plan``. The command modules import what only their
commands' runs need inside those commands, and these tests keep it so: a fresh interpreter
(this one has imported everything already) registers the commands, and none of the
modules below may be loaded; the commands registered are still all of them, in the help's
order. The formats ``check`` writes out (its help needs them at registration; the reports'
module is one of those left out) are checked against the reports' own list here too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from pydriver.cli import check
from pydriver.report import compliance
from tests.conftest import ROOT

# loaded by registering the commands before they were imported where they are used
LAZY = (
    "nornir", "ruamel.yaml", "rich.live", "rich.table", "xml.etree.ElementTree",
    "pydriver.deploy.apply", "pydriver.deploy.audit", "pydriver.deploy.lock",
    "pydriver.deploy.nornir", "pydriver.deploy.run", "pydriver.deploy.waves",
    "pydriver.lab.federation", "pydriver.lab.from_backups", "pydriver.lab.manage",
    "pydriver.lab.secrets",
    "pydriver.report.compliance", "pydriver.report.plan", "pydriver.report.review",
    "pydriver.review.make", "pydriver.review.model",
    "pydriver.servers.inventory", "pydriver.servers.runner",
)

# `pydriver --help` before the imports moved: command, or group with its commands
COMMANDS: dict[str, list[str]] = {
    "validate": [], "render": [], "check": [], "backup": [], "plan": [], "drift": [],
    "apply": [], "review": [],
    "interconnect": ["export"],
    "report": ["bssn"],
    "lab": ["up", "env", "status", "down", "rehearse"],
    "servers": ["inventory", "plan", "apply"],
}

SCRIPT = """
import json, sys
import pydriver.cli.main as m  # registers every command
modules = sorted(sys.modules)
import typer.main
root = typer.main.get_command(m.app)
commands = {name: list(getattr(c, "commands", {})) for name, c in root.commands.items()}
print(json.dumps({"modules": modules, "commands": commands}))
"""


def _registered() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no command plugin failed to load
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_registering_commands_imports_no_command_only_module() -> None:
    registered = _registered()
    loaded = set(registered["modules"])
    assert sorted(m for m in LAZY if m in loaded) == []
    assert registered["commands"] == COMMANDS
    assert list(registered["commands"]) == list(COMMANDS)  # the help's order


def test_written_out_formats_are_the_reports() -> None:
    assert check.FORMATS == compliance.FORMATS
