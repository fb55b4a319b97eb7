"""The inventory's files as data, kept between commands by the hash of their bytes.

Why: building data with marks from libyaml's events is most of loading a province (about
a quarter of a millisecond per site file, 0.8 s at 3,000 sites), and a pull request or a
day's work changes a few files of thousands. A file whose bytes were parsed before, by
the same parser under the same limits, gives the same data: it is read from here with
:func:`json.loads` instead.

What is kept is only the data and its value count; never the marks. Marks are only read
to point at an error, so a document from here parses its text again the first time one
is asked for (:class:`Reparsed`), and the marks are exactly those of a fresh parse. Files
with a problem, and files using aliases (whose values are shared, not copied), are not
kept: they are parsed every time.

The file lives where :mod:`pydriver.cachedir` allows (the user's cache, never the
checkout) and holds one line per file: the SHA-256 of its bytes, then ``[data, nodes]``
as JSON. The first line names the code and limits it was made with; any other first
line, or a line that does not read back, means that entry (or all) is parsed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pydriver import cachedir
from pydriver.errors import Location
from pydriver.sot import files
from pydriver.sot import parse as parser
from pydriver.sot.files import Limits
from pydriver.sot.parse import PathKey

__all__ = ["ParseCache", "Reparsed", "dumps", "entry", "location"]

NAME = "documents.jsonl"
_FORMAT = "pydriver-parsed 1"


@lru_cache(maxsize=8)
def version(limits: Limits) -> str:
    """The first line of a cache made by this parser under ``limits``: its source and this
    module's, PyYAML's and libyaml's versions (a distribution upgrades libyaml on its own)
    and the limits, hashed."""
    digest = hashlib.sha256()
    for source in (files.__file__, parser.__file__, __file__):
        digest.update(Path(source or "").read_bytes())
    libyaml = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else "none"
    digest.update(f"{yaml.__version__} {libyaml} {limits!r}".encode())
    return f"{_FORMAT} {digest.hexdigest()}"


def location(inventory: Path) -> Path | None:
    """Where the inventory's parsed files are kept; None when the only place is in its
    checkout."""
    folder = cachedir.folder("parsed", inventory)
    return None if folder is None else folder / NAME


class Reparsed(Mapping[PathKey, Location]):
    """The marks of a document read from the cache: its text parsed again, once, on the
    first look-up (an error is being located)."""

    def __init__(self, text: str, file: str, limits: Limits) -> None:
        self._text, self._file, self._limits = text, file, limits
        self._marks: dict[PathKey, Location] | None = None

    def _all(self) -> dict[PathKey, Location]:
        if self._marks is None:
            try:
                self._marks = parser.parse(self._text, self._file, self._limits).marks
            except parser.Stop:  # parsed before, same bytes and code: cannot happen
                self._marks = {(): Location(self._file, 1, 1)}
        return self._marks

    def __getitem__(self, key: PathKey) -> Location:
        return self._all()[key]

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def dumps(data: Any, nodes: int) -> str | None:
    """A file's data and value count as one entry; None if the data cannot be written."""
    try:
        return json.dumps([data, nodes], separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None


def entry(kept: str) -> tuple[Any, int] | None:
    """The data and value count an entry holds; None if it does not read back."""
    try:
        data, nodes = json.loads(kept)
    except (TypeError, ValueError, RecursionError):
        return None
    return (data, nodes) if type(nodes) is int else None


class ParseCache:
    """The entries of one inventory's cache file: read at the start of a load, written
    back (only the entries of the files just loaded) at its end when anything changed."""

    def __init__(self, path: Path | None, limits: Limits) -> None:
        self.path = path
        self.header = version(limits)
        self._kept: dict[str, str] = {}
        self._used: dict[str, str] = {}
        self._added = False
        text = cachedir.read(path)
        if text is not None:
            self._read(text)

    def _read(self, text: str) -> None:
        header, _, body = text.partition("\n")
        if header != self.header:
            return
        for line in body.split("\n"):
            digest, _, entry = line.partition(" ")
            if entry:
                self._kept[digest] = entry

    def holds(self, digest: str) -> bool:
        """Whether the file whose bytes hash to ``digest`` was kept (it may still not read
        back: :meth:`get`)."""
        return digest in self._kept

    def get(self, digest: str) -> tuple[Any, int] | None:
        """The data and value count of the file whose bytes hash to ``digest``."""
        kept = self._kept.get(digest)
        if kept is None:
            return None
        found = entry(kept)
        if found is not None:
            self._used[digest] = kept
        return found

    def put(self, digest: str, data: Any, nodes: int) -> None:
        """Keep a file just parsed (without a problem or an alias)."""
        kept = dumps(data, nodes)
        if kept is not None:
            self.put_entry(digest, kept)

    def put_entry(self, digest: str, kept: str) -> None:
        """Keep a file parsed elsewhere, as :func:`dumps` wrote it."""
        self._used[digest] = kept
        self._added = True

    def save(self) -> None:
        """Write the entries of the files loaded this time, when they differ from what was
        read (a file added, changed or gone)."""
        if self.path is None or (not self._added and self._used.keys() == self._kept.keys()):
            return
        body = "".join(f"{digest} {entry}\n" for digest, entry in sorted(self._used.items()))
        cachedir.write(self.path, f"{self.header}\n{body}")
