"""Property-level differences of one item, and the lines that make and undo them.

RouterOS has no "replace this item": an item is changed with ``set`` (a value) and
``unset`` (back to no value). Undoing must restore the exact export, so the old value of
each changed property is taken as the export shows it, or the schema default when the
export left it out, or "no value" (``unset``) when the property has no default at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pydriver.platforms.mikrotik_routeros import emit, values
from pydriver.platforms.mikrotik_routeros.script import Command


@dataclass(frozen=True, slots=True)
class Delta:
    """Values to set and properties to unset, forward and back."""

    set_to: tuple[tuple[str, str], ...] = ()
    unset: tuple[str, ...] = ()
    old_set: tuple[tuple[str, str], ...] = ()
    old_unset: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.set_to and not self.unset


@lru_cache(maxsize=4096)
def _ignored(path: tuple[str, ...], name: str) -> bool:
    """Never compared: write-only (the export cannot show it) or derived by the router."""
    return values.write_only(path, name) or values.derived(path, name)


def compare(want: Command, have: Command | None, *, full: bool, item: str | None,
            skip: frozenset[str] = frozenset({"comment"})) -> Delta:
    """What changes ``have`` (None: an item with every default) into ``want``.

    Only properties ``want`` names are compared, unless ``full``: then ``have``'s other
    explicit values go back to their defaults too (an item pydriver owns is all pydriver's,
    so a value someone added by hand is drift like any other).
    """
    path = want.path
    set_to: list[tuple[str, str]] = []
    unset: list[str] = []
    old_set: list[tuple[str, str]] = []
    old_unset: list[str] = []
    named = set()
    # ``have``'s values by name, the first of a name winning as in ``Command.get`` (a hub
    # compares thousands of items; a scan per property made that quadratic in the props)
    explicit = dict(reversed(have.props)) if have is not None else {}
    for name, raw in want.props:
        named.add(name)
        if name in skip or _ignored(path, name):
            continue
        wanted = values.flag_value(path, name, raw)
        if have is not None:
            current = explicit.get(name)
            if current is None:
                current = values.default(have.path, name, values.item_name(have))
        else:
            current = values.default(path, name, item)
        if values.same(path, name, wanted, current):
            continue
        set_to.append((name, wanted))
        if current is None:
            old_unset.append(name)
        else:
            old_set.append((name, current))
    if full and have is not None:
        for name, current in have.props:
            if name in named or name in skip or _ignored(path, name):
                continue
            fallback = values.default(path, name, item)
            if fallback is not None and values.same(path, name, current, fallback):
                continue
            if fallback is None:
                unset.append(name)
            else:
                set_to.append((name, fallback))
            old_set.append((name, current))
    return Delta(tuple(set_to), tuple(unset), tuple(old_set), tuple(old_unset))


def lines(path: tuple[str, ...], target: str | None, pairs: tuple[tuple[str, str], ...],
          names: tuple[str, ...], then: str | None = None) -> tuple[str, ...]:
    """``set`` of ``pairs`` then ``unset`` of each of ``names``.

    ``then`` is the selector for the unsets when the ``set`` itself changes what the first
    selector matches (taking over an item changes its comment).
    """
    out: list[str] = []
    if pairs:
        out.append(emit.line(path, "set", target, pairs))
    follow = then if then is not None and pairs else target
    out.extend(emit.unset(path, follow, name) for name in names)
    return tuple(out)
