"""Running the system tools the lab is built from (ip, nsenter, ssh-keygen, openssl).

One place turns a failed command into a :class:`LabError` that names the command and
quotes its stderr, so a lab that cannot come up says why in the test report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pydriver.errors import LabError

TOOLS = {
    "ip": "iproute2",
    "nsenter": "util-linux",
    "unshare": "util-linux",
    "setsid": "util-linux",
    "sshd": "openssh-server",
    "ssh-keygen": "openssh-client",
    "openssl": "openssl",
    "vtysh": "frr",
    "swanctl": "strongswan-swanctl",
    "nft": "nftables",
    "tc": "iproute2",
    "ping": "iputils-ping",
}
FILES = {
    "/usr/lib/frr/zebra": "frr",
    "/usr/lib/frr/frr-reload.py": "frr-pythontools",
    "/usr/lib/ipsec/charon": "strongswan-charon",
    "/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so": "libcharon-extra-plugins",
    "/etc/nftables.conf": "nftables",
}


def missing() -> list[str]:
    """Debian packages the lab needs that are not installed (empty when all are there)."""
    need = {pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None}
    need |= {pkg for path, pkg in FILES.items() if not Path(path).exists()}
    return sorted(need)


def run(argv: list[str], *, stdin: str | None = None, timeout: float = 20.0,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                              timeout=timeout, stdin=None if stdin is not None
                              else subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise LabError(f"{argv[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"{' '.join(argv)} did not finish in {timeout:g} s") from exc
    if check and done.returncode != 0:
        raise LabError(f"{' '.join(argv)} failed ({done.returncode}): "
                       f"{(done.stderr or done.stdout).strip()}")
    return done


def in_netns(netns: str, argv: list[str], *, check: bool = True) -> str:
    """Run ``argv`` in a network namespace (host mounts): wiring, not router sessions."""
    return run(["ip", "netns", "exec", netns, *argv], check=check).stdout
