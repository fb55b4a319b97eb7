"""linux_frr (Linux + FRR + strongSwan + nftables + tc): a shell, files and reloads.

FRR's own tool, frr-reload.py, applies the difference between the running daemons and a
new frr.conf; the plan shows that difference computed the same way (hier_config with
Cisco-style negation, which is FRR's syntax too), replayed offline before the plan is shown
or pushed. swanctl.conf, nftables.conf and the tc script are replaced whole: each is loaded
atomically by its tool (swanctl --load-all, nft -f, a tc script that rebuilds its root
qdisc), so a line diff would add risk, not safety. The revert is a timer on the router that
restores the saved files and running FRR config and reloads them, so a change that cuts the
router off undoes itself.
"""

from __future__ import annotations

import json
import re
import shlex
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hier_config import HConfig, WorkflowRemediation, get_hconfig
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules

from pydriver.errors import ApplyError, PlanError, SecretError
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.base import CheckResult, PushResult, Remediation
from pydriver.platforms.facts import ConfigFacts
from pydriver.platforms.linux_frr import facts as config_facts
from pydriver.platforms.linux_frr.filters import FILTERS, swan_string
from pydriver.platforms.linux_frr.scrub import DIALECT
from pydriver.platforms.naming import grammar_problem
from pydriver.render.filters import LINE_BREAKING
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import CryptoProfile

# Linux interface names: at most 15 bytes (IFNAMSIZ), no '/', no white space
_IFACE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}")
PATHS = {
    "frr.conf": "/etc/frr/frr.conf",
    "swanctl.conf": "/etc/swanctl/swanctl.conf",
    "nftables.conf": "/etc/nftables.conf",
    "tc.sh": "/etc/pydriver/tc.sh",
}
# The host baseline the routers playbook writes (Ansible's files, not pydriver's): read
# with the running config so a check of a router read back judges its time, logs, sshd,
# SNMP, RADIUS and lockout, never pushed or diffed. Secrets stay on the router: the SNMP
# passphrases and the RADIUS secret are cut out as the files are read.
OBSERVED = {
    "chrony.conf": "cat /etc/chrony/chrony.conf",
    "rsyslog.conf": "cat /etc/rsyslog.d/90-jip-forward.conf",
    "sshd_config": "cat /etc/ssh/sshd_config.d/10-jip-hardening.conf",
    "snmpd.conf": "sed -E 's/^([[:space:]]*createUser[[:space:]]+[^[:space:]]+[[:space:]]+"
                  "[^[:space:]]+).*/\\1 (passphrases not read)/' /etc/snmp/snmpd.conf",
    "pam_radius_auth.conf": "awk '!/^[[:space:]]*#/ && NF {print $1}' "
                            "/etc/pam_radius_auth.conf",
    "faillock.conf": "cat /etc/security/faillock.conf",
    "issue.net": "cat /etc/issue.net",
    # whether PAM uses them: a file nobody reads proves nothing
    "pam.d": "grep -H -E 'pam_(radius_auth|faillock)[.]so' /etc/pam.d/sshd "
             "/etc/pam.d/common-auth",
    "admins": "getent group jip-admins",
    "timeout.sh": "cat /etc/profile.d/jip-timeout.sh",
}
MARK = "### pydriver file: "
OWNED_HEADER = "Rendered by pydriver from the source of truth"  # render's common header
ROLLBACK_DIR = "/etc/pydriver/rollback"
APPLY_ORDER = ("nftables.conf", "frr.conf", "swanctl.conf", "tc.sh")
RELOAD = {
    "frr.conf": "/usr/lib/frr/frr-reload.py --reload /etc/frr/frr.conf",
    "swanctl.conf": "swanctl --load-all --noprompt",
    "nftables.conf": "nft -c -f /etc/nftables.conf && nft -f /etc/nftables.conf",
    "tc.sh": "sh /etc/pydriver/tc.sh",
}
RUNNING = "frr.running"  # the saved running config, beside the saved files
RESTORE_FRR = f"/usr/lib/frr/frr-reload.py --reload {ROLLBACK_DIR}/{RUNNING}"
_FRR_VOLATILE = re.compile(
    r"^(Building configuration\.\.\.|Current configuration:|frr version .*|frr defaults .*"
    r"|!.*|exit|exit-address-family|end|\s*)$")
