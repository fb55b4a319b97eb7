"""Twins of production: lab routers that boot from their routers' last backups.

``lab up --from backups`` gives every emulated twin the configuration its router had when
``pydriver backup`` last read it, so a rehearsal plans and applies against what production
really runs, other teams' items included, not against a factory-default router.

A backup is scrubbed: its secrets are ``@@secret:<ref>@@`` placeholders or
``@@redacted:<digest>@@`` stand-ins. A twin gets lab values for them (see
:mod:`pydriver.lab.secrets`), filled in the daemon's memory only; nothing written (reports,
errors, state files) ever holds one. A line the twin cannot take is reported with its
number and the twin's own message; more than ``max_refused`` of them on any router and the
lab does not come up at all, because a rehearsal on a partial twin would prove nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydriver.deploy import backup as backups
from pydriver.errors import LabError
from pydriver.lab.secrets import lab_redacted, lab_secrets
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Platform
from pydriver.sot.secrets import PLACEHOLDER

#: the platforms whose twins can boot from a backup (emulated in the lab daemon)
BOOTABLE = frozenset({Platform.MIKROTIK_ROUTEROS, Platform.CISCO_IOS})
REDACTED = re.compile(r"@@redacted:(?P<digest>[0-9a-f]+)@@")
SOURCES = ("factory", "backups")


@dataclass(frozen=True, slots=True)
class RefusedLine:
    """A backup line the twin would not take: its number in the backup file, the line as
    the backup holds it, and the router's own complaint."""

    line: int
    text: str
    error: str


@dataclass(frozen=True, slots=True)
class TwinBoot:
    """How one twin came up: from its router's backup (lines read, lines refused) or from
    the factory default (``note`` says why)."""

    name: str
    platform: str
    source: str  # "backup" or "factory"
    lines: int = 0
    refused: tuple[RefusedLine, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TwinBoot:
        return cls(str(data["name"]), str(data["platform"]), str(data["source"]),
                   int(data.get("lines", 0)),
                   tuple(RefusedLine(**r) for r in data.get("refused", ())),
                   str(data.get("note", "")))


@dataclass(frozen=True, slots=True)
class BootPlan:
    """What ``lab up --from backups`` boots each twin from: the scrubbed backup text per
    router (secrets still placeholders), the routers allowed to come up factory-default."""

    repo: Path
    configs: Mapping[str, str]
    missing: tuple[str, ...] = ()
    max_refused: int = 0


class TwinBootError(LabError):
    """Twins refused more backup lines than allowed; the lab was taken down again."""

    def __init__(self, boots: Sequence[TwinBoot], max_refused: int) -> None:
        self.boots = tuple(boots)
        bad = [b for b in self.boots if len(b.refused) > max_refused]
        lines = [f"{len(bad)} twin(s) could not take their backup (more than {max_refused} "
                 "refused line(s)); the lab was not left up:"]
        for b in bad:
            lines.append(f"{b.name} ({b.platform}): {len(b.refused)} of {b.lines} lines "
                         "refused")
            lines += [f"  line {r.line}: {r.text}\n    {_one_line(r.error)}"
                      for r in b.refused]
        super().__init__("\n".join(lines))


def _one_line(error: str) -> str:
    """The router's message without the IOS caret line (it points into the echoed line)."""
    kept = [ln.strip() for ln in error.splitlines() if ln.strip() and ln.strip() != "^"]
    return " ".join(kept) or "refused"


def prepare(pipe: Pipeline, source: str, repo: Path, skip: set[str], *, max_refused: int = 0,
            allow_missing: bool = False) -> BootPlan | None:
    """What ``--from source`` boots the twins from: None for factory-default twins; for
    ``backups``, every lab router's backup, read now. A router without one is an error
    naming it (with ``allow_missing``, a factory-default twin, reported as such)."""
    if source not in SOURCES:
        raise LabError(f"--from {source!r}: expected {' or '.join(SOURCES)}")
    if source == "factory":
        return None
    intents = {h: i for h, i in pipe.intents.items() if i.platform.value not in skip}
    unbootable = sorted(h for h, i in intents.items() if i.platform not in BOOTABLE)
    if unbootable:
        kinds = sorted({intents[h].platform.value for h in unbootable})
        raise LabError(
            f"twins of {', '.join(kinds)} routers cannot boot from backups yet "
            f"({', '.join(unbootable)}); leave them out with "
            + " ".join(f"--skip-platform {p}" for p in kinds))
    if max_refused < 0:
        raise LabError("--max-refused must be 0 or more")
    platforms = {h: i.platform.value for h, i in intents.items()}
    configs = backups.read(repo, platforms)
    missing = tuple(sorted(set(platforms) - set(configs)))
    if missing and not allow_missing:
        raise LabError(f"no backup in {repo} for {len(missing)} router(s): "
                       f"{', '.join(missing)} (run 'pydriver backup' against production, "
                       "or pass --allow-missing to give them factory-default twins)")
    return BootPlan(repo, configs, missing, max_refused)


class Loadable(Protocol):
    """What a twin's engine offers to boot from a saved configuration."""

    def load_config(self, text: str) -> Any: ...


def secrets_in(texts: Sequence[str]) -> set[str]:
    return {m["ref"] for text in texts for m in PLACEHOLDER.finditer(text)}


@dataclass
class Filler:
    """Placeholders to lab values and back (the way back keeps values out of reports)."""

    secrets: Mapping[str, str]
    redacted: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_pipeline(cls, pipe: Pipeline, texts: Sequence[str]) -> Filler:
        return cls(lab_secrets(pipe, secrets_in(texts)))

    def fill(self, text: str) -> str:
        def redacted(m: re.Match[str]) -> str:
            value = lab_redacted(m["digest"])
            self.redacted[m.group(0)] = value
            return value

        text = PLACEHOLDER.sub(lambda m: self.secrets.get(m["ref"], m.group(0)), text)
        return REDACTED.sub(redacted, text)

    def unfill(self, text: str) -> str:
        pairs = [(v, f"@@secret:{ref}@@") for ref, v in self.secrets.items()]
        pairs += [(v, token) for token, v in self.redacted.items()]
        for value, token in sorted(pairs, key=lambda p: -len(p[0])):
            if value:
                text = text.replace(value, token)
        return text


def boot(engine: Loadable, name: str, platform: str, text: str, filler: Filler) -> TwinBoot:
    """Load ``text`` (a scrubbed backup) into ``engine`` with lab values for its secrets;
    report what it refused by line number in the backup, with placeholders again where the
    line (a RouterOS line continued with ``\\`` is one line) or the message held a value."""
    report = engine.load_config(filler.fill(text))
    refused = tuple(RefusedLine(r.line_no, filler.unfill(r.text).strip(), filler.unfill(r.error))
                    for r in report.refused)
    return TwinBoot(name, platform, "backup", int(report.lines), refused)


def check(boots: Sequence[TwinBoot], max_refused: int) -> None:
    """Raise :class:`TwinBootError` when any twin refused more than ``max_refused`` lines."""
    if any(len(b.refused) > max_refused for b in boots):
        raise TwinBootError(boots, max_refused)


def summary(boot: TwinBoot) -> str:
    """One line per twin for ``lab up``: where its configuration came from."""
    if boot.source != "backup":
        return f"{boot.name}: factory default" + (f" ({boot.note})" if boot.note else "")
    refused = f", {len(boot.refused)} refused (lines " \
              f"{', '.join(str(r.line) for r in boot.refused)})" if boot.refused else ""
    return f"{boot.name}: booted from its backup, {boot.lines} lines{refused}"
