"""Talking to a RouterOS router over a Netmiko ``mikrotik_routeros`` session.

A change goes out as a script file (uploaded over SFTP on the same SSH server) run with
``/import ... verbose=yes``: one round trip instead of one per line, and RouterOS reports
the first refused line by number, which names the rejected command exactly. When the
router offers no SFTP the lines are sent one by one instead, stopping at the first error
text; the result is the same, only slower.

The safety net is a ``/system scheduler`` job armed *before* the push: unless
:func:`confirm` removes it in time it removes itself and imports the rollback script, so
a change that cuts pydriver off heals on its own. Scripts hold real secret values, so
every path that ends a change (confirm, rollback) deletes them from the router again.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from pydriver.errors import DeviceError
from pydriver.platforms.base import PushResult
from pydriver.platforms.mikrotik_routeros import schema, users
from pydriver.platforms.mikrotik_routeros.emit import quoted

CHANGE_FILE = "pydriver-change.rsc"
ROLLBACK_FILE = "pydriver-rollback.rsc"
JOB = "pydriver-revert"
#: Any RouterOS prompt (the identity may change during a push, so never the old one).
PROMPT = r"\[[^\[\]\r\n]+@[^\[\]\r\n]+\] (?:/[^\r\n>]*)?>[ \t]*$"
_PROMPT_LINE = re.compile(r"^\s*\[[^\[\]\r\n]+@[^\[\]\r\n]+\] (?:/[^\r\n>]*)?>")
#: Texts RouterOS answers a refused line with.
ERROR = re.compile(
    r"^(?:bad command name|expected end of command|expected closing|syntax error"
    r"|failure:|no such item|input does not match|invalid value|invalid time value"
    r"|missing value|ambiguous value|value of \S+ out of range|Script Error|internal error)",
    re.M)
_SCRIPT_ERROR = re.compile(
    r"^(?:Script Error: )?(?P<message>[^\n#]*?) \(line (?P<line>\d+) column \d+\)", re.M)
_IMPORTED = "Script file loaded and executed successfully"
#: ``verbose=yes`` echoes each line, secrets and all: keep only the line numbers.
_LINE_ECHO = re.compile(r"^(#line \d+):.*$", re.M)


def send(conn: Any, line: str, read_timeout: float = 60.0) -> str:
    """One console line; waits for any prompt, since the line may change the identity."""
    output = conn.send_command(line, expect_string=PROMPT, read_timeout=read_timeout,
                               strip_prompt=False)
    return "\n".join(ln for ln in str(output).replace("\r", "").split("\n")
                     if not _PROMPT_LINE.match(ln))


def upload(conn: Any, name: str, text: str) -> bool:
    """Write ``text`` to the router's file ``name`` over SFTP; False when SFTP is refused."""
    client = getattr(conn, "remote_conn_pre", None)
    if client is None or not hasattr(client, "open_sftp"):
        return False
    try:
        sftp = client.open_sftp()
    except Exception:  # paramiko raises SSHException or EOFError when there is no subsystem
        return False
    try:
        with sftp.open(name, "w") as handle:
            handle.write(text.encode("utf-8"))
    finally:
        sftp.close()
    return True


def write_file(conn: Any, name: str, text: str) -> None:
    """Put ``text`` in file ``name``: SFTP, else ``/file add ... contents=`` on the console."""
    if upload(conn, name, text):
        return
    send(conn, f"/file remove [ find name={quoted(name)} ]")
    _checked(conn, host(conn), f"/file add name={quoted(name)} contents={quoted(text)}")


def host(conn: Any) -> str:
    return str(getattr(conn, "host", "router"))


def _checked(conn: Any, who: str, line: str) -> str:
    out = send(conn, line)
    if ERROR.search(out):
        raise DeviceError(who, f"{' '.join(line.split()[:3])} ...: {out.strip()}")
    return out