_SECTIONS = (
    ("mgmt", re.compile(r"^(line vty|.*saddr @mgmt)")),
    ("firewall", re.compile(r"^nftables\.conf")),
    ("crypto", re.compile(r"^swanctl\.conf")),
    ("routing", re.compile(r"^(router bgp|ip route|ip prefix-list|route-map)")),
    ("qos", re.compile(r"^tc\.sh")),
    ("interfaces", re.compile(r"^interface ")),
)


def split(running: str) -> dict[str, str]:
    """Split the combined running text into its files (frr.conf holds vtysh's view)."""
    files: dict[str, str] = {}
    current: str | None = None
    buf: list[str] = []
    for line in running.replace("\r", "").split("\n"):
        if line.startswith(MARK):
            if current is not None:
                files[current] = "\n".join(buf).strip("\n") + "\n"
            current, buf = line[len(MARK):].strip(), []
        elif current is not None:
            buf.append(line)
    if current is not None:
        files[current] = "\n".join(buf).strip("\n") + "\n"
    return files


def join(files: dict[str, str]) -> str:
    """pydriver's files (every one, empty when absent), then the observed ones read."""
    names = [*PATHS, *(n for n in OBSERVED if n in files)]
    return "".join(f"{MARK}{name}\n{files.get(name, '').strip(chr(10))}\n" for name in names)


def _frr_lines(text: str) -> str:
    out = []
    for line in text.replace("\r", "").split("\n"):
        if _FRR_VOLATILE.match(line.strip()) and not line.startswith("  "):
            continue
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


def normalise(running: str) -> str:
    files = split(running)
    if "frr.conf" in files:
        files["frr.conf"] = _frr_lines(files["frr.conf"])
    return join(files)


class _FRRSyntax(HConfigDriverCiscoIOS):
    """vtysh's language for hier_config: Cisco-style sections and negation, as IOS has.

    One difference matters: an FRR interface carries any number of ``ip address`` lines
    (a hub's ipsec0 holds one transit /30 per site), so a new address is added beside the
    others, not swapped for the one before it as IOS's primary address is. With the IOS
    rule a removed site's transit address would never be negated (the plan would hide the
    change) and the offline model would drop the other sites' addresses.
    """

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        rules = HConfigDriverCiscoIOS._instantiate_rules()
        keep = [r for r in rules.idempotent_commands
                if not any(m.startswith == "ip address " for m in r.match_rules)]
        return rules.model_copy(update={"idempotent_commands": keep})


_SYNTAX = _FRRSyntax()


def _hconfig(text: str) -> HConfig:
    return get_hconfig(_SYNTAX, _frr_lines(text))


def canonical(frr_conf: str) -> tuple[tuple[str, ...], ...]:
    """frr.conf as a set of line paths (section, subsection, line): comments, ``exit``
    lines and the order vtysh prints sections in carry no meaning."""
    return tuple(sorted(tuple(c.text for c in child.lineage())
                        for child in _hconfig(frr_conf).all_children()))


def _future(frr_conf: str, lines: Iterable[str]) -> str:
    """frr.conf after vtysh runs ``lines`` (a remediation or its rollback) on it."""
    done = _hconfig(frr_conf).future(_hconfig("\n".join(lines)))
    return "\n".join(done.dump_simple()) + "\n"


