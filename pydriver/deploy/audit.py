"""The append-only audit log: one JSON line per apply (who, when, what, how it ended).

Reviewers and the CSIRT read it to answer "who changed this router, from which commit,
with which plan". It records hashes and counts, never commands or secrets: the plan file
(and git) hold the what, the log holds the who and the outcome.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydriver.errors import ApplyError


def log_path(state: Path) -> Path:
    return state / "audit.jsonl"


def append(state: Path, record: dict[str, Any]) -> None:
    """Append one record with O_APPEND (atomic for a single write on local filesystems)."""
    path = log_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **record},
                      sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _lines(state: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Each line of the log with its number: the record, or None when it cannot be read
    (cut short by a full disk, edited by hand, not text): the log is read line by line and
    a bad line never stops the reading."""
    path = log_path(state)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ApplyError(f"{path}: cannot read the audit log: {exc.strerror}") from None
    with stream:
        for n, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                yield n, None
                continue
            yield n, rec if isinstance(rec, dict) else None


def records(state: Path) -> Iterator[dict[str, Any]]:
    """The readable records, oldest first."""
    for _, rec in _lines(state):
        if rec is not None:
            yield rec


def last_failed(state: Path, inventory: Path) -> list[str]:
    """Routers that did not end applied in the last apply of this inventory.

    A line that cannot be read after that apply might be a later apply of the same
    inventory, so which routers failed last cannot be known: that is an error that names
    the line, and nothing is retried. A bad line before it changes nothing.
    """
    where = str(inventory.resolve())
    last: dict[str, Any] | None = None
    unreadable: int | None = None
    for n, rec in _lines(state):
        if rec is None:
            unreadable = n
        elif rec.get("inventory") == where and rec.get("event") == "apply":
            last, unreadable = rec, None
    if unreadable is not None:
        raise ApplyError(f"{log_path(state)}:{unreadable}: an audit record that cannot be "
                         "read follows the last apply of this inventory, so which routers "
                         "failed last is unknown; nothing was changed. Run apply without "
                         "--retry-failed (it plans from the routers themselves)")
    if last is None:
        return []
    routers = last.get("routers")
    if not isinstance(routers, dict):
        raise ApplyError(f"{log_path(state)}: the last apply of this inventory lists no "
                         "routers; nothing was changed. Run apply without --retry-failed")
    # a router whose entry is not readable is retried: a retry of a router that is in
    # order finds nothing to change
    return sorted(str(h) for h, r in routers.items()
                  if not isinstance(r, dict) or r.get("status") not in ("applied", "noop"))


def last_changes(state: Path, inventory: Path) -> dict[str, datetime]:
    """Router -> when an apply last changed it (status applied), from the audit log."""
    out: dict[str, datetime] = {}
    for rec in records(state):
        if rec.get("inventory") != str(inventory.resolve()) or rec.get("event") != "apply":
            continue
        try:
            when = datetime.strptime(str(rec.get("time")), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            continue
        for host, result in (rec.get("routers") or {}).items():
            if isinstance(result, dict) and result.get("status") == "applied":
                out[host] = when
    return out
