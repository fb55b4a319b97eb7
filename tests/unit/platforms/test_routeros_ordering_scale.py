"""The linear rule placement gives exactly what the first (quadratic) one gave.

``ordering.place`` was rewritten to plan hubs with thousands of rules; its output must not
change by a byte. Two checks: on a generated 300-site hub (hundreds of routing-filter
chains, queues, IPsec policies) under running configs that need every kind of placement,
each real call made by the diff is replayed through the reference algorithm and compared;
and on random firewall menus, the same comparison plus the ordering invariants checked on
the emulated router: owned rules of each chain in intended order above the site's own
rules, the site's rules untouched, one pass converges, and the rollback restores the exact
export after the whole script or any prefix of it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from pydriver.pipeline import Pipeline
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import diff, ordering, users
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.offline import apply_text
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import Platform
from tests.unit.platforms import routeros_ordering_reference as reference

HUB = "hub-drc-01"
ORDERED = ("/ip firewall filter", "/ip firewall nat", "/queue simple", "/routing filter rule",
           "/ip ipsec policy")


def same_placement(a: ordering.Placement, b: ordering.Placement) -> bool:
    return (a.moves == b.moves and a.place_before == b.place_before
            and list(a.place_before) == list(b.place_before) and a.restore == b.restore
            and a.moved == b.moved)


class PlaceSpy:
    """Records every ``ordering.place`` call the real diff makes, and its result."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], ordering.Placement]] = []
        self._real = ordering.place

    def __call__(self, *args: Any) -> ordering.Placement:
        result = self._real(*args)
        self.calls.append((args, result))
        return result


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaceSpy]:
    recorder = PlaceSpy()
    monkeypatch.setattr(ordering, "place", recorder)
    yield recorder


def check_against_reference(recorder: PlaceSpy) -> int:
    """Every recorded call gives the same placement through the reference; the number of
    moves, placed adds and restore lines seen (so a caller can tell the check was not
    vacuous)."""
    work = 0
    for args, got in recorder.calls:
        want = reference.place(*args)
        assert same_placement(got, want), f"placement differs in {'/'.join(args[0])}"
        work += len(got.moves) + sum(1 for v in got.place_before.values() if v) + \
            len(got.restore)
    return work


# ------------------------------------------------------------- a generated 300-site hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> RenderedConfig:
    inv = generate(300, tmp_path_factory.mktemp("inv300") / "inventory")
    return Pipeline(inv).rendered[HUB]


def edit_menus(text: str, rng: random.Random,
               change: Callable[[str, list[str], random.Random], list[str]]) -> str:
    """``text`` with the item lines of each menu passed through ``change``."""
    out: list[str] = []
    menu, items = "", list[str]()
    for line in [*text.splitlines(), "/end"]:
        if line.startswith("/"):
            out.extend(change(menu, items, rng) if items else [])
            menu, items = line, []
            out.append(line)
        elif line.startswith("add "):
            items.append(line)
        else:
            out.extend(change(menu, items, rng) if items else [])
            items = []
            out.append(line)
    return "\n".join(out[:-1]) + "\n"


T = TypeVar("T")


def shuffle(menu: str, items: list[str], rng: random.Random) -> list[str]:
    if menu == "/queue simple":
        # a queue follows its parent on any router (one naming a missing parent is
        # refused): families move together
        families: list[list[str]] = []
        for item in items:
            if " parent=" in item and families:
                families[-1].append(item)
            else:
                families.append([item])
        return [x for family in _swap(True, families, rng) for x in family]
    return _swap(menu in ORDERED, items, rng)


