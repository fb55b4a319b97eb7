"""The RouterOS-native diff: running export vs rendered script -> add / set / remove.

RouterOS has no candidate configuration and no "replace": every line is live the moment
it runs, and ``/import`` stops at the first failing line with everything before it
applied. So the diff works item by item and orders its lines so that every prefix of the
script is a consistent router:

* Identity. Items pydriver owns carry ``comment=pydriver:<key>`` and are matched on that
  key; settings menus (``/ip ssh``) by menu; built-in items (``/ip service set telnet``,
  ``set [ find default=yes ]``) by the item they name. When an item the intent needs is
  held by an item pydriver does not own (the factory bridge port of ``ether3``), the add
  would fail on the menu's uniqueness rule, so that item is taken over: ``set [ find
  interface=ether3 ] bridge=br-staff comment=pydriver:...``.
* Scope. Only owned items are ever removed; items a site added, and factory items, are
  never touched except by a take-over. Write-only values (user passwords) go out with the
  ``add`` and are never compared.
* Order. Removals first, dependants before what they depend on (addresses before their
  interfaces); then menu by menu in the rendered script's order, sets, moves and adds, so
  that anything a line refers to already exists. Ordered menus get ``place-before`` and
  ``move`` (see :mod:`ordering`).
* Undo. Every forward line has an inverse that is harmless if the forward line never ran:
  an added item is removed by its key (no match, no-op); a set is undone by setting the old
  values; a removed item is removed-then-added again (works whether or not it was removed).
  Inverses run in reverse, re-adds last and in dependency order, so the rollback restores
  the exact export after a complete or a partial apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydriver.errors import PlanError
from pydriver.platforms.base import Remediation
from pydriver.platforms.mikrotik_routeros import changes, emit, ordering, schema, values
from pydriver.platforms.mikrotik_routeros.script import Command, parse
from pydriver.platforms.mikrotik_routeros.sections import sections_of
from pydriver.platforms.mikrotik_routeros.state import Section, menu_order, sections, set_key
from pydriver.render.render import RenderedConfig


@dataclass(frozen=True, slots=True)
class Op:
    """One forward change: its lines, the lines undoing it, and the item it is about."""

    kind: str  # "add" | "set" | "remove" | "move"
    forward: tuple[str, ...]
    undo: tuple[str, ...]
    item: Command


@dataclass(slots=True)
class MenuPlan:
    removals: list[Op] = field(default_factory=list)
    sets: list[Op] = field(default_factory=list)
    moves: list[Op] = field(default_factory=list)
    adds: list[Op] = field(default_factory=list)
    late: list[Op] = field(default_factory=list)  # sets naming items added just before
    restore: list[str] = field(default_factory=list)


def _empty(path: tuple[str, ...]) -> Section:
    return Section(path, (), ())


# ---------------------------------------------------------------------------- settings


def _settings(want: Section, run: Section, plan: MenuPlan) -> None:
    """``set`` lines of the intent: settings menus and built-in items."""
    have = {set_key(c): c for c in run.sets}
    menu = want.menu
    single = menu is not None and menu.kind is schema.Kind.SINGLETON
    for cmd in want.sets:
        key = set_key(cmd)
        current = have.get(key)
        item = None if single else values.item_name(cmd)
        delta = changes.compare(cmd, current, full=False, item=item, skip=frozenset())
        if delta.empty:
            continue
        target = None if single else cmd.target
        plan.sets.append(Op(
            "set",
            changes.lines(cmd.path, target, delta.set_to, delta.unset),
            changes.lines(cmd.path, target, delta.old_set, delta.old_unset),
            cmd))


# ---------------------------------------------------------------------------- list items


def _natural_keys(menu: schema.Menu | None) -> list[tuple[str, ...]]:
    if menu is None:
        return []
    keys = [u.keys for u in menu.unique]
    if menu.interface and ("name",) not in keys:
        keys.append(("name",))
    return keys


def _holder(want: Command, run: Section, free: list[tuple[int, Command]], claimed: set[int]
            ) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """An item pydriver does not own (one of ``free``, in running order) that holds what
    ``want`` needs (same unique key)."""
    for keys in _natural_keys(run.menu):
        wanted = [values.effective(want, k) for k in keys]
        if any(v is None for v in wanted):
            continue
        pairs = tuple((k, v) for k, v in zip(keys, wanted, strict=True) if v is not None)
        for index, cmd in free:
            if index not in claimed and all(
                    values.same(cmd.path, k, values.effective(cmd, k), v) for k, v in pairs):
                return index, pairs
    return None


def _identity_pairs(want: Command) -> tuple[tuple[str, str], ...]:
    menu = schema.menu(want.path)
    keys = menu.identity if menu is not None else ()
    return tuple((k, v) for k in keys if (v := values.effective(want, k)) is not None)


def _add_op(want: Command, place_before: str | None) -> Op:
    pairs = tuple((k, values.flag_value(want.path, k, v)) for k, v in want.props)
    tail = f"place-before={place_before}" if place_before else ""
    if want.owner is not None:
        undo: tuple[str, ...] = (emit.line(want.path, "remove", emit.owned(want.owner)),)
    else:  # nothing held this identity (else it was matched), so removing by it is safe
        pairs_id = _identity_pairs(want)
        undo = (emit.line(want.path, "remove", emit.where(pairs_id)),) if pairs_id else ()
    return Op("add", (emit.line(want.path, "add", None, pairs, tail),), undo, want)


def _items(want: Section, run: Section, plan: MenuPlan) -> None:
    path = want.path
    owned_at: dict[str, int] = {}
    for index, cmd in enumerate(run.adds):
        if cmd.owner is not None:
            owned_at.setdefault(cmd.owner, index)
    wanted_keys: set[str] = set()
    for cmd in want.adds:
        if cmd.owner is not None:
            if cmd.owner in wanted_keys:
                raise PlanError(f"{cmd.text(with_path=True)}: key pydriver:{cmd.owner} is "
                                "used twice in the intended config")
            wanted_keys.add(cmd.owner)
    # items pydriver does not own: the only ones a new item can take over (few, usually)
    free = [(i, c) for i, c in enumerate(run.adds) if c.owner is None]
    claimed: set[int] = set()
    matched: dict[str, int] = {}
    new: set[str] = set()
    pending_adds: list[Command] = []
    for cmd in want.adds:
        owner = cmd.owner
        if owner is not None and owner in owned_at:
            index = owned_at[owner]
            matched[owner] = index
            delta = changes.compare(cmd, run.adds[index], full=True, item=None)
            if not delta.empty:
                mine = emit.owned(owner)
                plan.sets.append(Op(
                    "set", changes.lines(path, mine, delta.set_to, delta.unset),
                    changes.lines(path, mine, delta.old_set, delta.old_unset), cmd))
            continue
        held = _holder(cmd, run, free, claimed)
        if held is None and owner is None:
            pairs = _identity_pairs(cmd)
            found = next((i for i, c in free if i not in claimed and pairs and all(
                values.same(path, k, values.effective(c, k), v) for k, v in pairs)), None)
            held = (found, pairs) if found is not None else None
        if held is not None:
            index, pairs = held
            claimed.add(index)
            if owner is not None:
                matched[owner] = index
            _take_over(cmd, run.adds[index], pairs, plan)
            continue
        if owner is not None:
            new.add(owner)
        pending_adds.append(cmd)
    removed = {k for k in owned_at if k not in wanted_keys}
    for index in range(len(run.adds) - 1, -1, -1):
        cmd = run.adds[index]
        if cmd.owner in removed and owned_at[cmd.owner] == index:
            plan.removals.append(Op("remove", (emit.line(path, "remove",
                                                         emit.owned(cmd.owner)),), (), cmd))
    if want.ordered or run.ordered:
        intended = [c for c in want.adds if c.owner is not None]
        placing = ordering.place(path, run.adds, intended, matched, removed, new)
        plan.moves.extend(Op("move", (line,), (), item) for line, item in placing.moves)
        plan.restore.extend(placing.restore)
        before = placing.place_before
    else:
        before = {}
        plan.restore.extend(_readd(path, run.adds, removed))
    added_names = {n for c in pending_adds if (n := c.get("name")) is not None}
    for cmd in pending_adds:
        plan.adds.append(_add_op(cmd, before.get(cmd.owner or "")))
    _defer(plan, added_names)


def _take_over(want: Command, held: Command, pairs: tuple[tuple[str, str], ...],
               plan: MenuPlan) -> None:
    path = want.path
    natural = emit.where(pairs)
    delta = changes.compare(want, held, full=want.owner is not None, item=None)
    forward_set = delta.set_to
    back_set, back_unset = delta.old_set, delta.old_unset
    if want.owner is not None:
        comment = want.get("comment") or ""
        old = held.get("comment")
        forward_set = (*forward_set, ("comment", comment))
        if old is None:
            back_unset = (*back_unset, "comment")
        else:
            back_set = (*back_set, ("comment", old))
        back_target = emit.owned(want.owner)
    else:
        if delta.empty:
            return
        back_target = natural
    plan.sets.append(Op(
        "set",
        changes.lines(path, natural, forward_set, delta.unset, then=natural),
        changes.lines(path, back_target, back_set, back_unset, then=natural),
        want))


def _readd(path: tuple[str, ...], running: tuple[Command, ...], removed: set[str]
           ) -> list[str]:
    out: list[str] = []
    for cmd in running:
        if cmd.owner in removed:
            out.append(emit.line(path, "remove", emit.owned(cmd.owner)))
            out.append(emit.line(path, "add", None, ordering.readd_pairs(cmd)))
    return out


def _defer(plan: MenuPlan, added: set[str]) -> None:
    """Sets that name an item added in the same menu (a queue's new parent) go after it."""
    if not added:
        return
    early: list[Op] = []
    for op in plan.sets:
        menu = schema.menu(op.item.path)
        refers = False
        for name, value in op.item.props:
            prop = menu.prop(name) if menu is not None else None
            if prop is not None and prop.ref == op.item.path and value in added:
                refers = True
        (plan.late if refers else early).append(op)
    plan.sets = early


# ---------------------------------------------------------------------------- assembly


def plan_menu(want: Section, run: Section) -> MenuPlan:
    plan = MenuPlan()
    _settings(want, run, plan)
    _items(want, run, plan)
    return plan


def remediation(running: str, intended: RenderedConfig, *, normal: bool = False
                ) -> Remediation:
    """Commands from ``running`` (an export, secrets as placeholders) to ``intended``.

    ``normal``: ``running`` is in the normal form (:func:`normalise.normalise`, what the
    plan always hands the driver), whose values are canonical with the defaults already
    dropped, so reading it clean again would change nothing. Cleaning was half of a
    province hub's diff (0.25 s of 0.6 at 3,000 sites), spent on the same backup in every
    plan."""
    run = sections(parse(running), clean=not normal)
    want = sections(parse(intended.main), clean=False)
    order = menu_order(list(want), list(run))
    plans = {p: plan_menu(want.get(p, _empty(p)), run.get(p, _empty(p))) for p in order}
    ops: list[Op] = []
    for path in reversed(order):
        ops.extend(plans[path].removals)
    for path in order:
        plan = plans[path]
        ops.extend((*plan.sets, *plan.moves, *plan.adds, *plan.late))
    rollback: list[str] = []
    for path in reversed(order):
        plan = plans[path]
        for op in reversed((*plan.sets, *plan.adds, *plan.late)):
            rollback.extend(op.undo)
    for path in order:
        rollback.extend(plans[path].restore)
    commands = tuple(line for op in ops for line in op.forward)
    added = sum(1 for op in ops if op.kind != "remove")
    gone = tuple(_gone(op) for op in ops if op.kind != "add")
    return Remediation(commands=commands, rollback=tuple(rollback) if commands else (),
                       added=added, removed=len(gone),
                       sections=sections_of(op.item for op in ops), removed_lines=gone)


def _gone(op: Op) -> str:
    """What a removal or change takes away: the removed item as the router exports it,
    the old values of a set (its undo), the item a move shifts."""
    if op.kind == "set" and op.undo:
        return " ; ".join(op.undo)
    return op.item.text(with_path=True)