def read_running(conn: Any) -> str:
    """``/export show-sensitive`` (RouterOS 7 hides secrets otherwise) plus ``/user``."""
    export = send(conn, "/export show-sensitive", read_timeout=120)
    if ERROR.search(export):
        raise DeviceError(host(conn), f"/export refused: {export.strip()}")
    printed = send(conn, users.PRINT)
    return users.with_users(export.strip("\n") + "\n", printed)


def remove_files(conn: Any) -> None:
    for name in (CHANGE_FILE, ROLLBACK_FILE):
        send(conn, f"/file remove [ find name={quoted(name)} ]")


def run_script(conn: Any, name: str, lines: tuple[str, ...]) -> PushResult:
    """Import file ``name`` holding ``lines``; the first refused line is reported."""
    out = _LINE_ECHO.sub(r"\g<1>", send(conn, f"/import file-name={name} verbose=yes",
                                         read_timeout=300))
    with contextlib.suppress(Exception):
        conn.set_base_prompt()  # the script may have changed the identity
    failed = _SCRIPT_ERROR.search(out)
    if failed is not None:
        number = int(failed["line"])
        bad = lines[number - 1] if 0 < number <= len(lines) else failed["message"]
        return PushResult(out, rejected=bad, commands_sent=number,
                          extra={"error": failed["message"], "line": number})
    if _IMPORTED not in out:
        return PushResult(out, rejected=f"/import file-name={name}", commands_sent=0,
                          extra={"error": out.strip()})
    return PushResult(out, commands_sent=len(lines))


def send_lines(conn: Any, lines: tuple[str, ...]) -> PushResult:
    """The fallback: line by line, stopping at the first line RouterOS refuses."""
    outputs: list[str] = []
    for number, line in enumerate(lines, start=1):
        out = send(conn, line)
        outputs.append(out)
        if ERROR.search(out):
            with contextlib.suppress(Exception):
                conn.set_base_prompt()
            return PushResult("\n".join(outputs), rejected=line, commands_sent=number,
                              extra={"error": out.strip(), "line": number})
    with contextlib.suppress(Exception):
        conn.set_base_prompt()
    return PushResult("\n".join(outputs), commands_sent=len(lines))


def push(conn: Any, lines: tuple[str, ...], use_sftp: bool = True) -> PushResult:
    if not lines:
        return PushResult("", commands_sent=0)
    script = "\n".join(lines) + "\n"
    if use_sftp and upload(conn, CHANGE_FILE, script):
        try:
            return run_script(conn, CHANGE_FILE, lines)
        finally:
            send(conn, f"/file remove [ find name={quoted(CHANGE_FILE)} ]")
    return send_lines(conn, lines)


def interval(minutes: float) -> str:
    """A scheduler interval for ``minutes`` (fractions allowed, at least one second)."""
    return schema.format_duration(max(1, round(minutes * 60)))


def arm(conn: Any, rollback: tuple[str, ...], minutes: float) -> None:
    """Upload the rollback script, then a job that runs it unless disarmed in time.

    The job removes itself before importing, so a rollback line that fails cannot make it
    run again and again, and deletes the script afterwards (it holds secret values).
    """
    who = host(conn)
    write_file(conn, ROLLBACK_FILE, "\n".join(rollback) + "\n")
    send(conn, f"/system scheduler remove [ find name={JOB} ]")
    event = (f"/system scheduler remove [find name={JOB}]; /import file-name={ROLLBACK_FILE}; "
             f"/file remove [find name={ROLLBACK_FILE}]")
    _checked(conn, who, f"/system scheduler add name={JOB} interval={interval(minutes)} "
                        f"on-event={quoted(event)}")


def disarm(conn: Any) -> None:
    send(conn, f"/system scheduler remove [ find name={JOB} ]")


def roll_back(conn: Any, rollback: tuple[str, ...]) -> PushResult:
    """Disarm, then import the rollback script now (uploaded again: it may be gone)."""
    disarm(conn)
    if not rollback:
        remove_files(conn)
        return PushResult("", commands_sent=0)
    write_file(conn, ROLLBACK_FILE, "\n".join(rollback) + "\n")
    try:
        return run_script(conn, ROLLBACK_FILE, rollback)
    finally:
        remove_files(conn)