def _swap(ordered: bool, items: list[T], rng: random.Random) -> list[T]:
    items = list(items)
    if ordered and len(items) > 1:
        for _ in range(max(1, len(items) // 15)):
            a, b = rng.randrange(len(items)), rng.randrange(len(items))
            items[a], items[b] = items[b], items[a]
    return items


def drop(menu: str, items: list[str], rng: random.Random) -> list[str]:
    """Rules missing (added back with ``place-before``); no queue: others name it parent."""
    if menu not in ORDERED or menu == "/queue simple":
        return items
    return [x for x in items if rng.random() >= 0.05]


def stale(menu: str, items: list[str], rng: random.Random) -> list[str]:
    """Items pydriver owned once and the intent no longer has (removed, order restored)."""
    out = []
    for x in items:
        out.append(x)
        if menu in ORDERED and rng.random() < 0.04 and "name=" not in x:
            out.append(x.replace("comment=pydriver:", "comment=pydriver:old-"))
    return out


def local(menu: str, items: list[str], rng: random.Random) -> list[str]:
    """Rules a site added by hand among pydriver's (they become the chains' anchors)."""
    out = []
    for n, x in enumerate(items):
        if menu in ORDERED and "name=" not in x and rng.random() < 0.05:
            out.append(x.replace("comment=pydriver:", "comment=site-own-"))
        out.append(x)
        if menu in ORDERED and "name=" not in x and n % 7 == 3 and rng.random() < 0.2:
            out.append(x.replace("comment=pydriver:", "comment=site-late-"))
    return out


def everything(menu: str, items: list[str], rng: random.Random) -> list[str]:
    return local(menu, stale(menu, drop(menu, shuffle(menu, items, rng), rng), rng), rng)


def factory(model: str) -> str:
    engine = RouterOSEngine("hub", model, scheduler=NoTimers())
    return users.with_users(engine.export("show-sensitive"), engine.run(users.PRINT))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["factory", "shuffle", "drop", "stale", "local",
                                      "everything"])
def test_a_300_site_hub_is_placed_exactly_as_the_reference_places_it(
        hub: RenderedConfig, spy: PlaceSpy, scenario: str) -> None:
    rng = random.Random(scenario)
    edits = {"shuffle": shuffle, "drop": drop, "stale": stale, "local": local,
             "everything": everything}
    running = factory("CCR2004-16G-2S+") if scenario == "factory" else \
        edit_menus(hub.main, rng, edits[scenario])
    rem = diff.remediation(normalise(running), hub)
    assert rem.commands
    assert len(spy.calls) >= len(ORDERED) - 1  # every ordered menu the hub has
    assert check_against_reference(spy) > 0


@pytest.mark.slow
def test_a_hub_with_its_sites_own_rules_converges_on_the_emulated_router(
        hub: RenderedConfig, spy: PlaceSpy) -> None:
    running = apply_text(edit_menus(hub.main, random.Random(3), everything), ())
    rem = diff.remediation(normalise(running), hub)
    assert check_against_reference(spy) > 0
    after = apply_text(running, rem.commands)
    assert diff.remediation(normalise(after), hub).empty
    assert normalise(apply_text(after, rem.rollback)) == normalise(running)


# ------------------------------------------------------------- random firewall menus

CHAINS = ("input", "forward", "jip-sites")
KEYS = [f"{c}/{k}" for c in CHAINS for k in range(6)]


def rule(key: str, owned: bool, port_shift: int = 0) -> str:
    chain, k = key.split("/")
    port = 1000 + CHAINS.index(chain) * 10 + int(k) + port_shift
    comment = f"pydriver:{key}" if owned else f'"site: {key}"'
    return f"add action=accept chain={chain} comment={comment} dst-port={port} protocol=tcp"


@st.composite
def menus(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """(running rules, intended rules) of one firewall filter menu."""
    have = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=12))
    mine = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=4))
    running = [rule(k, True, draw(st.sampled_from([0, 0, 100]))) for k in have]
    running += [rule(k, False) for k in mine]
    running = draw(st.permutations(running))
    want = draw(st.lists(st.sampled_from(KEYS), unique=True, min_size=1, max_size=12))
    return list(running), [rule(k, True) for k in want]


def rules_of(text: str) -> list[str]:
    body = normalise(text).split("/ip firewall filter\n")
    return [ln for ln in body[1].splitlines() if ln.startswith("add ")] if len(body) > 1 else []


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(menu=menus(), cut=st.floats(0.0, 1.0))
def test_random_menus_are_placed_as_the_reference_places_them_and_in_order(
        spy: PlaceSpy, menu: tuple[list[str], list[str]], cut: float) -> None:
    spy.calls.clear()
    have, want = menu
    running = apply_text("/ip firewall filter\n" + "\n".join(have) + "\n", ())
    intended = RenderedConfig("r", Platform.MIKROTIK_ROUTEROS,
                              (("config.rsc", "/ip firewall filter\n" + "\n".join(want) + "\n"),))
    rem = diff.remediation(normalise(running), intended)
    check_against_reference(spy)
    after = apply_text(running, rem.commands)
    rules = rules_of(after)
    for chain in CHAINS:
        ours = [r for r in rules if f"chain={chain} " in r and "pydriver:" in r]
        theirs = [n for n, r in enumerate(rules) if f"chain={chain} " in r and "site:" in r]
        assert ours == [r for r in want if f"chain={chain} " in r]
        mine = [n for n, r in enumerate(rules) if r in ours]
        assert not theirs or not mine or max(mine) < min(theirs)
    assert [r for r in rules if "site:" in r] == [r for r in rules_of(running) if "site:" in r]
    assert diff.remediation(normalise(after), intended).empty
    assert normalise(apply_text(after, rem.rollback)) == normalise(running)
    partial = apply_text(running, rem.commands[:int(cut * len(rem.commands))])
    assert normalise(apply_text(partial, rem.rollback)) == normalise(running)
