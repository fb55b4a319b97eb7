"""Which routers were last seen to render, by the key of their inputs: what validation may
skip.

Rendering is a pure function of a router's intent and of the code, and a router's intent is
a pure function of the files its inputs key hashes (:attr:`Pipeline.inputs`: its site
file, or a hub's linked sites' files, the shared files and the code). So a router whose key
rendered without error once renders without error again, and ``pydriver validate`` run
again on an inventory where one site changed renders that site and its hubs only. Keys of
routers that failed are never written; a router without a key is always rendered.

The file lives in the user's cache (:mod:`pydriver.cachedir`: outside the checkout, this
user's only): a pull request cannot plant keys that would let a broken router through.
It holds the keys of the last successful check only, so it never grows beyond one
inventory's routers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydriver import cachedir

NAME = "rendered-ok"


def location(inventory: Path) -> Path | None:
    """Where the inventory's checked keys are kept; None when the only place is in its
    checkout."""
    folder = cachedir.folder("checked", inventory)
    return None if folder is None else folder / NAME


def read(path: Path | None) -> frozenset[str]:
    """The keys that rendered at the last successful check (none without a trusted file)."""
    text = cachedir.read(path)
    return frozenset(text.split()) if text else frozenset()


def write(path: Path | None, keys: Iterable[str]) -> None:
    """Record ``keys`` as rendering without error, replacing what was there."""
    cachedir.write(path, "".join(f"{key}\n" for key in sorted(keys)))