def apply_text(running: str, commands: tuple[str, ...],
               files: Iterable[tuple[str, str]] = ()) -> str:
    """The router's files after ``commands``, worked out with no router.

    frr.conf lines go through hier_config's model of vtysh; ``replace <path>`` and
    ``restore <path>`` take the whole file from ``files`` (what ``push`` uploads, or the
    copy the revert saved). ``remediation`` proves every plan with this before it is shown
    or pushed, and the round-trip tests drive it from a factory or converged router.
    """
    have = split(running) or dict.fromkeys(PATHS, "")
    given = dict(files)
    by_path = {path: name for name, path in PATHS.items()}
    lines = []
    for cmd in commands:
        verb, _, path = cmd.partition(" ")
        if verb in ("replace", "restore") and path in by_path:
            name = by_path[path]
            if name not in given:
                raise PlanError(f"'{cmd}' needs the text of {name}")
            have[name] = given[name]
        else:
            lines.append(cmd)
    if lines:
        have["frr.conf"] = _future(have.get("frr.conf", ""), lines)
    return join(have)


def remediation(running: str, intended: RenderedConfig) -> Remediation:
    have = split(running)
    wf = WorkflowRemediation(_hconfig(have.get("frr.conf", "")),
                             _hconfig(intended.file("frr.conf")))
    commands = list(wf.remediation_config.dump_simple())
    rollback = list(wf.rollback_config.dump_simple())
    _prove(have.get("frr.conf", ""), intended, commands, rollback)
    gone = [c.replace("no ", "", 1) for c in commands if c.lstrip().startswith("no ")]
    added = len(commands) - len(gone)
    files: list[tuple[str, str]] = []
    sections: set[str] = set()
    for name, text in intended.files:
        if name == "frr.conf":
            continue
        old = have.get(name, "").strip("\n")
        if old != text.strip("\n"):
            files.append((name, text))
            new_lines, old_lines = set(text.splitlines()), set(old.splitlines())
            added += len(new_lines - old_lines)
            gone += [f"{name}: {line}" for line in old.splitlines() if line not in new_lines]
            commands.append(f"replace {PATHS[name]}")
            rollback.append(f"restore {PATHS[name]}")
    if commands and any(not c.startswith(("replace ", "restore ")) for c in commands):
        files.append(("frr.conf", intended.file("frr.conf")))
    # the firewall first (so the new peers are let in), then routing, tunnels, shaping
    files.sort(key=lambda f: APPLY_ORDER.index(f[0]))
    for cmd in commands:
        top = cmd.removeprefix("no ").removeprefix("replace /etc/").split("/")[-1]
        for name, pattern in _SECTIONS:
            if pattern.match(top) or pattern.match(cmd.removeprefix("no ")):
                sections.add(name)
    return Remediation(commands=tuple(commands), rollback=tuple(rollback), added=added,
                       removed=len(gone), sections=frozenset(sections), files=tuple(files),
                       removed_lines=tuple(gone))


def _prove(running_frr: str, intended: RenderedConfig, commands: list[str],
           rollback: list[str]) -> None:
    """Refuse a plan whose frr.conf lines do not say what the push does.

    The push hands the whole intended frr.conf to frr-reload and the revert hands back the
    saved one, so the router always ends at one of the two; the lines the plan shows are
    what a reviewer approves and what apply checks the router against. If hier_config's
    model of vtysh cannot get from running to intended with them (and back with the
    rollback), the plan would describe a different change than the one pushed.
    """
    want = canonical(intended.file("frr.conf"))
    if canonical(_future(running_frr, commands)) != want:
        raise PlanError(f"{intended.hostname}: the frr.conf lines of the plan do not lead "
                        "to the intended frr.conf; refusing to show or push them")
    if canonical(_future(intended.file("frr.conf"), rollback)) != canonical(running_frr):
        raise PlanError(f"{intended.hostname}: the frr.conf rollback lines do not lead back "
                        "to the running frr.conf; refusing to show or push the plan")


_OUT = "__pydriver_out"
_RC = "__pydriver_rc="
_FRAMED = re.compile(rf"^{_OUT}\n(.*?)\n{_RC}(\d+)\n", re.S | re.M)


def _closed(conn: Any) -> bool:
    chan = conn.remote_conn
    transport = chan.get_transport()
    return bool(chan.closed or chan.eof_received or transport is None
                or not transport.is_active())


