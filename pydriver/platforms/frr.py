"""linux_frr (Linux + FRR + strongSwan + nftables + tc): a shell, files and reloads.

FRR's own tool, frr-reload.py, applies the difference between the running daemons and a
new frr.conf; the plan shows that difference computed the same way (hier_config with
Cisco-style negation, which is FRR's syntax too). swanctl.conf, nftables.conf and the tc
script are replaced whole: each is loaded atomically by its tool (swanctl --load-all,
nft -f, a tc script that replaces its root qdisc), so a line diff would add risk, not
safety. The revert is a timer on the router that restores the saved files and reloads
them, so a change that cuts the router off undoes itself.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig

from pydriver.errors import PlanError
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.base import CheckResult, PushResult, Remediation
from pydriver.render.render import RenderedConfig

PATHS = {
    "frr.conf": "/etc/frr/frr.conf",
    "swanctl.conf": "/etc/swanctl/swanctl.conf",
    "nftables.conf": "/etc/nftables.conf",
    "tc.sh": "/etc/pydriver/tc.sh",
}
MARK = "### pydriver file: "
ROLLBACK_DIR = "/etc/pydriver/rollback"
APPLY_ORDER = ("nftables.conf", "frr.conf", "swanctl.conf", "tc.sh")
RELOAD = {
    "frr.conf": "/usr/lib/frr/frr-reload.py --reload /etc/frr/frr.conf",
    "swanctl.conf": "swanctl --load-all --noprompt",
    "nftables.conf": "nft -c -f /etc/nftables.conf && nft -f /etc/nftables.conf",
    "tc.sh": "sh /etc/pydriver/tc.sh",
}
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
    return "".join(f"{MARK}{name}\n{files.get(name, '').strip(chr(10))}\n" for name in PATHS)


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


def _hconfig(text: str) -> HConfig:
    return get_hconfig(Platform.CISCO_IOS, _frr_lines(text))


def remediation(running: str, intended: RenderedConfig) -> Remediation:
    have = split(running)
    wf = WorkflowRemediation(_hconfig(have.get("frr.conf", "")),
                             _hconfig(intended.file("frr.conf")))
    commands = list(wf.remediation_config.dump_simple())
    rollback = list(wf.rollback_config.dump_simple())
    added = sum(1 for c in commands if not c.lstrip().startswith("no "))
    removed = len(commands) - added
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
            removed += len(old_lines - new_lines)
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
                       removed=removed, sections=frozenset(sections), files=tuple(files))


def apply_text(running: str, commands: tuple[str, ...]) -> str:
    raise NotImplementedError("linux_frr changes are whole files applied on the router")


def _run(conn: Any, command: str, timeout: float = 60) -> tuple[int, str]:
    # no echo check: a long command wraps in the terminal and its echo never matches
    out = str(conn.send_command(f"{command}; echo __rc=$?", read_timeout=timeout,
                                cmd_verify=False))
    m = re.search(r"__rc=(\d+)", out)
    return (int(m[1]) if m else 255), out[: m.start()] if m else out


class FRRDriver:
    """The linux_frr platform behind the PlatformDriver Protocol."""

    name = "linux_frr"
    device_type = "linux"

    normalise = staticmethod(normalise)
    remediation = staticmethod(remediation)
    apply_text = staticmethod(apply_text)

    def read_running(self, conn: Any) -> str:
        files = {"frr.conf": str(conn.send_command("vtysh -c 'show running-config'",
                                                   read_timeout=30))}
        for name, path in PATHS.items():
            if name != "frr.conf":
                files[name] = str(conn.send_command(f"cat {path} 2>/dev/null"))
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

        The steps are uploaded as small scripts (one short command line each over SSH)."""
        saves = "\n".join(f"cp -a {p} {ROLLBACK_DIR}/{n} 2>/dev/null || : > {ROLLBACK_DIR}/{n}"
                          for n, p in PATHS.items())
        restore = "\n".join([f"cp -a {ROLLBACK_DIR}/{n} {p}" for n, p in PATHS.items()]
                            + [RELOAD[n] for n in APPLY_ORDER])
        seconds = max(1, int(minutes * 60))
        rc, out = _run(conn, f"mkdir -p {ROLLBACK_DIR}")
        if rc != 0:
            raise PlanError(f"cannot create {ROLLBACK_DIR}: {out.strip()}")
        self._upload(conn, f"{ROLLBACK_DIR}/save.sh", f"set -e\n{saves}\n")
        self._upload(conn, f"{ROLLBACK_DIR}/restore.sh", f"{restore}\n")
        self._upload(conn, f"{ROLLBACK_DIR}/arm.sh",
                     f"setsid sh -c 'sleep {seconds}; sh {ROLLBACK_DIR}/restore.sh' "
                     f"</dev/null >/dev/null 2>&1 &\necho $! > {ROLLBACK_DIR}/timer.pid\n")
        for step in ("save.sh", "arm.sh"):
            rc, out = _run(conn, f"sh {ROLLBACK_DIR}/{step}")
            if rc != 0:
                raise PlanError(f"{step} failed on the router: {out.strip()[:200]}")

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
        _run(conn, f"kill $(cat {ROLLBACK_DIR}/timer.pid) 2>/dev/null; rm -rf {ROLLBACK_DIR}")

    def rollback(self, conn: Any, remediation: Remediation) -> None:
        _run(conn, f"kill $(cat {ROLLBACK_DIR}/timer.pid) 2>/dev/null; "
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
            rc, _ = _run(conn, f"ping -c 2 -W 1 -I {t.inner.ip} {t.remote_inner}")
            results.append(CheckResult(f"ping {t.remote_inner} over {t.name}", rc == 0,
                                       "answered" if rc == 0 else "no answer", t.peer))
        return results
