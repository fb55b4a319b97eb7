"""Booting a twin from a backup: every line of an export, with a report of what was refused.

``/import`` stops at the first error, which is right for a change pydriver pushes and wrong
for a twin of production: one line the twin cannot take must not leave the rest of the
router unconfigured. Here every line is tried, in order, the way ``/import`` would run it,
and each refused line is reported with its number and RouterOS's own complaint. Lines after
a refused menu line are refused with it (they would otherwise land in the wrong menu).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros.engine.errors import RosError
from pydriver.platforms.mikrotik_routeros.engine.lexer import (
    join_continuations,
    statements,
    tokens,
)

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.interp import Context, Interpreter


@dataclass(frozen=True, slots=True)
class Refused:
    """One line the router would not take: its number in the text, the line, the error."""

    line_no: int
    text: str
    error: str


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a whole configuration did: command lines tried, and those refused."""

    lines: int
    refused: tuple[Refused, ...]

    @property
    def accepted(self) -> int:
        return self.lines - len(self.refused)

    @property
    def ratio(self) -> float:
        return self.accepted / self.lines if self.lines else 1.0


def load(interp: Interpreter, source: str, ctx: Context) -> LoadReport:
    """Run every line of ``source`` at ``ctx``; count lines that run a command."""
    lines = 0
    refused: list[Refused] = []
    broken: Refused | None = None  # the refused menu line the following lines belong to
    for number, line in join_continuations(source):
        ctx.line = number
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            parts = statements(line)
        except RosError as exc:
            lines += 1
            refused.append(Refused(number, text, exc.console(1)))
            continue
        counted = False
        for body, offset in parts:
            starts_menu = body.lstrip().startswith("/")
            if broken is not None and not starts_menu and not body.lstrip().startswith(":"):
                if not counted:
                    lines += 1
                    refused.append(Refused(number, text, broken.error))
                    counted = True
                break
            try:
                command = _is_command(interp, body, offset, ctx)
                if command and not counted:
                    lines += 1
                    counted = True
                interp.statement(body, offset, ctx)
                if starts_menu and not command:
                    broken = None
            except RosError as exc:
                if not counted:
                    lines += 1
                    counted = True
                failure = Refused(number, text, exc.console(1))
                refused.append(failure)
                if starts_menu and not _is_command_safe(interp, body, offset, ctx):
                    broken = failure
                break
    return LoadReport(lines, tuple(refused))


def _is_command(interp: Interpreter, body: str, offset: int, ctx: Context) -> bool:
    """Does the statement run a command (rather than only change the current menu)?"""
    toks = tokens(body, offset)
    if not toks:
        return False
    if toks[0].raw.startswith(":"):
        return True
    _, verb, _ = interp.resolve(toks, ctx.path)
    return verb is not None


def _is_command_safe(interp: Interpreter, body: str, offset: int, ctx: Context) -> bool:
    try:
        return _is_command(interp, body, offset, ctx)
    except RosError:
        return False