def _run(conn: Any, command: str, timeout: float = 60) -> tuple[int, str]:
    """Run one shell command: its exit status and exactly what it printed.

    The shell prints a marker line before and after the output (typed with the marker
    split by quotes, so the terminal's echo of the command line never matches, and all on
    one line, so no typed-ahead line is echoed into the output): nothing depends on
    finding the prompt, on a long command line that wraps in the terminal, or on output
    ending in a newline. Netmiko's reader neither notices a closed session (it polls a
    dead channel until its read timeout, two minutes for a reload) nor reads fast (it
    looks for the prompt again before each command, a quarter of a second or more): here
    a dropped session fails at once, and a command costs one round trip.
    """
    conn.write_channel(f"printf '%s\\n' {_OUT[:4]}''{_OUT[4:]}; {command}; "
                       f"printf '\\n%s%s\\n' {_RC[:4]}''{_RC[4:]} \"$?\"\n")
    raw = ""
    deadline = time.monotonic() + timeout
    while True:
        data = conn.read_channel()
        if data:
            raw += data
            found = _FRAMED.search(raw.replace("\r\n", "\n"))
            if found:
                return int(found[2]), found[1]
            continue
        if _closed(conn):
            raise ApplyError(f"{conn.host}: the router closed the session during: "
                             f"{command[:60]}")
        if time.monotonic() > deadline:
            raise ApplyError(f"{conn.host}: no answer in {timeout:g} s to: {command[:60]}")
        time.sleep(0.01)


