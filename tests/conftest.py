"""Shared fixtures: the embedded example inventory and writable copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inventory"


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    """A private copy of the example inventory that a test may break."""
    dest = tmp_path / "inventory"
    shutil.copytree(EXAMPLE, dest)
    return dest


Edit = Callable[[str, str, str], None]


@pytest.fixture
def edit(inv: Path) -> Edit:
    """Replace one exact text in a file of the copy (fails loudly if the text is absent)."""

    def _edit(rel: str, old: str, new: str) -> None:
        path = inv / rel
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))

    return _edit
