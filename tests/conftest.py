"""Shared fixtures: the embedded example inventory and writable copies of it."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pydriver.errors import LabError
from pydriver.lab.netns.journal import locked

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inventory"


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
              ) -> Path:
    """Each test its own user cache (last plans, parsed files): tests side by side never
    share one, and none writes to the cache of whoever runs them."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    """A private copy of the example inventory that a test may break."""
    dest = tmp_path / "inventory"
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from ``tmp_path``: problems then name the copy ``inventory/...``, as
    they name files relative to the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


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


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.05
             ) -> None:
    """Poll ``predicate`` until it holds; fail at the deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout:g} s")
        time.sleep(interval)


def poll(what: str, check: Callable[[], str | None], timeout: float = 60.0) -> None:
    """Call ``check`` until it returns None (done) or the deadline passes (fail with its word)."""
    deadline = time.monotonic() + timeout
    while True:
        why = check()
        if why is None:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not reached in {timeout:g} s: {why}")
        time.sleep(0.1)


@contextlib.contextmanager
def machine_lock(folder: Path, wait: float, what: str) -> Iterator[None]:
    """Hold the lab lock on ``folder`` (:func:`journal.locked`, the labs' own): one lab of
    a kind per machine, whichever pytest process (another run, an xdist worker) wants it.
    Skips, saying so, if it stays busy ``wait`` seconds; a process that dies lets go of
    it. Only taking the lock can skip: an error of the lab itself stays an error."""
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(locked(folder, wait))
        except LabError:
            pytest.skip(f"{what} stayed busy in another pytest process for {wait:g} s")
        yield
