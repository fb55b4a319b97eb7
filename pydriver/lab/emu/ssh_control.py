"""A local control socket for a running emulator: JSON lines over a unix socket.

Tests in the same process use :class:`~pydriver.lab.emu.server.EmulatorHost` directly;
the lab CLI and tests in other processes need the same knobs from outside, so each
request line ``{"op": ..., ...}`` gets one reply line ``{"ok": true, ...}`` or
``{"ok": false, "error": "..."}``. Operations: ``list``, ``get_faults``, ``set_fault``
(``field``/``value`` or a ``faults`` object) and ``reboot``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydriver.errors import LabError
from pydriver.platforms.emulation import Faults

if TYPE_CHECKING:
    from pydriver.lab.emu.server import EmulatorHost

_SETTABLE = {"drop_after_commands", "reject_pattern", "latency_ms", "refuse_login",
             "commands_seen", "sessions_opened", "log"}


def faults_dict(faults: Faults) -> dict[str, Any]:
    return dataclasses.asdict(faults)


def _set(faults: Faults, name: str, value: Any) -> None:
    if name not in _SETTABLE:
        raise LabError(f"no fault knob named {name}")
    setattr(faults, name, value)


def handle(host: EmulatorHost, request: dict[str, Any]) -> dict[str, Any]:
    """One control request against ``host`` (runs on the emulator's loop)."""
    op = request.get("op")
    try:
        if op == "list":
            return {"ok": True, "devices": host.devices()}
        device = str(request.get("device", ""))
        if op == "get_faults":
            return {"ok": True, "faults": faults_dict(host.faults(device))}
        if op == "set_fault":
            faults = host.faults(device)
            changes = dict(request.get("faults") or {})
            if "field" in request:
                changes[str(request["field"])] = request.get("value")
            for name, value in changes.items():
                _set(faults, name, value)
            return {"ok": True, "faults": faults_dict(faults)}
        if op == "reboot":
            host.reboot(device)
            return {"ok": True}
    except LabError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": False, "error": f"unknown op {op!r}"}


async def serve(host: EmulatorHost, path: Path) -> asyncio.AbstractServer:
    """Listen on unix socket ``path`` (replacing a stale one) until the server is closed."""

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                    reply = handle(host, request) if isinstance(request, dict) else \
                        {"ok": False, "error": "a request is a JSON object"}
                except json.JSONDecodeError as exc:
                    reply = {"ok": False, "error": f"bad JSON: {exc}"}
                writer.write((json.dumps(reply) + "\n").encode())
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    path.unlink(missing_ok=True)
    return await asyncio.start_unix_server(client, path=str(path))


def request(path: Path, message: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    """Send one request to the control socket at ``path`` and return the reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except OSError as exc:
            raise LabError(f"emulator control socket {path}: {exc}") from exc
        sock.sendall((json.dumps(message) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    reply = json.loads(data or b"{}")
    if not isinstance(reply, dict):
        raise LabError("emulator control socket: malformed reply")
    return reply
