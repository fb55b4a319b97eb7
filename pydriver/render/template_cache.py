"""Compiled templates kept between commands, in the inventory's private cache folder.

Why: Jinja compiles a template to Python the first time a process renders it, and every
process does, every worker of a forked render included: about 0.24 s for the three
platforms' templates, paid by each of a render's workers and by each worker of a plan.
Jinja keeps the compiled code under the template's name and checks it against the
source's checksum and Python's version; the file's name adds Jinja's own version, the
environment's options (block and line rules, newlines, undefined), which shape the code
too, and pydriver's code (:mod:`pydriver.codebase`): Jinja runs a filter on constants
while it compiles (``("in/icmp") | ros_comment`` is compiled to its result), so code
compiled by another pydriver holds what that pydriver's filters made. A changed template,
a Jinja upgrade, another option or another pydriver compiles again. What is
read is code that will run: it is read only under the rules of
:mod:`pydriver.cachedir` (a folder of this user's, outside the inventory's checkout, that
no one else can write).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from pydriver import cachedir, codebase


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache, each template's code in a file of ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: whether pydriver's files were still those of its digest at the first write: the
        #: filters that Jinja runs while compiling are imported by then (the environment
        #: is made with them), so the answer holds for the rest of the process
        self._current: bool | None = None

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{fingerprint(bucket.environment)}-{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cachedir.read_bytes(self._path(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored unless checksum and versions match

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self._current is None:
            self._current = codebase.still_current()
        if not self._current:
            return  # compiled with filters of code that is not the digest's
        path = self._path(bucket)
        cachedir.write_bytes(path, bucket.bytecode_to_string())
        # one entry per template: the code compiled by another pydriver (or under other
        # options) goes, or each edit and upgrade would leave a set of files behind
        for other in self.folder.glob(f"*-{bucket.key}.jinja"):
            if other.name != path.name:
                cachedir.remove(other)


def fingerprint(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides the code Jinja compiles it to."""
    shaping = (jinja2.__version__, codebase.code_digest(),
               env.block_start_string, env.block_end_string, env.variable_start_string,
               env.variable_end_string, env.comment_start_string, env.comment_end_string,
               env.line_statement_prefix, env.line_comment_prefix,
               env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
               env.keep_trailing_newline, env.optimized, env.is_async,
               sorted(env.extensions), _named(env.autoescape), _named(env.finalize),
               _named(env.undefined))
    return hashlib.sha256(repr(shaping).encode()).hexdigest()[:16]


def _named(value: object) -> str:
    """A setting by name (a function's repr holds its address, another in each process)."""
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if name else repr(value)


def location(inventory: Path) -> Path | None:
    """Where the inventory's compiled templates are kept; None when the only place is in
    its checkout."""
    return cachedir.folder("templates", inventory)
