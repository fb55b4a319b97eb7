"""The one exception root of pydriver and its per-stage subclasses.

Every error that can reach a user derives from :class:`PydriverError`, so the CLI can turn
any of them into a clear message and exit code 1 without ever showing a traceback. Each
subclass carries the context a network engineer needs to act: the file and line of the
source of truth, or the host that failed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source-of-truth file (1-based line and column, as editors count)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of validation: where it is, what is wrong and what is expected."""

    location: Location | None
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = str(self.location) if self.location else "<inventory>"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "code": self.code,
            "message": self.message,
        }


class PydriverError(Exception):
    """Root of every error pydriver raises on purpose."""


class SourceError(PydriverError):
    """The source of truth cannot be read or is not sound; carries every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the source of truth:\n{lines}")


class RenderError(PydriverError):
    """A template could not be rendered for a host (a template bug, never bad input).

    ``location`` is where the host is defined in the source of truth, when known, so even
    a template bug points a reader at the router's file."""

    def __init__(self, host: str, message: str, location: Location | None = None) -> None:
        self.host = host
        self.message = message
        self.location = location
        where = f"{location}: " if location else ""
        super().__init__(f"{where}{host}: {message}")

    def problem(self) -> Problem:
        return Problem(self.location, f"{self.host}: {self.message}", "render")


class SecretError(PydriverError):
    """A secret reference is malformed or does not resolve."""


class PlatformError(PydriverError):
    """A platform is not registered, or its plugin cannot be loaded."""


class LabError(PydriverError):
    """The lab could not be brought up, queried or torn down."""


class SessionDropped(LabError):
    """An emulated router cut the session in the middle of a command (a fault knob): the
    lines it took before stay applied, as on a router whose link went down mid-merge."""


class DeviceError(PydriverError):
    """A router refused a command, dropped the session or could not be reached."""

    def __init__(self, host: str, message: str) -> None:
        self.host = host
        super().__init__(f"{host}: {message}")


class PlanError(PydriverError):
    """A plan cannot be made or is stale (source of truth or running config changed)."""


class ApplyError(PydriverError):
    """An apply could not start (lock held, plan stale) or ended with failures."""


class ServersError(PydriverError):
    """An Ansible run over the shared servers could not start or did not finish."""
