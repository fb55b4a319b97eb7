"""Read a small JSON file pydriver keeps for itself (lab state, connection overrides).

These files live in the state directory, where a crash can leave them cut short and a
person or another tool can edit them. Whatever they hold, reading one is a clear error
(of the caller's kind) or a value that was checked: never a traceback, never a blocked
read of a FIFO, never gigabytes pulled into memory.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from pydriver.errors import PydriverError

T = TypeVar("T")

MAX_BYTES = 4 << 20


def read_json(path: Path, error: type[PydriverError], what: str,
              limit: int = MAX_BYTES) -> Any:
    """The JSON value in ``path``; ``error`` says what it is when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: cannot read {what}: not a regular file")
        if info.st_size > limit:
            raise error(f"{path}: cannot read {what}: {info.st_size:,} bytes, more than "
                        f"{limit:,}")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror}") from None
    finally:
        os.close(fd)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise error(f"{path}: cannot read {what}: not valid JSON (cut short or edited?)"
                    ) from None


def checked(value: Any, adapter: TypeAdapter[T], path: Path, error: type[PydriverError],
            what: str) -> T:
    """``value`` validated strictly; the error names where, never the value (it may hold
    a password)."""
    try:
        return adapter.validate_python(value, strict=True)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p)[:40] for p in first["loc"]) or "(top level)"
        raise error(f"{path}: {what}: {at}: {first['msg']}") from None
