"""Which routers were last seen to render, by the key of their inputs, and what they
rendered to: what validation and ``render --out`` may skip.

Rendering is a pure function of a router's intent and of the code, and a router's intent is
a pure function of the files its inputs key hashes (:attr:`Pipeline.inputs`: its site
file, or a hub's linked sites' files, the shared files and the code). So a router whose key
rendered without error once renders again, without error, to the same files: ``pydriver
validate`` run again on an inventory where one site changed renders that site and its hubs
only, and ``render --out`` leaves alone a router folder that holds exactly (by the
:func:`render.digest` kept beside the key) what the key rendered to. Keys of routers that
failed are never written; a router without a key is always rendered.

The file lives in the user's cache (:mod:`pydriver.cachedir`: outside the checkout, this
user's only): a pull request cannot plant keys that would let a broken router through.
It holds the keys of the last successful check only, so it never grows beyond one
inventory's routers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydriver import cachedir

NAME = "rendered-ok"


def location(inventory: Path) -> Path | None:
    """Where the inventory's checked keys are kept; None when the only place is in its
    checkout."""
    folder = cachedir.folder("checked", inventory)
    return None if folder is None else folder / NAME


def read(path: Path | None) -> dict[str, str]:
    """Key -> digest of what it rendered to, at the last successful check (nothing without
    a trusted file; a line that is not two words is ignored)."""
    text = cachedir.read(path) or ""
    pairs = (line.split() for line in text.splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


def write(path: Path | None, rendered: Mapping[str, str]) -> None:
    """Record each key of ``rendered`` as rendering without error to its digest, replacing
    what was there."""
    cachedir.write(path, "".join(f"{key} {rendered[key]}\n" for key in sorted(rendered)))
