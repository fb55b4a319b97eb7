"""mikrotik_routeros (v7) behind the PlatformDriver Protocol.

RouterOS has no candidate configuration, no commit-confirm and no "replace": every line
is live as it runs. So the driver is built from three parts that each answer one of those
gaps: the item-identity diff (:mod:`diff`) that only touches what pydriver owns and orders
every line so any prefix of the script is a consistent router; a rollback that is safe
after a partial apply; and a scheduler job armed before the push that runs that rollback
unless the change is confirmed (:mod:`device`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydriver.errors import SecretError
from pydriver.intent.model import DeviceIntent, Neighbor
from pydriver.platforms.base import CheckResult, PushResult, Remediation
from pydriver.platforms.facts import ConfigFacts
from pydriver.platforms.mikrotik_routeros import (
    device,
    diff,
    normalise,
    offline,
    schema,
    script,
    status,
)
from pydriver.platforms.mikrotik_routeros import facts as config_facts
from pydriver.platforms.mikrotik_routeros.filters import FILTERS
from pydriver.platforms.mikrotik_routeros.scrub import DIALECT
from pydriver.platforms.naming import grammar_problem
from pydriver.render.filters import LINE_BREAKING
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import CryptoProfile

# RouterOS names are free text, but pydriver writes them unquoted in scripts and finds them
# again by name: letters, digits and '_.-' keep both safe
_IFACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


def _peer(nb: Neighbor) -> str:
    """The router at the other end of a BGP session, as the IOS driver names it (a site's
    neighbour is described by the hub's name, a hub's by the site's code and link)."""
    return nb.description.split(" ")[0]


class RouterOSDriver:
    """The mikrotik_routeros platform.

    ``use_sftp=False`` sends changes line by line instead of as an uploaded script (for
    routers whose SSH server offers no SFTP; also how tests drive the per-line fault knobs).
    """

    name = "mikrotik_routeros"
    device_type = "mikrotik_routeros"
    encapsulation = "gre-ipsec"
    files = (("config.rsc", "{role}.rsc.j2"),)
    keep_blank_lines = False
    host_baseline_by_ansible = False
    backup_suffix = ".rsc"
    fast_cli = True  # every exchange waits for RouterOS's prompt, not for a fixed delay
    filters = FILTERS
    secret_forms = DIALECT

    def __init__(self, use_sftp: bool = True, ping_count: int = 3) -> None:
        self.use_sftp = use_sftp
        self.ping_count = ping_count

    # -- naming ----------------------------------------------------------------------------

    @property
    def template_dir(self) -> Path:
        return Path(__file__).parent / "templates"

    @staticmethod
    def tunnel_name(site_code: str, link_name: str, index: int, number: int,
                    hub_side: bool) -> str:
        return f"gre-{site_code}-{index}" if hub_side else f"gre-{link_name}"

    @staticmethod
    def vlan_interface(parent: str, vlan: int) -> str:
        return f"vlan{vlan}-fibre"

    @staticmethod
    def interface_problem(name: str) -> str | None:
        return grammar_problem(name, _IFACE, "letters, digits and '_.-' (up to 63), "
                                             "starting with a letter or digit")

    @staticmethod
    def firmware(raw: str) -> str | None:
        found = re.search(r"^#.* by RouterOS (\S+)", raw.replace("\r", ""), re.M)
        return "RouterOS " + found.group(1) if found else None

    @staticmethod
    def facts(host: str, config: str, where: str) -> ConfigFacts:
        return config_facts.facts(host, config, where)

    @staticmethod
    def rendered_facts(rendered: RenderedConfig, folder: str) -> ConfigFacts:
        name, text = rendered.files[0]
        return config_facts.facts(rendered.hostname, text, f"{folder}/{name}")

    @staticmethod
    def embed_secret(value: str) -> str:
        """Every placeholder stands bare for a whole property value: the secret is one
        value token, quoted and escaped as ``/export`` prints it (so ``;``, ``$``, ``\\``,
        quotes and spaces stay inside it). Control characters are refused: a key holding
        one is a broken file or variable, not a key."""
        if not value or LINE_BREAKING.search(value):
            raise SecretError("the value is empty or holds a control character (a line "
                              "break?), which a RouterOS secret cannot hold")
        return schema.quote(value)

    @staticmethod
    def crypto_problem(profile: CryptoProfile) -> str | None:
        # RouterOS v7 IKE profiles offer AES-CBC only (no AES-GCM for IKE): see filters
        if not any(a.endswith("-cbc") for a in profile.ike_encryption):
            return ("a RouterOS IKE profile needs an AES-CBC ike_encryption (RouterOS has no "
                    "AES-GCM for IKE); add aes-256-cbc")
        return None

    @staticmethod
    def connection_extras(override: Mapping[str, Any],
                          environ: Mapping[str, str]) -> dict[str, Any]:
        return {}

    # -- pure ------------------------------------------------------------------------------

    @staticmethod
    def normalise(running: str) -> str:
        return normalise.normalise(running)

    @staticmethod
    def remediation(running: str, intended: RenderedConfig) -> Remediation:
        # the protocol's running text is normalised: read as it is, not cleaned again
        return diff.remediation(running, intended, normal=True)

    @staticmethod
    def apply_text(running: str, commands: tuple[str, ...]) -> str:
        return offline.apply_text(running, commands)

    @staticmethod
    def owns_anything(running: str) -> bool:
        """Every item pydriver configures carries its comment tag; a router with none
        holds only its factory (defconf) or hand-made items."""
        return any(c.owner is not None for c in script.parse(running).commands)

    @staticmethod
    def as_running(intended: RenderedConfig) -> str:
        return intended.main

    # -- I/O -------------------------------------------------------------------------------

    def read_running(self, conn: Any) -> str:
        return device.read_running(conn)

    def arm_revert(self, conn: Any, remediation: Remediation, minutes: float) -> None:
        """Upload the rollback script and arm ``pydriver-revert`` (``minutes`` may be a
        fraction: 0.05 is a 3-second job)."""
        device.arm(conn, remediation.rollback, minutes)

    def push(self, conn: Any, remediation: Remediation) -> PushResult:
        return device.push(conn, remediation.commands, self.use_sftp)

    def confirm(self, conn: Any) -> None:
        device.disarm(conn)
        device.remove_files(conn)

    def rollback(self, conn: Any, remediation: Remediation) -> None:
        """Import the rollback now; the caller verifies the result by reading it back."""
        device.roll_back(conn, remediation.rollback)

    def checks(self, conn: Any, intent: DeviceIntent) -> list[CheckResult]:
        results: list[CheckResult] = []
        peers = status.active_peers(device.send(conn, "/ip ipsec active-peers print"))
        for t in intent.tunnels:
            up = str(t.remote_underlay) in peers
            results.append(CheckResult(f"ipsec {t.name} to {t.remote_underlay}", up,
                                       "established" if up else "no IKE SA", t.peer))
        sessions = status.bgp_sessions(device.send(conn, "/routing bgp session print"))
        for nb in intent.bgp.neighbors:
            if not nb.ebgp:
                continue
            up = sessions.get(str(nb.address), False)
            seen = "absent" if str(nb.address) not in sessions else "not established"
            results.append(CheckResult(f"bgp {nb.address} ({nb.description})", up,
                                       "established" if up else seen, _peer(nb)))
        rows = status.routes(device.send(conn, "/ip route print"))
        active = {r.prefix for r in rows if r.active}
        if intent.role == "site":
            ok = "0.0.0.0/0" in active
            results.append(CheckResult("default route from the hub", ok,
                                       "present" if ok else "missing"))
        else:
            for nb in intent.bgp.neighbors:
                missing = [str(p) for p, _ in nb.accept if str(p) not in active]
                if nb.accept:
                    results.append(CheckResult(
                        f"routes of {nb.description}", not missing,
                        "all present" if not missing else "missing " + ", ".join(missing),
                        _peer(nb)))
        for t in intent.tunnels:
            out = device.send(conn, f"/ping {t.remote_inner} count={self.ping_count}")
            got = status.ping_received(out)
            results.append(CheckResult(f"ping {t.remote_inner} over {t.name}", got > 0,
                                       f"{got}/{self.ping_count} answered", t.peer))
        return results

    def ping(self, conn: Any, destination: str, source: str | None) -> bool:
        src = f" src-address={source}" if source else ""
        out = device.send(conn, f"/ping {destination} count={self.ping_count}{src}")
        return status.ping_received(out) > 0
