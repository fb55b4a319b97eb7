"""ruff and mypy --strict over the package and the tests: style is part of the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed next to {sys.executable}")
    return found


def test_ruff() -> None:
    r = subprocess.run([_tool("ruff"), "check", "pydriver", "tests"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict() -> None:
    r = subprocess.run([_tool("mypy"), "--strict", "pydriver", "tests"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_playbooks_syntax() -> None:
    """Every playbook parses against the generated inventory (ansible.cfg's plugin)."""
    books = sorted((ROOT / "playbooks").glob("*.yml"))
    assert books, "no playbooks"
    r = subprocess.run([_tool("ansible-playbook"), "--syntax-check", *map(str, books)],
                       cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    assert r.returncode == 0, r.stdout + r.stderr


def test_ansible_lint_production() -> None:
    r = subprocess.run([_tool("ansible-lint"), "--profile", "production", "--offline",
                        "playbooks", "roles"], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    assert r.returncode == 0, r.stdout + r.stderr
