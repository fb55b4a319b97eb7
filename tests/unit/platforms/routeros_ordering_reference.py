"""The rule placement of ``ordering.place`` as first written: the oracle for the fast one.

This is the straightforward form of the algorithm: the simulated running order is a list
searched with ``index`` at every step, and each chain rescans the whole intent. It is
quadratic in a menu's size, which is why production no longer uses it, and it is easy to
check by reading, which is why the tests keep it: the linear ``ordering.place`` must give
exactly the same moves, ``place-before`` targets and restore lines.
"""

from __future__ import annotations

import itertools

from pydriver.platforms.mikrotik_routeros import emit
from pydriver.platforms.mikrotik_routeros.ordering import Placement, Selectors, _restore, chain
from pydriver.platforms.mikrotik_routeros.script import Command

Ref = tuple[str, int | str]  # ("run", index) for a running item, ("new", key) for an add


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


