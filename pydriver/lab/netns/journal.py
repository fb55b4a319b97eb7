"""The lab's journal: every namespace, link and directory is written down before it exists.

Teardown reads only this file, never the topology, so a lab abandoned by a crashed or
killed process (or one that failed half-way up) is still removed completely. Each record is
one JSON line flushed to disk before the resource is created: a crash between the two
leaves a record for something that does not exist, which teardown tolerates, and never the
reverse.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydriver.errors import LabError

JOURNAL = "netns-lab.jsonl"
KINDS = ("netns", "link", "statedir")


@dataclass(frozen=True, slots=True)
class Record:
    """One created thing: a namespace, a root-namespace link, or a state directory entry."""

    kind: str
    name: str


class Journal:
    """A lab's journal in ``state_dir``; another lab passes its own file name and kinds."""

    def __init__(self, state_dir: Path, filename: str = JOURNAL,
                 kinds: tuple[str, ...] = KINDS) -> None:
        self.path = state_dir / filename
        self.kinds = kinds

    def add(self, kind: str, name: str) -> None:
        if kind not in self.kinds:
            raise LabError(f"journal: unknown record kind {kind!r}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": kind, "name": name}) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def records(self) -> list[Record]:
        """Everything recorded, oldest first; a torn last line (crash mid-write) is skipped."""
        if not self.path.is_file():
            return []
        out: list[Record] = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                raw = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(raw, dict) and raw.get("kind") in self.kinds and \
                    isinstance(raw.get("name"), str):
                out.append(Record(raw["kind"], raw["name"]))
        return out

    def exists(self) -> bool:
        return self.path.is_file()

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(state_dir: Path, timeout: float = 120.0) -> Iterator[None]:
    """One up or teardown at a time per state directory (a lock on the directory itself).

    Without it, a teardown racing an up could delete the journal while the up still adds
    to it, and what it adds would then be recorded nowhere.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LabError(f"{state_dir} is locked by another lab operation") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
