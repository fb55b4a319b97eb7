"""Compiled templates kept between commands, in the inventory's private cache folder.

Why: Jinja compiles a template to Python the first time a process renders it, and every
process does, every worker of a forked render included: about 0.24 s for the three
platforms' templates, paid by each of a render's workers and by each worker of a plan.
Jinja keeps the compiled code under the template's name and checks it against the
source's checksum and its own and Python's versions, so a changed template or an upgrade
compiles again. What is read is code that will run: it is read only under the rules of
:mod:`pydriver.cachedir` (a folder of this user's, outside the inventory's checkout, that
no one else can write).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from pydriver import cachedir


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache, each template's code in a file of ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __hash__(self) -> int:
        return hash(self.folder)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TemplateCache) and other.folder == self.folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cachedir.read_bytes(self._path(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored unless checksum and versions match

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cachedir.write_bytes(self._path(bucket), bucket.bytecode_to_string())


def location(inventory: Path) -> Path | None:
    """Where the inventory's compiled templates are kept; None when the only place is in
    its checkout."""
    return cachedir.folder("templates", inventory)
