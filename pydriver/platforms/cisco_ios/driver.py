"""cisco_ios (IOS-XE): hier_config remediation, Rollback Confirmed Change, configure replace.

Why this shape: IOS-XE has no candidate config, but it has two safety nets that together do
what a commit-confirm does elsewhere. ``configure terminal revert timer N`` archives the
running config and restores it by itself unless ``configure confirm`` arrives within N
minutes (so a change that cuts the router off, or a pydriver process that dies, heals on
its own), and ``configure replace <file> force`` restores a saved snapshot at once when a
post-check fails. hier_config computes the remediation and its rollback from running vs
intended, as it does for every Cisco shop that uses it.

Running configs need a little normalisation before a diff is meaningful: volatile header
lines go, ``no shutdown`` (never shown by IOS) is made explicit, reversible type-7 keys are
decoded so the caller can swap known secret values for their placeholders, and hashed
secrets that can never be compared (user secrets, SNMPv3 users that IOS does not show) are
treated as write-only: sent when their object is created, never diffed. Only the kinds of
lines pydriver owns take part in the diff (see ``ownership.py``): a router's own OSPF, VRFs
or NAT rules are never removed.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig
from hier_config.constructors import get_hconfig_driver
from hier_config.models import MatchRule

from pydriver.errors import SecretError
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.base import CheckResult, PushResult, Remediation
from pydriver.platforms.cisco_ios import banner
from pydriver.platforms.cisco_ios import facts as config_facts
from pydriver.platforms.cisco_ios.filters import FILTERS
from pydriver.platforms.cisco_ios.ownership import blocks, owned_only
from pydriver.platforms.cisco_ios.push import ERROR_PATTERN, push_file, push_lines, remove
from pydriver.platforms.cisco_ios.scrub import DIALECT
from pydriver.platforms.cisco_ios.status import parse_bgp_summary, parse_ping
from pydriver.platforms.cisco_ios.type7 import reveal_type7
from pydriver.platforms.facts import ConfigFacts
from pydriver.platforms.naming import grammar_problem
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import CryptoProfile

VOLATILE = re.compile(
    r"^(Building configuration\.\.\.|Current configuration\s*:.*|! Last configuration change.*"
    r"|! NVRAM config last updated.*|! No configuration change since last restart"
    r"|ntp clock-period \d+|\s*)$"
)
# Top-level lines pydriver does not manage: factory/boot/licensing lines IOS-XE always has.
UNMANAGED = re.compile(
    r"^(version |boot-start-marker|boot-end-marker|boot system |license |platform |memory "
    r"|redundancy|diagnostic |spanning-tree |crypto pki |subscriber templating"
    r"|multilink bundle-name|vrf definition Mgmt-intf|ip tftp |no ip domain-lookup$"
    r"|call-home|transceiver |ip http (?:authentication|client|timeout)|no device-tracking"
    r"|enable (?:secret|password)|line aux |end$|!)"
)
UNMANAGED_CHILD = re.compile(r"^\s+(negotiation auto|no mop enabled|no mop sysid|mop )")
WRITE_ONLY = (
    # (intended line pattern, running anchor that proves the object already exists)
    (re.compile(r"^username (\S+) .*secret "), r"^username {0} "),
    (re.compile(r"^snmp-server user (\S+) (\S+) v3"), r"^snmp-server group {1} v3"),
)
_TYPE0 = re.compile(r"^(\s*(?:key|pre-shared-key(?: local| remote)?|password)) 0 (\S+)\s*$")
SNAPSHOT = "bootflash:pydriver-pre.cfg"
# IOS interface names: a type word, then slot/port numbers (and a sub-interface number)
_IFACE = re.compile(r"[A-Z][A-Za-z-]{1,30}[0-9]{1,5}(?:/[0-9]{1,5}){0,3}(?:\.[0-9]{1,4})?")
# words IOS reads at a secret's place instead of taking them for the secret: the type of
# the key that follows (0, 5, 6, 7, 8, 9) and a pre-shared key's side
_SECRET_KEYWORDS = frozenset({*"0123456789", "local", "remote"})


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r", "").split("\n")]


def banner_delimiter(line: str) -> tuple[str, bool]:
    """The delimiter of ``banner <kind> <d>text<d>`` and whether this line already closes it.

    IOS prints ``^C`` (two characters) whatever was typed; a file may hold the control
    character itself or any single character (``#``, ``$``).
    """
    parts = line.split(" ", 2)
    rest = parts[2] if len(parts) > 2 else "^C"
    delim = "^C" if rest.startswith("^C") else rest[:1] or "^C"
    return delim, delim in rest[len(delim) :]


def normalise(running: str) -> str:
    """Canonical running config: volatile and unmanaged lines out, type-7 keys decoded,
    banners in the ``^C`` form IOS shows (whatever delimiter they were sent with),
    ``no shutdown`` explicit on every interface that is up.

    The line rules run with every banner folded into one line: a banner's text is never
    a command, a section child or an interface, whatever its lines say."""
    out: list[str] = []
    skipping = False
    for line in banner.fold("\n".join(_lines(running))).split("\n"):
        if VOLATILE.match(line):
            continue
        top = not line.startswith(" ")
        if top:
            skipping = bool(UNMANAGED.match(line))
        if skipping or UNMANAGED_CHILD.match(line):
            continue
        line = reveal_type7(line)
        m = _TYPE0.match(line)
        if m:
            line = f"{m[1]} {m[2]}"
        out.append(line)
    return "\n".join(banner.unfold_config(_explicit_no_shutdown(out))) + "\n"


def _explicit_no_shutdown(lines: list[str]) -> list[str]:
    out: list[str] = []
    in_if = False
    shut = False
    for line in [*lines, "!end"]:
        top = not line.startswith(" ")
        if top and in_if and not shut:
            out.append(" no shutdown")
        if top:
            in_if = line.startswith("interface ")
            shut = False
        elif in_if and line.strip() in ("shutdown", "no shutdown"):
            shut = line.strip() == "shutdown"
            if not shut:
                continue  # re-added once, at the end of the section
        if line != "!end":
            out.append(line)
    return out


def _config(text: str) -> HConfig:
    """hier_config's tree of ``text``, each banner folded into one opaque line first."""
    return get_hconfig(Platform.CISCO_IOS, banner.fold(text))


def _write_only(intended: str, running: str) -> tuple[str, str]:
    """Drop write-only lines from both sides when their object already exists on the router:
    their secrets are hashed or hidden there, so they can be set but never compared."""
    existing: set[tuple[int, tuple[str | Any, ...]]] = set()
    keep = []
    for line in _lines(intended):
        for n, (pattern, anchor) in enumerate(WRITE_ONLY):
            m = pattern.match(line)
            if m and re.search(anchor.format(*m.groups()), running, re.M):
                existing.add((n, m.groups()))
                break
        else:
            keep.append(line)

    def known(line: str) -> bool:
        for n, (pattern, _) in enumerate(WRITE_ONLY):
            m = pattern.match(line)
            if m and (n, m.groups()) in existing:
                return True
        return False

    run = [line for line in _lines(running) if not known(line)]
    return "\n".join(keep), "\n".join(run)


SECTIONS = (
    ("mgmt", re.compile(r"^(line vty|ip access-list standard JIP-MGMT|ip ssh|username )")),
    ("aaa", re.compile(r"^(aaa |radius server|username )")),
    ("firewall", re.compile(r"^(ip access-list|interface .*\n.*ip access-group)")),
    ("crypto", re.compile(r"^crypto ")),
    ("routing", re.compile(r"^(router bgp|ip route|ip prefix-list|route-map)")),
    ("qos", re.compile(r"^(policy-map|class-map)")),
    ("interfaces", re.compile(r"^interface ")),
)


def _sections(commands: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for cmd in commands:
        top = cmd.lstrip().removeprefix("no ")
        for name, pattern in SECTIONS:
            if pattern.match(top):
                found.add(name)
    return frozenset(found or ({"baseline"} if commands else set()))


def _top_level(commands: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in commands if not c.startswith(" "))


_OWNED = re.compile(r"\bJIP-[A-Z0-9]", re.M)  # the prefix of every object pydriver names
_VIRTUAL = re.compile(r"^interface (Loopback|Tunnel|Vlan|BDI|Port-channel|\S+\.\d+)")


def _unused_ports(running: str, intended: str) -> str:
    """Drop physical ports the intent does not mention: they cannot be deleted, and an
    unused port is not pydriver's to manage (a site may patch something into it)."""
    wanted = set(re.findall(r"^interface (\S+)", intended, re.M))
    out: list[str] = []
    skip = False
    for line in _lines(running):
        if not line.startswith(" "):
            m = re.match(r"^interface (\S+)", line)
            skip = bool(m) and not _VIRTUAL.match(line) and m is not None and \
                m[1] not in wanted
        if not skip:
            out.append(line)
    return "\n".join(out)


def _matches(rule: MatchRule, text: str) -> bool:
    """hier_config's ``MatchRule`` on one line (every criterion given must hold), as its
    ``HConfigChild.is_match`` reads it: that method needs a parsed child, and parsing the
    lines is the cost this shortcut is there to avoid."""
    eq = rule.equals
    return ((eq is None or (text == eq if isinstance(eq, str) else text in eq))
            and (rule.startswith is None or text.startswith(rule.startswith))
            and (rule.endswith is None or text.endswith(rule.endswith))
            and (rule.contains is None or any(
                c in text for c in ((rule.contains,) if isinstance(rule.contains, str)
                                    else rule.contains)))
            and (rule.re_search is None or re.search(rule.re_search, text) is not None))


@cache
def _top_level_idempotent() -> tuple[MatchRule, ...]:
    """hier_config's idempotent rules about top-level lines: they compare one line with
    the other top-level lines (``logging console ...`` replaces ``logging console ...``)."""
    rules = get_hconfig_driver(Platform.CISCO_IOS).rules.idempotent_commands
    return tuple(r.match_rules[0] for r in rules if len(r.match_rules) == 1)


def _without_common_blocks(run: str, want: str) -> tuple[str, str]:
    """Both configs without the top-level blocks they hold word for word.

    Why: hier_config builds a tree of every line on both sides, and at a hub of
    thousands of sites that is nearly all of a plan's time, while a one-site change
    touches a few blocks. hier_config compares an IOS config block by block (a top-level
    line and its children), so a block both sides hold unchanged gives no remediation
    and no rollback line, and leaving it out changes nothing else, except where a rule
    looks across blocks. So a block stays when its top line is not unique on either side
    (hier_config refuses a repeated block, and must go on refusing it) or when one of
    hier_config's top-level idempotent rules covers it (one line replaces another)."""
    run_blocks = [(head, "\n".join(b)) for head, b in blocks(run)]
    want_blocks = [(head, "\n".join(b)) for head, b in blocks(want)]
    ran, wanted = Counter(h for h, _ in run_blocks), Counter(h for h, _ in want_blocks)
    rules = _top_level_idempotent()
    shared = {b for h, b in run_blocks if ran[h] == 1 and wanted[h] == 1} & \
        {b for _, b in want_blocks}
    shared = {b for b in shared
              if not any(_matches(r, b.split("\n", 1)[0]) for r in rules)}
    return ("\n".join(b for _, b in run_blocks if b not in shared),
            "\n".join(b for _, b in want_blocks if b not in shared))


def remediation(running: str, intended: RenderedConfig) -> Remediation:
    # line rules on both sides see each banner as one folded line (see ``banner``)
    wanted = banner.fold(intended.main)
    running = owned_only(_unused_ports(banner.fold(normalise(running)), wanted), wanted)
    want_text, run_text = _write_only(wanted, running)
    run, want = _without_common_blocks(normalise(run_text), normalise(want_text))
    wf = WorkflowRemediation(_config(run), _config(want))
    commands = banner.unfold_commands(tuple(wf.remediation_config.dump_simple()))
    rollback = banner.unfold_commands(tuple(wf.rollback_config.dump_simple()))
    gone = tuple(c.replace("no ", "", 1) for c in commands if c.lstrip().startswith("no "))
    return Remediation(commands=commands, rollback=rollback, added=len(commands) - len(gone),
                       removed=len(gone), sections=_sections(_top_level(commands)),
                       removed_lines=gone)


def canonical(text: str) -> tuple[str, ...]:
    """Order-insensitive comparison form (``no shutdown`` = absent) for round-trip tests."""
    config = _config(normalise(text))
    return tuple(sorted(line for line in config.dump_simple()
                        if line.strip() != "no shutdown"))


def apply_text(running: str, commands: tuple[str, ...]) -> str:
    """hier_config's model of the config after ``commands``: the offline round trip."""
    base = _config(normalise(running))
    change = _config("\n".join(commands))
    return "\n".join(banner.unfold_config(list(base.future(change).dump_simple()))) + "\n"


class IOSDriver:
    """The cisco_ios platform behind the PlatformDriver Protocol."""

    name = "cisco_ios"
    device_type = "cisco_xe"
    encapsulation = "gre-ipsec"
    files = (("running-config.ios", "{role}.ios.j2"),)
    keep_blank_lines = False
    host_baseline_by_ansible = False
    backup_suffix = ".cfg"
    fast_cli = True  # IOS-XE answers promptly; Netmiko still waits for every prompt
    filters = FILTERS
    secret_forms = DIALECT

    def __init__(self, revert_minutes: int = 5, push_by_file: bool = True) -> None:
        self.revert_minutes = revert_minutes
        self.push_by_file = push_by_file
        self._armed: dict[int, int] = {}
        # what arming needs, per session, from the running config last read on it
        self._seen: dict[int, tuple[str, ...]] = {}

    normalise = staticmethod(normalise)
    remediation = staticmethod(remediation)
    apply_text = staticmethod(apply_text)

    @staticmethod
    def owns_anything(running: str) -> bool:
        """Every object pydriver names on IOS carries its ``JIP-`` prefix (the AAA group,
        the IKEv2 keyring, proposals, ACLs): a router with none is still as it left the
        factory (or was set up by hand)."""
        return _OWNED.search(running) is not None

    @staticmethod
    def as_running(intended: RenderedConfig) -> str:
        return intended.main

    @property
    def template_dir(self) -> Path:
        return Path(__file__).parent / "templates"

    @staticmethod
    def tunnel_name(site_code: str, link_name: str, index: int, number: int,
                    hub_side: bool) -> str:
        return f"Tunnel{number}"

    @staticmethod
    def vlan_interface(parent: str, vlan: int) -> str:
        return f"{parent}.{vlan}"

    @staticmethod
    def interface_problem(name: str) -> str | None:
        return grammar_problem(name, _IFACE, "an IOS interface such as GigabitEthernet0/0/1 "
                                             "or GigabitEthernet0/0/1.100")

    @staticmethod
    def firmware(raw: str) -> str | None:
        found = re.search(r"^version (\S+)", raw.replace("\r", ""), re.M)
        return "IOS-XE " + found.group(1) if found else None

    @staticmethod
    def facts(host: str, config: str, where: str) -> ConfigFacts:
        return config_facts.facts(host, config, where)

    @staticmethod
    def rendered_facts(rendered: RenderedConfig, folder: str) -> ConfigFacts:
        name, text = rendered.files[0]
        return config_facts.facts(rendered.hostname, text, f"{folder}/{name}")

    @staticmethod
    def embed_secret(value: str) -> str:
        """IOS has no quoting: every secret (user secret, RADIUS key, SNMP passwords,
        pre-shared key) is one word of the line it is on. So the value must be one word
        of printable ASCII, with no ``?`` (the console's help), no ``"`` (IOS may read a
        quoted string) and not a keyword IOS reads in that place (a key type or a side)."""
        if not value or not value.isascii() or not value.isprintable() or " " in value:
            raise SecretError("an IOS secret must be printable ASCII without spaces or "
                              "line breaks")
        if "?" in value or '"' in value:
            raise SecretError("an IOS secret cannot hold '?' (the console's help) or '\"'")
        if value.lower() in _SECRET_KEYWORDS:
            raise SecretError("an IOS secret cannot be a single digit, 'local' or 'remote' "
                              "(IOS reads those as part of the command)")
        return value

    @staticmethod
    def crypto_problem(profile: CryptoProfile) -> str | None:
        return None  # IKEv2 proposals take every algorithm the crypto policy accepts

    @staticmethod
    def connection_extras(override: Mapping[str, Any],
                          environ: Mapping[str, str]) -> dict[str, Any]:
        """AAA may land a session in user mode: Netmiko needs the enable secret."""
        return {"secret": override.get("secret", environ.get("PYDRIVER_ENABLE_SECRET", ""))}

    @staticmethod
    def _privileged(conn: Any) -> Any:
        """AAA may land a session in user mode: every IOS step needs privilege 15."""
        if not conn.check_enable_mode():
            conn.enable()
        return conn

    def read_running(self, conn: Any) -> str:
        text = str(self._privileged(conn).send_command("show running-config",
                                                       read_timeout=60))
        self._seen[id(conn)] = self._arming_needs(text)
        return text

    def _arming_needs(self, running: str) -> tuple[str, ...]:
        """What arming must configure first, from a running config: an archive path (the
        revert timer writes there) and, for a push by file, the SCP server (the intent has
        it too, so it stays)."""
        running = running.replace("\r", "")
        needed: tuple[str, ...] = ()
        if not re.search(r"^archive\n(?: .*\n)* path ", running + "\n", re.M):
            needed += ("archive", "path bootflash:archive", "maximum 14", "exit")
        if self.push_by_file and not re.search(r"^ip scp server enable$", running, re.M):
            needed += ("ip scp server enable",)
        return needed

    def arm_revert(self, conn: Any, remediation: Remediation, minutes: float) -> None:
        """Snapshot running to flash (for an immediate rollback); the timer itself is armed
        by entering config mode with ``configure terminal revert timer`` in ``push``.

        What arming needs is configured first, known from the running config just read on
        this session (no second read)."""
        self._privileged(conn)
        needed = self._seen.pop(id(conn), None)
        if needed is None:
            needed = self._arming_needs(str(conn.send_command("show running-config",
                                                              read_timeout=60)))
        if needed:
            conn.send_config_set(list(needed), error_pattern=ERROR_PATTERN)
        conn.send_command(f"copy running-config {SNAPSHOT}", expect_string=r"\?",
                          strip_prompt=False)
        conn.send_command("", expect_string=r"#")  # accept the default file name
        self._armed[id(conn)] = max(1, round(minutes))

    def push(self, conn: Any, remediation: Remediation) -> PushResult:
        """The remediation merged from a file on flash under the armed revert timer (see
        ``push``); line by line with every echo verified when the file cannot get there."""
        minutes = self._armed.get(id(conn), self.revert_minutes)
        if self.push_by_file:
            pushed = push_file(conn, remediation.commands, minutes)
            if pushed is not None:
                return pushed
        return push_lines(conn, remediation.commands, minutes)

    def confirm(self, conn: Any) -> None:
        conn.send_command("configure confirm", expect_string=r"#")
        conn.save_config()
        conn.send_command(f"delete /force {SNAPSHOT}", expect_string=r"#")

    def rollback(self, conn: Any, remediation: Remediation) -> None:
        """Replace running with the pre-change snapshot (this also ends the revert timer:
        IOS discards a pending rollback once the config is replaced)."""
        self._privileged(conn)
        conn.send_command(f"configure replace {SNAPSHOT} force", expect_string=r"#",
                          read_timeout=120)
        with contextlib.suppress(Exception):  # a push cut short may have left its file
            remove(conn)

    def checks(self, conn: Any, intent: DeviceIntent) -> list[CheckResult]:
        results: list[CheckResult] = []
        bgp = parse_bgp_summary(conn.send_command("show ip bgp summary"))
        for nb in intent.bgp.neighbors:
            if not nb.ebgp:
                continue
            state = bgp.get(str(nb.address), "absent")
            results.append(CheckResult(f"bgp {nb.address} ({nb.description})",
                                       state == "Established", state,
                                       nb.description.split(" ")[0]))
        for t in intent.tunnels:
            out = conn.send_command(f"ping {t.remote_inner} repeat 3 timeout 1")
            rate = parse_ping(out)
            results.append(CheckResult(f"ping {t.remote_inner} over {t.name}", rate > 0,
                                       f"{rate}% success", t.peer))
        routes = conn.send_command("show ip route")
        if intent.role == "site":
            ok = bool(re.search(r"^B\*?\s+0\.0\.0\.0/0", routes, re.M))
            results.append(CheckResult("default route from the hub", ok,
                                       "present" if ok else "missing"))
        return results

    def ping(self, conn: Any, destination: str, source: str | None) -> bool:
        src = f" source {source}" if source else ""
        out = self._privileged(conn).send_command(f"ping {destination} repeat 3 timeout 1{src}")
        return parse_ping(str(out)) > 0
