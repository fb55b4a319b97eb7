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


def records(state: Path) -> Iterator[dict[str, Any]]:
    path = log_path(state)
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def last_failed(state: Path, inventory: Path) -> list[str]:
    """Routers that did not end applied in the last apply of this inventory."""
    last = None
    for rec in records(state):
        if rec.get("inventory") == str(inventory.resolve()) and rec.get("event") == "apply":
            last = rec
    if last is None:
        return []
    return sorted(h for h, r in last.get("routers", {}).items()
                  if r.get("status") not in ("applied", "noop"))


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
