"""A router's private files: what its mount namespace shows at the paths of a Debian router.

Each router gets a directory tree under the lab's state directory. The router's mount
namespace lays the tree's ``etc`` over the host's /etc as an overlay (the router writes,
renames and creates files in /etc as on a real box, e.g. ``mv nftables.conf.new
nftables.conf``, and nothing reaches the host) and binds the rest (``BINDS``) over their
paths, so an SSH session, vtysh, frr-reload.py, swanctl and nft all work with their packaged
defaults. The tree starts in the factory-default state: FRR with only its hostname, empty
swanctl/nftables/tc files.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run

ETC = "etc"  # overlay upper directory: the router's changes to /etc
ETC_WORK = ".etc-work"  # overlayfs's work directory (same filesystem as the upper one)
# (path inside the router's tree, path it covers inside the router)
BINDS: tuple[tuple[str, str], ...] = (
    ("log/frr", "/var/log/frr"),
    ("root", "/root"),
    ("run", "/run"),  # pid files, vty sockets, the VICI socket, sshd's privsep dir
)
PRIVATE: tuple[tuple[str, str], ...] = ((ETC, "/etc"), *BINDS)
SWANCTL_DIRS = ("conf.d", "x509", "x509ca", "x509aa", "x509ac", "x509crl", "x509ocsp",
                "pubkey", "private", "rsa", "ecdsa", "pkcs8", "pkcs12", "bliss")
# The plugins charon needs for IKEv2/PSK with user-space ESP; "kdf" is not optional (IKE
# key derivation fails without it) and kernel-libipsec replaces the kernel's missing ESP.
CHARON_PLUGINS = ("random nonce openssl pem pkcs1 x509 pubkey kdf hmac sha2 gcm "
                  "kernel-libipsec kernel-netlink socket-default vici updown")
STRONGSWAN_CONF = """\
# The lab router's strongswan.conf: ESP runs in user space (kernel-libipsec, device
# ipsec0) because the kernel has no ESP. kernel-libipsec always installs a route per
# remote traffic selector (install_routes does not apply to it) into table 220; a site's
# remote_ts 0.0.0.0/0 would then pull everything, management replies included, into the
# tunnel. Consulting table 220 after main leaves routing to FRR and the table as a fallback.
charon {{
    load_modular = no
    load = {plugins}
    routing_table = 220
    routing_table_prio = 32800
    install_virtual_ip = no
    filelog {{
        lab {{
            path = /run/charon.log
            time_format = %b %e %T
            default = 1
            flush_line = yes
        }}
    }}
}}
swanctl {{
    load = pem pkcs1 x509 pubkey openssl random
}}
"""
VTYSH_CONF = "service integrated-vtysh-config\n"
SSHD_CONFIG = """\
ListenAddress {address}
Port 22
HostKey {hostkey}
PidFile /run/sshd.pid
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 50:30:100
Subsystem sftp /usr/lib/openssh/sftp-server
"""


@dataclass(frozen=True, slots=True)
class RouterTree:
    """Where one router's private files live on the host."""

    root: Path

    def host_path(self, router_path: str) -> Path:
        """The host path of a file the router sees at ``router_path`` (e.g. /etc/frr/frr.conf)."""
        for rel, target in PRIVATE:
            if router_path == target or router_path.startswith(target.rstrip("/") + "/"):
                return self.root / rel / router_path[len(target):].lstrip("/")
        raise ValueError(f"{router_path} is not private to the router")

    @property
    def sshd_config(self) -> Path:
        return self.root / "sshd_config"

    def mount_script(self) -> str:
        """Shell lines (run in the router's fresh mount namespace) that make its paths."""
        if not re.fullmatch(r"/[A-Za-z0-9_./+-]*", str(self.root)):
            raise LabError(f"state directory {self.root} must be an absolute path without "
                           "spaces, commas or colons (it goes into mount options)")
        lines = [f"mount -t overlay overlay -o lowerdir=/etc,upperdir={self.root / ETC},"
                 f"workdir={self.root / ETC_WORK} /etc"]
        lines += [f"mount --bind {self.root / rel} {target}" for rel, target in BINDS]
        return "\n".join(lines)


