"""The one Protocol every platform implements, and the values that cross it.

A platform is data plus a few functions (DESIGN.md): how to name its interfaces and
tunnels, which files it renders from which templates, how to read and normalise a running
config, how to compute the remediation and its rollback from running vs intended (pure), and
how to push, arm an automatic revert, confirm and roll back over a Netmiko session. Keeping
the pure half separate is what lets ``plan`` run with no device and lets the golden
round-trip tests prove that remediation and rollback are exact inverses.

The stages below this one (validate, intent, render) need a little platform knowledge too
(an interface grammar, tunnel names, template files). They declare what they need as small
Protocols of their own and are handed the registered drivers by the pipeline, so no stage
imports a platform and a driver satisfies all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydriver.intent.model import DeviceIntent
from pydriver.platforms.facts import ConfigFacts
from pydriver.platforms.scrub import Dialect
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import CryptoProfile


@dataclass(frozen=True, slots=True)
class Remediation:
    """What to send to get from running to intended, and what undoes it.

    ``commands`` and ``rollback`` are in the platform's own language (RouterOS script lines,
    IOS config lines, or for linux_frr the frr.conf lines followed by whole-file markers).
    ``sections`` names the areas touched (``mgmt``, ``aaa``, ``firewall``, ``crypto``,
    ``routing``, ``qos``, ``interfaces``, ``baseline``) for the plan's risk flags.
    ``files`` carries whole-file replacements (linux_frr): name -> new text.
    ``removed_lines`` are the running config's lines the change takes away or replaces
    (what ``removed`` counts): a reviewer must see what goes, not only how much.
    """

    commands: tuple[str, ...]
    rollback: tuple[str, ...]
    added: int = 0
    removed: int = 0
    sections: frozenset[str] = frozenset()
    files: tuple[tuple[str, str], ...] = ()
    removed_lines: tuple[str, ...] = ()

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
    excused: bool = False  # not required to pass in this run (detail says why)


@dataclass(frozen=True, slots=True)
class PushResult:
    """What happened when commands were sent: output and the first rejected command."""

    output: str
    rejected: str | None = None
    commands_sent: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class PlatformDriver(Protocol):
    """Per-platform behaviour; implementations are registered by entry point
    (``pydriver.platforms``) and looked up by name in :mod:`pydriver.platforms.registry`."""

    name: str
    device_type: str  # Netmiko's
    encapsulation: str  # tunnels: "gre-ipsec" or "ipsec-tunnel" (both ends must agree)
    files: tuple[tuple[str, str], ...]  # (file name, template; "{role}" is hub or site)
    keep_blank_lines: bool  # config files keep single blank lines; consoles have none
    backup_suffix: str  # the file extension of this platform's configs in the backups
    fast_cli: bool  # Netmiko's fast_cli: off only where the platform needs its delays
    # the router is a Debian host whose own baseline (accounts, sshd, time, logs, SNMP,
    # RADIUS) the routers playbook provisions, beside the files pydriver pushes
    host_baseline_by_ansible: bool
    filters: Mapping[str, Callable[..., Any]]  # Jinja filters this platform's templates use
    secret_forms: Dialect  # the secret-bearing line forms of its configs (scrubbing)

    # -- naming and grammar (pure; used by validate, intent and render) --------------------
    @property
    def template_dir(self) -> Path:
        """The folder holding this platform's templates."""
        ...

    def tunnel_name(self, site_code: str, link_name: str, index: int, number: int,
                    hub_side: bool) -> str:
        """The tunnel interface for link ``index`` of a site (``number`` is stable)."""
        ...

    def vlan_interface(self, parent: str, vlan: int) -> str:
        """The VLAN sub-interface of ``parent`` carrying ``vlan``."""
        ...

    def interface_problem(self, name: str) -> str | None:
        """Why ``name`` is not an interface name this platform can take (None: fine)."""
        ...

    def embed_secret(self, value: str) -> str:
        """``value`` written where a ``@@secret:<ref>@@`` placeholder stands in this
        platform's rendered files, quoted and escaped as that place parses it, so a secret
        can neither end its token nor start a command. Raises ``SecretError`` (saying why,
        never showing the value) when the platform cannot carry it at all."""
        ...

    def crypto_problem(self, profile: CryptoProfile) -> str | None:
        """Why this platform cannot build tunnels with ``profile`` (None: it can), for the
        algorithms the crypto policy accepts."""
        ...

    # -- pure ------------------------------------------------------------------------------
    def normalise(self, running: str) -> str:
        """Running config with volatile lines removed (timestamps, counters), in a canonical
        order where order carries no meaning; the form stored in backups and hashed."""
        ...

    def remediation(self, running: str, intended: RenderedConfig) -> Remediation:
        """Commands from ``running`` (normalised, secrets as placeholders) to ``intended``."""
        ...

    def owns_anything(self, running: str) -> bool:
        """Whether ``running`` (normalised) holds anything pydriver configured: a router
        that holds nothing yet is *created* by its plan, not updated (a reviewer reads the
        two very differently: a new OPD versus a change to a live one)."""
        ...

    def as_running(self, intended: RenderedConfig) -> str:
        """The running config a router shows once it runs exactly ``intended``: what a
        review plans against when it has only the base commit's rendered configs."""
        ...

    def apply_text(self, running: str, commands: tuple[str, ...]) -> str:
        """The config that results from running ``commands`` on ``running`` (offline model
        used by round-trip tests; may raise NotImplementedError where a device is needed)."""
        ...

    def facts(self, host: str, config: str, where: str) -> ConfigFacts:
        """What ``config`` (a running config in this platform's form, as backups hold it)
        says about security; evidence lines point into the file ``where``."""
        ...

    def firmware(self, raw: str) -> str | None:
        """The software version a raw running config says the router runs (None: silent)."""
        ...

    def rendered_facts(self, rendered: RenderedConfig, folder: str) -> ConfigFacts:
        """The same for a rendered config written into ``folder`` (``render --out``)."""
        ...

    def connection_extras(self, override: Mapping[str, Any],
                          environ: Mapping[str, str]) -> dict[str, Any]:
        """Extra Netmiko arguments for this platform (an enable secret, for instance)."""
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

    def ping(self, conn: Any, destination: str, source: str | None) -> bool:
        """Ping from this router (sourced from ``source`` when given); True if answered."""
        ...
