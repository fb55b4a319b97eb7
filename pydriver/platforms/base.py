"""The one Protocol every platform implements, and the values that cross it.

A platform is data plus a few functions (DESIGN.md): how to read and normalise a running
config, how to compute the remediation and its rollback from running vs intended (pure),
and how to push, arm an automatic revert, confirm and roll back over a Netmiko session.
Keeping the pure half separate is what lets ``plan`` run with no device and lets the
golden round-trip tests prove that remediation and rollback are exact inverses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydriver.intent.model import DeviceIntent
from pydriver.render.render import RenderedConfig


@dataclass(frozen=True, slots=True)
class Remediation:
    """What to send to get from running to intended, and what undoes it.

    ``commands`` and ``rollback`` are in the platform's own language (RouterOS script lines,
    IOS config lines, or for linux_frr the frr.conf lines followed by whole-file markers).
    ``sections`` names the areas touched (``mgmt``, ``aaa``, ``firewall``, ``crypto``,
    ``routing``, ``qos``, ``interfaces``, ``baseline``) for the plan's risk flags.
    ``files`` carries whole-file replacements (linux_frr): name -> new text.
    """

    commands: tuple[str, ...]
    rollback: tuple[str, ...]
    added: int = 0
    removed: int = 0
    sections: frozenset[str] = frozenset()
    files: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.commands and not self.files


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One post-change check: what was checked, whether it passed, what was seen."""

    name: str
    ok: bool
    detail: str = ""
    peer: str = ""  # the router at the other end, when the check is about a session to it


@dataclass(frozen=True, slots=True)
class PushResult:
    """What happened when commands were sent: output and the first rejected command."""

    output: str
    rejected: str | None = None
    commands_sent: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class PlatformDriver(Protocol):
    """Per-platform behaviour; implementations are registered by name in ``registry``."""

    name: str
    device_type: str  # Netmiko's

    # -- pure ------------------------------------------------------------------------------
    def normalise(self, running: str) -> str:
        """Running config with volatile lines removed (timestamps, counters), in a canonical
        order where order carries no meaning; the form stored in backups and hashed."""
        ...

    def remediation(self, running: str, intended: RenderedConfig) -> Remediation:
        """Commands from ``running`` (normalised, secrets as placeholders) to ``intended``."""
        ...

    def apply_text(self, running: str, commands: tuple[str, ...]) -> str:
        """The config that results from running ``commands`` on ``running`` (offline model
        used by round-trip tests; may raise NotImplementedError where a device is needed)."""
        ...

    # -- I/O over a Netmiko connection ------------------------------------------------------
    def read_running(self, conn: Any) -> str:
        ...

    def arm_revert(self, conn: Any, remediation: Remediation, minutes: float) -> None:
        """Make the router undo the change by itself unless ``confirm`` comes in time."""
        ...

    def push(self, conn: Any, remediation: Remediation) -> PushResult:
        ...

    def confirm(self, conn: Any) -> None:
        """Disarm the revert: the change stays."""
        ...

    def rollback(self, conn: Any, remediation: Remediation) -> None:
        """Undo now (the change failed a check or a command was rejected)."""
        ...

    def checks(self, conn: Any, intent: DeviceIntent) -> list[CheckResult]:
        """Post-change checks run on this router (tunnels, BGP, LAN routes, pings)."""
        ...