def factory_frr_conf(hostname: str) -> str:
    return (f"frr defaults traditional\nhostname {hostname}\nservice integrated-vtysh-config\n"
            "!\nend\n")


def password_hash(password: str) -> str:
    return run(["openssl", "passwd", "-6", "-stdin"], stdin=password + "\n").stdout.strip()


def host_key(folder: Path) -> Path:
    """One SSH host key for the whole lab (made once; clients do not check lab host keys)."""
    key = folder / "ssh_host_ed25519_key"
    if not key.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pydriver-lab", "-f",
             str(key)])
    return key


def daemons_file(daemons: tuple[str, ...]) -> str:
    """/etc/frr/daemons as Debian's frr package writes it, for the daemons the lab runs."""
    lines = [f"{d}={'yes' if d in daemons else 'no'}" for d in ("bgpd", "ospfd", "staticd")]
    return "\n".join([*lines, "vtysh_enable=yes", ""])


def build(tree: RouterTree, hostname: str, mgmt_host: str, hostkey: Path, username: str,
          hashed: str, daemons: tuple[str, ...]) -> None:
    """Write the factory-default tree of one router."""
    frr = pwd.getpwnam("frr")
    frr_gid = grp.getgrnam("frr").gr_gid
    root = tree.root
    for rel in ("etc/frr", "etc/swanctl", "etc/pydriver", ETC_WORK, "log/frr", "run/frr",
                "run/sshd", "root"):
        (root / rel).mkdir(parents=True, exist_ok=True)
    for sub in SWANCTL_DIRS:
        (root / "etc/swanctl" / sub).mkdir(exist_ok=True)
    _write(root / "etc/frr/frr.conf", factory_frr_conf(hostname), 0o640, frr.pw_uid, frr_gid)
    _write(root / "etc/frr/vtysh.conf", VTYSH_CONF, 0o640, frr.pw_uid, frr_gid)
    _write(root / "etc/frr/daemons", daemons_file(daemons), 0o640, frr.pw_uid, frr_gid)
    for rel in ("etc/frr", "run/frr", "log/frr"):
        os.chown(root / rel, frr.pw_uid, frr_gid)
        os.chmod(root / rel, 0o2775)
    os.chmod(root / "run/sshd", 0o755)
    os.chmod(root / "root", 0o700)
    _write(root / "etc/swanctl/swanctl.conf", "", 0o640)
    _write(root / "etc/nftables.conf", "", 0o644)
    _write(root / "etc/pydriver/tc.sh", "", 0o644)
    _write(root / "etc/strongswan.conf", STRONGSWAN_CONF.format(plugins=CHARON_PLUGINS),
           0o644)
    passwd, shadow = accounts(username, hashed)
    _write(root / "etc/passwd", passwd, 0o644)
    _write(root / "etc/shadow", shadow, 0o640)
    _write(tree.sshd_config, SSHD_CONFIG.format(address=mgmt_host, hostkey=hostkey), 0o600)


def accounts(username: str, hashed: str) -> tuple[str, str]:
    """passwd and shadow for the router: the host's accounts, all locked, plus the lab login.

    The host's password hashes are never copied; the only usable password is the lab's.
    A login other than root is a second uid-0 account (like BSD's toor): everything on a
    router (nft, tc, swanctl) needs root, and the lab has no sudo.
    """
    lines = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()
    names = [ln.split(":", 1)[0] for ln in lines if ln.strip()]
    if username != "root" and username not in names:
        lines.append(f"{username}:x:0:0:pydriver lab:/root:/bin/bash")
        names.append(username)
    passwd = []
    for ln in lines:
        fields = ln.split(":")
        if fields[0] == username and len(fields) == 7:
            fields[6] = "/bin/bash"
        passwd.append(":".join(fields))
    shadow = [f"{n}:{hashed if n == username else '*'}:19000:0:99999:7:::" for n in names]
    return "\n".join(passwd) + "\n", "\n".join(shadow) + "\n"


def _write(path: Path, text: str, mode: int, uid: int = 0, gid: int = 0) -> None:
    path.write_text(text, encoding="utf-8")
    os.chown(path, uid, gid)
    os.chmod(path, mode)
