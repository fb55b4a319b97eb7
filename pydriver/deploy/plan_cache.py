"""The last plan of an inventory, kept so that the next plan renders and diffs only what
changed: in the user's own cache directory, never in the checkout.

Why not beside the inventory: a pull request controls every file of its checkout. A
"last plan" committed there could claim that a changed router is unchanged (its hashes
are computable by anyone with the code), and the reviewer would see no change where the
merge brings one, or ``apply`` would push what the forged entry says. So the plan is kept
under the rules of :mod:`pydriver.cachedir` (the user's cache directory, never inside the
inventory's checkout, read only from what this user alone can write). Any doubt means no
shortcut: the plan is then made whole, never wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydriver import cachedir, codebase
from pydriver.errors import PydriverError
from pydriver.plan.model import Plan

NAME = "last.json"


def location(inventory: Path) -> Path | None:
    """Where the inventory's last plan is kept; None when the only place is in its checkout.
    One file per inventory (by its absolute path): two checkouts never share a plan."""
    folder = cachedir.folder("plans", inventory)
    return None if folder is None else folder / NAME


def previous(path: Path | None) -> Plan | None:
    """The last plan kept at ``path`` (from :func:`location`), if it can be trusted and
    read."""
    text = cachedir.read(path)
    if text is None:
        return None
    try:
        return Plan.from_dict(json.loads(text), str(path))
    except (PydriverError, ValueError, RecursionError):
        return None


def remember(path: Path | None, plan: Plan) -> None:
    """Keep ``plan`` at ``path`` for the next one (a cache that cannot be written only
    costs time); not when pydriver's code changed during the command: the plan says it
    was made by the code of its start, and parts of it may not have been."""
    if codebase.still_current():
        cachedir.write(path, plan.to_json(indent=None))
