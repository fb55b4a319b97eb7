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


def test_import_layers() -> None:
    """The stages import only the stages before them, and production never the lab
    (the contracts are in pyproject.toml, [tool.importlinter])."""
    r = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_playbooks_syntax() -> None:
    """Every playbook parses against the generated inventory (ansible.cfg's plugin)."""
    books = sorted((ROOT / "playbooks").glob("*.yml"))
    assert books, "no playbooks"
    r = subprocess.run([_tool("ansible-playbook"), "--syntax-check", *map(str, books)],
                       cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.slow
def test_ansible_lint_production() -> None:
    r = subprocess.run([_tool("ansible-lint"), "--profile", "production", "--offline",
                        "playbooks", "roles"], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    assert r.returncode == 0, r.stdout + r.stderr


def test_platform_names_only_in_their_folders() -> None:
    """A platform's name is written only in its folder and in the Platform enum: everywhere
    else it is looked up, so a fourth platform is a new folder, not edits across stages."""
    import ast

    from pydriver.sot.models import Platform

    names = {p.value for p in Platform}
    allowed = {ROOT / "pydriver" / "platforms" / n for n in names}
    found = []
    for path in sorted((ROOT / "pydriver").rglob("*.py")):
        if any(folder in path.parents for folder in allowed) or \
                path == ROOT / "pydriver" / "sot" / "models.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    id(node) not in docstrings:
                hit = [n for n in names if n in node.value]
                if hit:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {hit}")
    for path in sorted((ROOT / "pydriver").rglob("*.j2")):
        if not any(folder in path.parents for folder in allowed):
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in path.read_text()]
    assert not found, "\n".join(found)
