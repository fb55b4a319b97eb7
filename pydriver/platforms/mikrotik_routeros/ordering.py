"""Where rules go in menus whose order is configuration (firewall, NAT, queues, policies).

RouterOS evaluates these lists top to bottom, so position is meaning: an accept rule
below the factory ``defconf`` drop never matches. pydriver's rules of a chain are kept in
their intended order, as one block placed before the first rule of that chain pydriver
does not own (the "anchor"); rules of other chains and rules a site added stay where they
are. Placing is done with ``place-before`` and ``move ... destination``, both naming items
by what they are, so a script cut short leaves every later line still meaningful.

Undo has to put every touched rule back exactly, whatever part of the forward script ran.
Walking the old order from the end, each touched rule is put right before its old
successor, which is by then already where it belongs; so the old order comes back one
rule at a time. A rule that was last goes back by remove + add (an ``add`` appends).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from pydriver.platforms.mikrotik_routeros import emit, values
from pydriver.platforms.mikrotik_routeros.script import Command


@dataclass(slots=True)
class Placement:
    """What the ordering of one menu needs, forward and back."""

    moves: list[tuple[str, Command]] = field(default_factory=list)  # (line, item)
    place_before: dict[str, str | None] = field(default_factory=dict)  # new key -> selector
    restore: list[str] = field(default_factory=list)
    moved: set[int] = field(default_factory=set)  # indexes in the running order


def chain(cmd: Command) -> str:
    return cmd.get("chain") or ""


def _matches(cmd: Command, pairs: tuple[tuple[str, str], ...]) -> bool:
    return all(values.same(cmd.path, k, values.effective(cmd, k), v) for k, v in pairs)


class Selectors:
    """Selectors for running items: by owner key, else by values that name them alone."""

    def __init__(self, running: tuple[Command, ...], domain: tuple[Command, ...]) -> None:
        self.running = running
        self.domain = domain  # every item a selector could meet (running and new)
        self._cache: dict[int, str | None] = {}

    def of(self, index: int) -> str | None:
        if index not in self._cache:
            self._cache[index] = self._make(self.running[index])
        return self._cache[index]

    def _make(self, cmd: Command) -> str | None:
        if cmd.owner is not None:
            return emit.owned(cmd.owner)
        candidates: list[tuple[tuple[str, str], ...]] = []
        comment = cmd.get("comment")
        if comment:
            candidates.append((("comment", comment),))
        candidates.append(tuple(cmd.props))
        for pairs in candidates:
            if pairs and sum(1 for other in self.domain if _matches(other, pairs)) == 1:
                return emit.where(pairs)
        return None

    def first_from(self, index: int) -> str | None:
        """The selector of the item at ``index``, or of the nearest later one that has one."""
        for i in range(index, len(self.running)):
            found = self.of(i)
            if found is not None:
                return found
        return None


class _Order:
    """The running order of a menu as the forward script rearranges it.

    A doubly linked list of running indexes, each with a label that sorts like its
    position: "what follows this rule", "is this rule above that one" and "move this
    rule before that one" are then constant time. A list with ``index``/``insert`` made
    each of them a scan of the menu, and planning a hub with thousands of rules quadratic.
    A moved rule is labelled halfway between its new neighbours (exact fractions), so
    labels keep sorting like positions however many moves were made.
    """

    def __init__(self, indexes: list[int]) -> None:
        self.label: dict[int, Fraction | int] = {i: n for n, i in enumerate(indexes)}
        self.next: dict[int, int | None] = {}
        self.prev: dict[int, int | None] = {}
        for n, i in enumerate(indexes):
            self.prev[i] = indexes[n - 1] if n else None
            self.next[i] = indexes[n + 1] if n + 1 < len(indexes) else None

    def before(self, a: int, b: int) -> bool:
        return self.label[a] < self.label[b]

    def move_before(self, item: int, dest: int) -> None:
        prev, nxt = self.prev[item], self.next[item]
        if prev is not None:
            self.next[prev] = nxt
        if nxt is not None:
            self.prev[nxt] = prev
        above = self.prev[dest]
        self.prev[item], self.next[item] = above, dest
        self.prev[dest] = item
        if above is not None:
            self.next[above] = item
        low = self.label[above] if above is not None else self.label[dest] - 1
        self.label[item] = Fraction(low + self.label[dest], 2)


def place(path: tuple[str, ...], running: tuple[Command, ...], intended: list[Command],
          matched: dict[str, int], removed: set[str], new: set[str]) -> Placement:
    """Moves and ``place-before`` targets that put ``intended`` (owned, in intended order)
    where they belong, and the lines that restore ``running``'s order.

    ``matched``: owner key -> index in ``running`` of the item kept; ``removed``: owner keys
    removed before placing; ``new``: owner keys added. Linear in the menu's size: every
    lookup below is a dict, never a scan of the menu.
    """
    domain = running + tuple(w for w in intended if w.owner in new)
    sel = Selectors(running, domain)
    out = Placement()
    order = _Order([i for i, c in enumerate(running) if c.owner not in removed])
    anchors: dict[str, int | None] = {}
    for i, cmd in enumerate(running):
        key = chain(cmd)
        if cmd.owner is None and key not in anchors and sel.of(i) is not None:
            anchors[key] = i
    # each chain's kept items (running indexes) in intended order, and whose key each is
    kept: dict[str, list[int]] = {}
    owners: dict[int, str] = {}
    for want in intended:
        kept.setdefault(chain(want), [])
        if want.owner is not None and want.owner in matched:
            kept[chain(want)].append(matched[want.owner])
            owners[matched[want.owner]] = want.owner
    for key, items in kept.items():
        _move_chain(items, owners, anchors.get(key), order, sel, running, out)
    # a new item goes before the next kept item of its chain, else before the anchor
    following: dict[str, int] = {}
    for want in reversed(intended):
        owner, key = want.owner, chain(want)
        if owner is not None and owner in new:
            dest = following.get(key, anchors.get(key))
            out.place_before[owner] = None if dest is None else sel.of(dest)
        if owner is not None and owner in matched:
            following[key] = matched[owner]
    out.place_before = {w.owner: out.place_before[w.owner] for w in intended
                        if w.owner is not None and w.owner in out.place_before}
    out.restore = _restore(path, running, removed, out.moved, sel)
    return out


def _move_chain(kept: list[int], owners: dict[int, str], anchor: int | None, order: _Order,
                sel: Selectors, running: tuple[Command, ...], out: Placement) -> None:
    """Moves that put one chain's ``kept`` items in order, above the chain's anchor.

    Nothing moves when they already are; else, from the last item up, each item goes
    right before the one that must follow it (the anchor for the last).
    """
    in_order = all(order.before(a, b) for a, b in itertools.pairwise(kept))
    before_anchor = anchor is None or not kept or order.before(kept[-1], anchor)
    if in_order and before_anchor:
        return
    for n in range(len(kept) - 1, -1, -1):
        index = kept[n]
        dest = kept[n + 1] if n + 1 < len(kept) else anchor
        if dest is None or dest == index or order.next[index] == dest:
            continue
        target = sel.of(dest)
        if target is None:
            continue
        item = running[index]
        out.moves.append((emit.line(item.path, "move", emit.owned(owners[index]),
                                    tail=f"destination={target}"), item))
        out.moved.add(index)
        order.move_before(index, dest)


def _restore(path: tuple[str, ...], running: tuple[Command, ...], removed: set[str],
             moved: set[int], sel: Selectors) -> list[str]:
    lines: list[str] = []
    for i in range(len(running) - 1, -1, -1):
        cmd = running[i]
        gone = cmd.owner is not None and cmd.owner in removed
        if not gone and i not in moved:
            continue
        succ = sel.first_from(i + 1) if i + 1 < len(running) else None
        mine = sel.of(i)
        if mine is None:
            continue
        if i in moved and succ is not None:
            lines.append(emit.line(path, "move", mine, tail=f"destination={succ}"))
            continue
        lines.append(emit.line(path, "remove", mine))
        tail = f"place-before={succ}" if succ is not None else ""
        lines.append(emit.line(path, "add", None, readd_pairs(cmd), tail))
    return lines


def readd_pairs(cmd: Command) -> tuple[tuple[str, str], ...]:
    """An item's values as an ``add`` recreates it (derived values are the router's)."""
    return tuple((k, v) for k, v in cmd.props if not values.derived(cmd.path, k))