class FRRDriver:
    """The linux_frr platform behind the PlatformDriver Protocol."""

    name = "linux_frr"
    device_type = "linux"
    encapsulation = "ipsec-tunnel"
    files = (("frr.conf", "frr.conf.j2"), ("swanctl.conf", "swanctl.conf.j2"),
             ("nftables.conf", "nftables.conf.j2"), ("tc.sh", "tc.sh.j2"))
    keep_blank_lines = True
    host_baseline_by_ansible = True
    backup_suffix = ".txt"
    fast_cli = False  # a shell whose commands (frr-reload, swanctl) take their time
    filters = FILTERS
    secret_forms = DIALECT

    normalise = staticmethod(normalise)
    remediation = staticmethod(remediation)
    apply_text = staticmethod(apply_text)

    @staticmethod
    def owns_anything(running: str) -> bool:
        """The files pydriver writes whole carry its header (vtysh drops comments from
        frr.conf, so that file cannot say): a router where none does was never pushed to."""
        return any(OWNED_HEADER in text for name, text in split(running).items()
                   if name != "frr.conf")

    @staticmethod
    def as_running(intended: RenderedConfig) -> str:
        return join(dict(intended.files))

    @property
    def template_dir(self) -> Path:
        return Path(__file__).parent / "templates"

    @staticmethod
    def tunnel_name(site_code: str, link_name: str, index: int, number: int,
                    hub_side: bool) -> str:
        return f"jip-{site_code}-{index}" if hub_side else f"jip-{link_name}"

    @staticmethod
    def vlan_interface(parent: str, vlan: int) -> str:
        return f"{parent}.{vlan}"

    @staticmethod
    def interface_problem(name: str) -> str | None:
        if name in (".", ".."):
            return f"interface {name!r} is not a valid Linux interface name"
        return grammar_problem(name, _IFACE, "a Linux interface name: up to 15 letters, "
                                             "digits and '_.-'")

    @staticmethod
    def firmware(raw: str) -> str | None:
        found = re.search(r"^frr version (\S+)", raw.replace("\r", ""), re.M)
        return "FRR " + found.group(1) if found else None

    @staticmethod
    def facts(host: str, config: str, where: str) -> ConfigFacts:
        return config_facts.facts(host, config_facts.locate(config, where, MARK))

    @staticmethod
    def rendered_facts(rendered: RenderedConfig, folder: str) -> ConfigFacts:
        return config_facts.facts(rendered.hostname, {
            name: (text, f"{folder}/{name}", 1) for name, text in rendered.files})

    @staticmethod
    def embed_secret(value: str) -> str:
        """The only secret linux_frr renders is swanctl's ``secret = <value>``: a swanctl
        string (quotes and backslashes escaped). strongSwan reads a secret starting with
        ``0x`` as hex and ``0s`` as base64, quoted or not, so such a value is written as
        the hex of its bytes instead (the same key)."""
        if not value or LINE_BREAKING.search(value):
            raise SecretError("the value is empty or holds a control character (a line "
                              "break?), which a swanctl secret cannot hold")
        if value[:2].lower() in ("0x", "0s"):
            return "0x" + value.encode().hex()
        return swan_string(value)

    @staticmethod
    def crypto_problem(profile: CryptoProfile) -> str | None:
        return None  # strongSwan takes every algorithm the crypto policy accepts

    @staticmethod
    def connection_extras(override: Mapping[str, Any],
                          environ: Mapping[str, str]) -> dict[str, Any]:
        """A key file (``PYDRIVER_SSH_KEY_FILE``) for the account pydriver logs in with: once
        the routers playbook has run, sshd takes root by key only (its password is
        refused), and an account outside the admin group logs in locally, not by RADIUS."""
        key = override.get("key_file") or environ.get("PYDRIVER_SSH_KEY_FILE")
        return {"use_keys": True, "key_file": str(key)} if key else {}

    def read_running(self, conn: Any) -> str:
        files = {"frr.conf": _run(conn, "vtysh -c 'show running-config'")[1]}
        for name, path in PATHS.items():
            if name != "frr.conf":
                files[name] = _run(conn, f"cat {path} 2>/dev/null")[1]
        for name, command in OBSERVED.items():
            files[name] = _run(conn, f"{command} 2>/dev/null")[1]
        return join(files)

    def _upload(self, conn: Any, path: str, text: str) -> None:
        sftp = conn.remote_conn_pre.open_sftp()
        try:
            with sftp.open(path + ".pydriver-new", "w") as fh:
                fh.write(text)
        finally:
            sftp.close()
        _run(conn, f"mv {shlex.quote(path + '.pydriver-new')} {shlex.quote(path)}")

    def arm_revert(self, conn: Any, remediation: Remediation, minutes: float) -> None:
        """Save the live files, then start a detached timer that restores and reloads them.

        For FRR the live configuration is what the daemons run, which is not always what
        /etc/frr/frr.conf says (a fix made in vtysh and not written): the running config is
        saved too, and the revert reloads that, so it gives back exactly the config the
        plan was made against, and the file as it was.
        The steps are uploaded as small scripts (one short command line each over SSH)."""
        saves = "\n".join(
            [f"vtysh -c 'show running-config' > {ROLLBACK_DIR}/frr.show",
             # vtysh's two header lines are not configuration; a cut-off read must not be
             # taken for the config (a reload of it would delete the rest)
             f"grep -v -x -e 'Building configuration...' -e 'Current configuration:' "
             f"{ROLLBACK_DIR}/frr.show > {ROLLBACK_DIR}/{RUNNING}",
             f"tail -n 1 {ROLLBACK_DIR}/{RUNNING} | grep -q -x end"]
            + [f"cp -a {p} {ROLLBACK_DIR}/{n} 2>/dev/null || : > {ROLLBACK_DIR}/{n}"
               for n, p in PATHS.items()])
        # the timer's pid goes first: once the restore has begun, confirm cannot stop it
        restore = "\n".join([f"rm -f {ROLLBACK_DIR}/timer.pid"]
                            + [f"cp -a {ROLLBACK_DIR}/{n} {p}" for n, p in PATHS.items()]
                            + [RESTORE_FRR if n == "frr.conf" else RELOAD[n]
                               for n in APPLY_ORDER])
        seconds = max(1, int(minutes * 60))
        # a timer an earlier, interrupted run armed is still to fire: saving now would save
        # that run's half-applied state, and the old timer would then restore into this run
        rc, out = _run(conn, f"p=$(cat {ROLLBACK_DIR}/timer.pid 2>/dev/null) && "
                             f"kill -0 \"$p\" 2>/dev/null && echo \"pending $p\" || :")
        if out.strip().startswith("pending"):
            raise ApplyError(f"a revert armed by an earlier run is still pending "
                             f"({out.strip()}): let it restore the router, then plan again")
        rc, out = _run(conn, f"mkdir -p {ROLLBACK_DIR}")
        if rc != 0:
            raise ApplyError(f"cannot create {ROLLBACK_DIR}: {out.strip()}")
        self._upload(conn, f"{ROLLBACK_DIR}/save.sh", f"set -e\n{saves}\n")
        self._upload(conn, f"{ROLLBACK_DIR}/restore.sh", f"{restore}\n")
        self._upload(conn, f"{ROLLBACK_DIR}/arm.sh",
                     f"setsid sh -c 'sleep {seconds}; sh {ROLLBACK_DIR}/restore.sh' "
                     f"</dev/null >/dev/null 2>&1 &\necho $! > {ROLLBACK_DIR}/timer.pid\n")
        for step in ("save.sh", "arm.sh"):
            rc, out = _run(conn, f"sh {ROLLBACK_DIR}/{step}")
            if rc != 0:
                raise ApplyError(f"{step} failed on the router: {out.strip()[:200]}")

    def push(self, conn: Any, remediation: Remediation) -> PushResult:
        sent = 0
        outputs = []
        for name, text in remediation.files:
            self._upload(conn, PATHS[name], text)
            rc, out = _run(conn, RELOAD[name], timeout=120)
            sent += 1
            outputs.append(out)
            if rc != 0:
                return PushResult("\n".join(outputs), rejected=f"{RELOAD[name]} (exit {rc})",
                                  commands_sent=sent)
        return PushResult("\n".join(outputs), commands_sent=sent)

    def confirm(self, conn: Any) -> None:
        """Stop the timer; if it is no longer there to stop, the revert has already run
        (the checks outlasted it) and the change is gone: that is not a success."""
        rc, _ = _run(conn, f"kill -- -$(cat {ROLLBACK_DIR}/timer.pid) 2>/dev/null")
        if rc != 0:
            raise ApplyError("the revert timer had already fired: the router restored its "
                             "saved files")
        _run(conn, f"rm -rf {ROLLBACK_DIR}")

    def rollback(self, conn: Any, remediation: Remediation) -> None:
        _run(conn, f"kill -- -$(cat {ROLLBACK_DIR}/timer.pid) 2>/dev/null; "
                   f"sh {ROLLBACK_DIR}/restore.sh; rm -rf {ROLLBACK_DIR}", timeout=120)

    def checks(self, conn: Any, intent: DeviceIntent) -> list[CheckResult]:
        results: list[CheckResult] = []
        _, sas = _run(conn, "swanctl --list-sas")
        for t in intent.tunnels:
            up = bool(re.search(rf"^{re.escape(t.name)}: .*ESTABLISHED", sas, re.M))
            results.append(CheckResult(f"ike {t.name}", up, "ESTABLISHED" if up else "down",
                                       t.peer))
        _, raw = _run(conn, "vtysh -c 'show bgp summary json'")
        try:
            peers = json.loads(raw[raw.index("{"):]).get("ipv4Unicast", {}).get("peers", {})
        except ValueError:
            peers = {}
        for nb in intent.bgp.neighbors:
            if nb.ebgp:
                state = peers.get(str(nb.address), {}).get("state", "absent")
                results.append(CheckResult(f"bgp {nb.address} ({nb.description})",
                                           state == "Established", state,
                                           nb.description.split(" ")[0]))
        for t in intent.tunnels:
            # three probes 0.2 s apart: one answer is enough, and it takes half a second
            rc, _ = _run(conn, f"ping -c 3 -i 0.2 -W 1 -I {t.inner.ip} {t.remote_inner}")
            results.append(CheckResult(f"ping {t.remote_inner} over {t.name}", rc == 0,
                                       "answered" if rc == 0 else "no answer", t.peer))
        return results

    def ping(self, conn: Any, destination: str, source: str | None) -> bool:
        src = f"-I {shlex.quote(source)} " if source else ""
        rc, _ = _run(conn, f"ping -c 3 -i 0.2 -W 1 {src}{shlex.quote(destination)}")
        return rc == 0
