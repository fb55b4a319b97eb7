"""One target: an overlay copy of the image, its own identity, booted by systemd-nspawn.

Everything that makes a target itself (hostname, address, gateway, apt proxy, SSH host keys,
root's authorised key) is written into its overlay before boot, so systemd finds a complete
machine and nothing has to be configured while it boots. systemd-networkd sets the address
on ``host0``; the target has no route but its gateway, the host.
"""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run
from pydriver.lab.netns.journal import Journal
from pydriver.lab.targets import host

CONSOLE_TAIL = 30


@dataclass(frozen=True, slots=True)
class MachineDir:
    """The host-side directories of one target under the lab's state directory."""

    base: Path

    @property
    def upper(self) -> Path:
        return self.base / "upper"

    @property
    def work(self) -> Path:
        return self.base / "work"

    @property
    def root(self) -> Path:
        """The overlay's mount point: the target's / as the host sees it."""
        return self.base / "root"

    @property
    def console(self) -> Path:
        return self.base / "console.log"

    def host_path(self, path: str) -> Path:
        return self.root / path.lstrip("/")


def mount(journal: Journal, d: MachineDir, lower: Path) -> None:
    for p in (d.upper, d.work, d.root):
        p.mkdir(parents=True, exist_ok=True)
    journal.add("mount", str(d.root))
    run(["mount", "-t", "overlay", "overlay", "-o",
         f"lowerdir={lower},upperdir={d.upper},workdir={d.work}", str(d.root)])


def personalise(d: MachineDir, name: str, interface: IPv4Interface, gateway: IPv4Address,
                proxy_url: str, authorized_key: str) -> list[str]:
    """Write the target's identity into its overlay; its public host keys (known_hosts)."""
    files = {
        "/etc/hostname": f"{name}\n",
        "/etc/hosts": (f"127.0.0.1\tlocalhost\n127.0.1.1\t{name}\n{interface.ip}\t{name}\n"
                       "::1\tlocalhost ip6-localhost ip6-loopback\n"),
        "/etc/systemd/network/10-pydriver-lab.network": (
            "[Match]\nName=host0\n\n"
            f"[Network]\nAddress={interface}\nGateway={gateway}\n"
            "LinkLocalAddressing=no\nIPv6AcceptRA=no\n"),
        "/etc/apt/apt.conf.d/01pydriver-lab-proxy": (
            f'Acquire::http::Proxy "{proxy_url}";\n'),
    }
    for path, text in files.items():
        dest = d.host_path(path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        dest.write_text(text, encoding="utf-8")
    ssh_dir = d.host_path("/root/.ssh")
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    keys = ssh_dir / "authorized_keys"
    keys.write_text(authorized_key.strip() + "\n", encoding="utf-8")
    keys.chmod(0o600)
    public: list[str] = []
    for kind in ("ed25519", "ecdsa"):
        key = d.host_path(f"/etc/ssh/ssh_host_{kind}_key")
        run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", f"root@{name}", "-f", str(key)])
        public.append(" ".join(Path(f"{key}.pub").read_text(encoding="utf-8").split()[:2]))
    return public


def boot(journal: Journal, d: MachineDir, name: str, bridge: str) -> subprocess.Popen[bytes]:
    """Start systemd-nspawn in the background; the target boots while others are started."""
    journal.add("proc", str(d.base))
    argv = ["systemd-nspawn", "--quiet", "--boot", f"--directory={d.root}",
            f"--machine={name}", f"--hostname={name}", "--register=no",
            "--private-network", f"--network-bridge={bridge}", "--resolv-conf=off",
            "--timezone=off", "--link-journal=no", "--console=read-only",
            "--keep-unit"]
    with d.console.open("wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_ssh(name: str, address: IPv4Address, proc: subprocess.Popen[bytes], d: MachineDir,
             deadline: float) -> None:
    """Return when the target's sshd sends its banner; fail early if nspawn has exited."""
    while not ssh_answers(address):
        code = proc.poll()
        if code is not None:
            raise LabError(f"target {name} stopped while booting (systemd-nspawn exited "
                           f"{code}){console_tail(d)}")
        if time.monotonic() > deadline:
            raise LabError(f"target {name} did not come up: no sshd on {address}:22"
                           f"{console_tail(d)}")
        time.sleep(0.05)


def ssh_answers(address: IPv4Address, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((str(address), 22), timeout=timeout) as s:
            s.settimeout(timeout)
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def console_tail(d: MachineDir) -> str:
    try:
        text = d.console.read_bytes().decode(errors="replace")
    except OSError:
        return ""
    lines = [ln for ln in text.replace("\r", "").splitlines() if ln.strip()]
    if not lines:
        return " (its console printed nothing)"
    return "; last lines of its console:\n" + "\n".join(lines[-CONSOLE_TAIL:])


def leader(d: MachineDir, procs: list[host.Proc] | None = None) -> int | None:
    """The container's systemd (pid 1 of its pid namespace), None when it is not running."""
    for p in host.owned(str(d.base), procs):
        if p.ns_pid == 1 and p.pid != 1:
            return p.pid
    return None


def memory_kib(d: MachineDir, procs: list[host.Proc] | None = None) -> int:
    """Proportional set size of every process of the target (shared pages split fairly)."""
    total = 0
    for p in host.owned(str(d.base), procs):
        if p.argv and p.argv[0].endswith("systemd-nspawn"):
            continue  # the host's side of the container
        try:
            rollup = Path(f"/proc/{p.pid}/smaps_rollup").read_text(encoding="utf-8")
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
                break
    return total
