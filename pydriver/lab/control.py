"""The lab daemon's control channel: JSON lines over a unix socket in the lab's state dir.

Tests and the CLI use it to set fault knobs, read counters (commands seen, lines logged)
and reboot a router while the lab runs in its own process.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from pydriver.errors import LabError


def request(sock_path: Path, op: str, timeout: float = 30.0, **args: Any) -> Any:
    """Send one request, return its ``result`` or raise LabError with the daemon's error."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(str(sock_path))
        s.sendall(json.dumps({"op": op, **args}).encode() + b"\n")
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    except OSError as exc:
        raise LabError(f"lab control socket {sock_path}: {exc}") from None
    finally:
        s.close()
    try:
        reply = json.loads(buf)
    except ValueError:
        raise LabError(f"lab control socket {sock_path}: no reply") from None
    if not reply.get("ok"):
        raise LabError(str(reply.get("error", "lab request failed")))
    return reply.get("result")
