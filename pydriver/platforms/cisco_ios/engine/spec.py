"""How one IOS configuration command is kept: the shape shared by the strict tables of
:mod:`.commands` and the generic vocabulary of :mod:`.vocab`, so both compile into one
automaton per mode and are applied by one interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Flavor = Literal["set", "default_on", "both", "accumulate", "hidden", "raw"]
Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cmd:
    """One configuration command shape and how IOS keeps it in running-config.

    ``key``: the words that identify the line (first N, or these indexes; None = the whole
    line, so repeats add lines). ``flavor``: ``set`` stored as entered; ``default_on`` only its
    ``no`` form is ever shown; ``both`` either form is shown; ``accumulate`` values merge into
    one line; ``hidden`` accepted but never shown (``snmp-server user``); ``raw`` kept as
    typed, its ``no`` form removing it or, when there is nothing to remove, shown (the generic
    vocabulary of :mod:`.vocab`). ``default``: the value IOS does not display. ``only``:
    interface kinds the command exists on.
    """

    syntax: str
    key: int | tuple[int, ...] | None = None
    enter: str | None = None
    flavor: Flavor = "set"
    no_min: int | None = None
    default: str | None = None
    action: str | None = None
    only: Literal["tunnel", "sub", "phys", "virtual"] | None = None
    canon: Callable[[Words], Words] | None = None
    no_syntax_ok: bool = True

    def key_of(self, words: Words) -> Words:
        if self.key is None:
            return words
        if isinstance(self.key, int):
            return words[: self.key]
        return tuple(words[i] for i in self.key if i < len(words))

    def min_no_words(self) -> int:
        if self.no_min is not None:
            return self.no_min
        if self.key is None:
            return 10_000  # the whole line must be given
        return self.key if isinstance(self.key, int) else len(self.key)


@dataclass(frozen=True, slots=True)
class Mode:
    """A configuration mode: its prompt name, its commands and how IOS orders its lines.

    ``name`` identifies the mode; ``prompt`` is what IOS shows (``router ospf`` and ``router
    bgp`` are different modes behind the same ``(config-router)#``). ``closer`` is the line IOS
    prints after the block (``exit-address-family``) and also accepts to leave it.
    """

    name: str
    cmds: tuple[Cmd, ...]
    order: tuple[str, ...] = ()  # line prefixes in IOS display order; others follow as entered
    exit_words: tuple[str, ...] = ()
    prompt: str = ""
    closer: str | None = None
    initial: tuple[str, ...] = ()  # lines IOS shows in a new block though nobody typed them

    @property
    def shown(self) -> str:
        return self.prompt or self.name
