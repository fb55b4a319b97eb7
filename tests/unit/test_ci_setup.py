""".ci/setup waits (bounded) for another apt or dpkg instead of failing at once."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _wait(lock: Path, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", ". .ci/apt-wait.sh; wait_for_apt"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYDRIVER_APT_LOCKS": str(lock),
                               "PYDRIVER_APT_WAIT": str(limit)})


def _hold(lock: Path, seconds: float) -> subprocess.Popen[bytes]:
    """Another process holding the lock as dpkg does (an fcntl lock), then letting go."""
    code = ("import fcntl, os, sys, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR)\n"
            "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            f"time.sleep({seconds})\n")
    proc = subprocess.Popen(["python3", "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"held\n"
    return proc


def test_a_free_lock_is_no_wait(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    lock.touch()
    r = _wait(lock, 10)
    assert r.returncode == 0 and r.stderr == ""
    fd = os.open(lock, os.O_RDWR)  # and the probe left no lock behind
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(fd)


@pytest.mark.slow
def test_a_held_lock_is_waited_for_until_released(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    lock.touch()
    holder = _hold(lock, 3)
    start = time.monotonic()
    r = _wait(lock, 60)
    holder.wait()
    assert r.returncode == 0, r.stderr
    assert "waiting for another apt/dpkg to release" in r.stderr and "released after" in r.stderr
    assert time.monotonic() - start >= 2


@pytest.mark.slow
def test_the_wait_is_bounded_and_says_why(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    lock.touch()
    holder = _hold(lock, 30)
    try:
        r = _wait(lock, 4)
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 1
    assert f"{lock} is still held after 4s" in r.stderr and "ps -C apt-get" in r.stderr
