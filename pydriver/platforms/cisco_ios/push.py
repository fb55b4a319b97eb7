"""Sending an IOS-XE remediation: as a file merged onto running-config, or line by line.

Why a file: typing 160 lines with Netmiko verifying each echo costs a round trip per line;
copying the remediation to flash over SCP (a channel of the session already open, so still
one SSH session per router) and merging it with ``copy <file> running-config`` costs a few.
The merge runs under the revert timer armed just before it (``configure terminal revert
timer N``), exactly as the line-by-line push does, so a change that cuts the router off
still heals itself. The file holds secrets in clear (keys are part of the remediation): it
is deleted from flash as soon as the merge has read it, whatever the merge said.

Line by line stays as the fallback: a router with no SCP server (a factory one, before its
first push enables it) or an upload that does not arrive intact gets the old push, with
nothing sent to its configuration before that decision.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from typing import Any

from pydriver.platforms.base import PushResult

ERROR_PATTERN = r"% Invalid input|% Incomplete command|% Ambiguous command|% Unknown command"
CHANGE_FILE = "bootflash:pydriver-change.cfg"
_ERROR_LINE = re.compile(ERROR_PATTERN)
_MERGED = r"(?:copied in|%Error)[^\n]*[\r\n]+[^\r\n]*#\s*$"


def renames(chunk: list[str]) -> bool:
    return any(c.startswith("hostname ") for c in chunk)


def chunks(commands: tuple[str, ...]) -> list[list[str]]:
    """Split at top-level commands: each banner alone, a hostname change ends its chunk."""
    out: list[list[str]] = [[]]
    for cmd in commands:
        top = not cmd.startswith(" ")
        if top and (cmd.startswith("banner ") or (out[-1] and (
                out[-1][0].startswith("banner ") or renames(out[-1])))):
            out.append([])
        out[-1].append(cmd)
    return [c for c in out if c]


def lines_of(commands: tuple[str, ...]) -> list[str]:
    return [line for cmd in commands for line in cmd.split("\n")]


def push_lines(conn: Any, commands: tuple[str, ...], minutes: int) -> PushResult:
    """Send the remediation in config mode, armed with the revert timer (the fallback).

    Commands go in chunks so Netmiko can verify every echoed line (the first rejected line
    is known): a banner goes alone (Netmiko cannot verify its text), and after a hostname
    change the prompt Netmiko waits for is read again.
    """
    from netmiko.exceptions import ConfigInvalidException

    sent = 0
    outputs: list[str] = []
    mode = f"configure terminal revert timer {minutes}"
    for chunk in chunks(commands):
        lines = [line for cmd in chunk for line in cmd.split("\n")]
        is_banner = chunk[0].startswith("banner ")
        try:
            outputs.append(str(conn.send_config_set(
                lines, config_mode_command=mode, error_pattern=ERROR_PATTERN,
                cmd_verify=not is_banner, exit_config_mode=not renames(chunk))))
        except ConfigInvalidException as exc:
            text = str(exc)
            bad = next((ln for ln in lines if ln.strip() and ln.strip() in text), None)
            conn.send_command("end", expect_string=r"#")
            return PushResult(output=text, rejected=(bad or text.splitlines()[0]).strip(),
                              commands_sent=sent + len(lines))
        sent += len(lines)
        mode = "configure terminal"
        if renames(chunk):
            conn.write_channel("end" + conn.RETURN)
            conn.read_until_pattern(pattern=r"#\s*$", read_timeout=20)
            conn.set_base_prompt()
    return PushResult(output="\n".join(outputs), commands_sent=sent)


def upload(conn: Any, text: str, remote: str = CHANGE_FILE) -> bool:
    """``text`` to ``remote`` over SCP on the open session's transport, checked by MD5
    (``verify /md5``, as Netmiko's file transfer checks it). False: not there intact."""
    from scp import SCPClient, SCPException

    data = text.encode()
    transport = getattr(getattr(conn, "remote_conn_pre", None), "get_transport", None)
    if transport is None or transport() is None:
        return False
    try:
        with SCPClient(transport(), socket_timeout=30.0) as client:
            client.putfo(io.BytesIO(data), remote)
    except (SCPException, OSError, EOFError):
        return False
    out = str(conn.send_command(f"verify /md5 {remote}", read_timeout=60))
    found = re.search(r"=\s*([0-9a-fA-F]{32})\s*$", out.strip())
    ok = found is not None and \
        found[1].lower() == hashlib.md5(data, usedforsecurity=False).hexdigest()
    if not ok:
        remove(conn, remote)
    return ok


def remove(conn: Any, remote: str = CHANGE_FILE) -> None:
    conn.send_command(f"delete /force {remote}", expect_string=r"#")


def rejected_line(output: str, sent: list[str]) -> str | None:
    """The first line the merge refused: the sent line nearest above IOS's first error."""
    wanted = {s.strip() for s in sent if s.strip()}
    seen: str | None = None
    for line in output.replace("\r", "").split("\n"):
        if _ERROR_LINE.search(line):
            return seen or line.strip()
        # IOS's caret line under the refused one is no command (a banner's delimiter may be)
        if line.strip() in wanted and line.strip() != "^":
            seen = line.strip()
    return None


def read_until(conn: Any, pattern: str, timeout: float) -> str:
    """Read until ``pattern``; a session the router closed is an error at once (Netmiko's
    own read would wait out its whole timeout on a dead channel)."""
    out = ""
    deadline = time.monotonic() + timeout
    while True:
        out += str(conn.read_channel())
        if re.search(pattern, out):
            return out
        chan = conn.remote_conn
        transport = chan.get_transport() if chan is not None else None
        if chan is None or chan.closed or transport is None or not transport.is_active():
            raise ConnectionError("the router closed the session during the merge")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no end of the merge after {timeout:g} s")
        time.sleep(0.01)


def merge(conn: Any, commands: tuple[str, ...], minutes: int) -> PushResult:
    """Arm the revert timer, then merge the uploaded file onto running-config."""
    sent = lines_of(commands)
    conn.config_mode(config_command=f"configure terminal revert timer {minutes}")
    conn.exit_config_mode()
    conn.write_channel(f"copy {CHANGE_FILE} running-config{conn.RETURN}")
    out = read_until(conn, r"running-config\]\?|copied in|%Error", 60)
    if "running-config]?" in out:
        conn.write_channel(conn.RETURN)
        out += read_until(conn, _MERGED, 300)
    elif not re.search(_MERGED, out):
        out += read_until(conn, r"#\s*$", 60)
    if any(c.startswith("hostname ") for c in commands):
        conn.set_base_prompt()
    remove(conn)
    failed = re.search(r"^.*%Error.*$", out, re.M)
    bad = failed[0].strip() if failed else rejected_line(out, sent)
    return PushResult(output=out, rejected=bad, commands_sent=len(sent))


def push_file(conn: Any, commands: tuple[str, ...], minutes: int) -> PushResult | None:
    """The remediation as a file merged under the revert timer; None when it could not be
    uploaded (nothing was changed: push line by line instead)."""
    text = "\n".join(lines_of(commands)) + "\nend\n"
    if not upload(conn, text):
        return None
    return merge(conn, commands, minutes)
