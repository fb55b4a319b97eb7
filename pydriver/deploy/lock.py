"""One apply at a time per inventory: an OS file lock, released even if the process dies.

flock is held by the kernel for the open file, so a SIGKILLed apply never leaves a stale
lock behind, and a second apply learns at once who holds it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydriver.errors import ApplyError


def lock_path(state: Path, inventory: Path) -> Path:
    key = hashlib.sha256(str(inventory.resolve()).encode()).hexdigest()[:16]
    return state / "locks" / f"apply-{key}.lock"


@contextmanager
def apply_lock(state: Path, inventory: Path) -> Iterator[None]:
    path = lock_path(state, inventory)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip()
            try:
                info = json.loads(holder)
                who = f"pid {info['pid']} of {info['user']} since {info['since']}"
            except (ValueError, KeyError, TypeError, RecursionError):  # an edited lock file
                who = "another process"
            raise ApplyError(f"another apply is running on {inventory} ({who}); "
                             "nothing was changed") from None
        record = json.dumps({"pid": os.getpid(), "user": operator(),
                             "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
        os.ftruncate(fd, 0)
        os.pwrite(fd, record.encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def operator() -> str:
    """Who is applying: PYDRIVER_OPERATOR (CI sets it), else the login name."""
    name = os.environ.get("PYDRIVER_OPERATOR")
    if name:
        return name
    try:
        return os.getlogin()
    except OSError:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
