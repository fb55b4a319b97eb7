"""The targets' only way to the Debian archive: apt-cacher-ng on the host's gateway addresses.

The targets have no route out. apt-cacher-ng runs in the foreground as a child of the lab
(there is no init system to start the packaged service, and the packaged one must not be
shared), on its own port so a packaged daemon on 3142 never clashes, with its configuration
and logs in the lab's state directory and its package cache in the image cache directory, so
a second lab downloads nothing it already has. Its configuration directory is on its command
line: that is how a teardown finds it again after a crash.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Sequence
from ipaddress import IPv4Address
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.journal import Journal

PORT = 3144
START_TIMEOUT = 20.0


def conf_dir(state_dir: Path) -> Path:
    return state_dir / "proxy" / "etc"


def url(address: IPv4Address) -> str:
    return f"http://{address}:{PORT}"


def start(journal: Journal, state_dir: Path, cache: Path,
          addresses: Sequence[IPv4Address]) -> subprocess.Popen[bytes]:
    """Start apt-cacher-ng listening on ``addresses`` and return once it accepts connections."""
    etc, log, run_dir = conf_dir(state_dir), state_dir / "proxy" / "log", \
        state_dir / "proxy" / "run"
    for d in (etc, log, run_dir, cache):
        d.mkdir(parents=True, exist_ok=True)
    (etc / "acng.conf").write_text(
        "# apt-cacher-ng of a pydriver targets lab\n"
        f"CacheDir: {cache}\n"
        f"LogDir: {log}\n"
        "SupportDir: /usr/lib/apt-cacher-ng\n"
        f"Port: {PORT}\n"
        f"BindAddress: {' '.join(str(a) for a in addresses)}\n"
        f"PidFile: {run_dir / 'apt-cacher-ng.pid'}\n"
        f"SocketPath: {run_dir / 'socket'}\n"
        "ForeGround: 1\n"
        "ExThreshold: 4\n"
        "ReportPage: acng-report.html\n",
        encoding="utf-8")
    journal.add("proc", str(etc))
    with (log / "console.log").open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(["apt-cacher-ng", "-c", str(etc)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    for address in addresses:
        while not _answers(address):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise LabError(f"apt-cacher-ng did not start on {address}:{PORT}"
                               f"{_tail(log)}")
            time.sleep(0.05)
    return proc


def _answers(address: IPv4Address) -> bool:
    try:
        with socket.create_connection((str(address), PORT), timeout=0.5):
            return True
    except OSError:
        return False


def _tail(log: Path) -> str:
    lines: list[str] = []
    for name in ("console.log", "apt-cacher.err"):
        try:
            lines += (log / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return (":\n" + "\n".join(lines[-20:])) if lines else ""
