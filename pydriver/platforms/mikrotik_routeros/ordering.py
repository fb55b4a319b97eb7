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

from pydriver.platforms.mikrotik_routeros import emit, values
from pydriver.platforms.mikrotik_routeros.script import Command

Ref = tuple[str, int | str]  # ("run", index) for a running item, ("new", key) for an add


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


def place(path: tuple[str, ...], running: tuple[Command, ...], intended: list[Command],
          matched: dict[str, int], removed: set[str], new: set[str]) -> Placement:
    """Moves and ``place-before`` targets that put ``intended`` (owned, in intended order)
    where they belong, and the lines that restore ``running``'s order.

    ``matched``: owner key -> index in ``running`` of the item kept; ``removed``: owner keys
    removed before placing; ``new``: owner keys added.
    """
    domain = running + tuple(w for w in intended if w.owner in new)
    sel = Selectors(running, domain)
    out = Placement()
    sim: list[Ref] = [("run", i) for i, c in enumerate(running) if c.owner not in removed]
    anchors: dict[str, int | None] = {}
    for i, cmd in enumerate(running):
        key = chain(cmd)
        if cmd.owner is None and key not in anchors and sel.of(i) is not None:
            anchors[key] = i
    chains = list(dict.fromkeys(chain(w) for w in intended))
    for key in chains:
        _move_chain(key, intended, matched, anchors.get(key), sim, sel, running, out)
    for pos, want in enumerate(intended):
        owner = want.owner
        if owner not in new or owner is None:
            continue
        dest: Ref | None = None
        for later in intended[pos + 1:]:
            if chain(later) == chain(want) and later.owner in matched:
                dest = ("run", matched[later.owner])
                break
        anchor = anchors.get(chain(want))
        if dest is None and anchor is not None:
            dest = ("run", anchor)
        out.place_before[owner] = None if dest is None else sel.of(int(dest[1]))
        sim.insert(sim.index(dest) if dest is not None else len(sim), ("new", owner))
    out.restore = _restore(path, running, removed, out.moved, sel)
    return out


def _move_chain(key: str, intended: list[Command], matched: dict[str, int],
                anchor: int | None, sim: list[Ref], sel: Selectors,
                running: tuple[Command, ...], out: Placement) -> None:
    kept: list[Ref] = [("run", matched[w.owner]) for w in intended
                       if chain(w) == key and w.owner is not None and w.owner in matched]
    owners = {matched[w.owner]: w.owner for w in intended
              if w.owner is not None and w.owner in matched}
    positions = [sim.index(r) for r in kept]
    in_order = all(a < b for a, b in itertools.pairwise(positions))
    before_anchor = anchor is None or not positions or \
        positions[-1] < sim.index(("run", anchor))
    if in_order and before_anchor:
        return
    for n in range(len(kept) - 1, -1, -1):
        ref = kept[n]
        dest: Ref | None = kept[n + 1] if n + 1 < len(kept) else \
            (("run", anchor) if anchor is not None else None)
        if dest is None:
            continue
        at = sim.index(ref)
        if at + 1 < len(sim) and sim[at + 1] == dest:
            continue
        index = int(ref[1])
        item = running[index]
        target = sel.of(int(dest[1]))
        if dest[0] != "run" or target is None:
            continue
        out.moves.append((emit.line(item.path, "move", emit.owned(owners[index]),
                                    tail=f"destination={target}"), item))
        out.moved.add(index)
        sim.remove(ref)
        sim.insert(sim.index(dest), ref)


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
