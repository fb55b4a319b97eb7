"""The targets' Debian image: debootstrapped once, customised, cached as a zstd tar.

A build costs most of a minute (dpkg, not the download); unpacking the cached tar about a
second. The cache key is a hash of the whole recipe (suite, mirror, packages, masked and
enabled units, every file written), so changing any of it builds a new image and an
unchanged recipe never builds twice. A build happens in a private directory next to the
cache entry and is renamed into place only when complete: a failed or killed build leaves
no entry, and the next build of the same key clears what a killed one left.

The image carries the archive's package lists, as an installed server does (a role may
install a package without updating the lists first). Lists age, and the archive drops the
packages they name at each point release, so an image older than ``MAX_AGE`` is rebuilt.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run
from pydriver.lab.targets import host

CACHE_ENV = "PYDRIVER_TARGET_CACHE"
MAX_AGE = 7 * 24 * 3600.0  # seconds
BUILD_TIMEOUT = 1200.0
LOG_TAIL = 25

# Nothing may take the dpkg lock in the middle of a play, and nobody logs in on a console.
MASKED = (
    "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer",
    "e2scrub_all.timer", "fstrim.timer",
    "console-getty.service", "container-getty@.service", "getty@.service",
    "serial-getty@.service", "getty-static.service",
)
# Each target's address is a systemd-networkd file written into its overlay before boot.
ENABLED = ("systemd-networkd.service",)

_SOURCES = """\
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
"""
_APT = """\
// The lab's targets: downloaded packages are not kept (the host's apt proxy caches them).
APT::Keep-Downloaded-Packages "false";
Acquire::Languages "none";
"""
# chrony's unit is skipped without CAP_SYS_TIME, which a container must not have (the clock
# is the host's): in the test image only, the condition goes and chronyd runs with -x (it
# serves time and never sets the clock), so the ntp role sees a real, running chronyd.
_CHRONY = """\
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=!/usr/sbin/chronyd $DAEMON_OPTS -x
"""
_RESOLV = "# no resolver: the lab's targets reach the Debian archive through the apt proxy\n"


@dataclass(frozen=True, slots=True)
class ImageRecipe:
    """Everything that decides the image's content; its hash is the cache key."""

    suite: str = "bookworm"
    mirror: str = "http://deb.debian.org/debian"
    variant: str = "minbase"
    packages: tuple[str, ...] = (
        "python3", "python3-apt", "openssh-server", "sudo", "ca-certificates", "iproute2",
        "procps", "dbus", "systemd", "systemd-sysv", "libpam-systemd",
    )
    masked: tuple[str, ...] = MASKED
    enabled: tuple[str, ...] = ENABLED
    files: tuple[tuple[str, str, int], ...] = field(default=(
        ("/etc/apt/sources.list", _SOURCES, 0o644),
        ("/etc/apt/apt.conf.d/90pydriver-lab", _APT, 0o644),
        ("/etc/systemd/system/chrony.service.d/pydriver-lab.conf", _CHRONY, 0o644),
        ("/etc/resolv.conf", _RESOLV, 0o644),
    ))
    version: int = 2  # bumped when the code of the customisation below changes

    @property
    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def filename(self) -> str:
        return f"{self.suite}-{self.key}.tar.zst"


RECIPE = ImageRecipe()


def cache_dir() -> Path:
    """``$PYDRIVER_TARGET_CACHE``, else ~/.cache/pydriver/targets."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser().absolute()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pydriver" / "targets"


def ensure(recipe: ImageRecipe = RECIPE, cache: Path | None = None,
           max_age: float = MAX_AGE) -> tuple[Path, bool]:
    """The cached image for ``recipe`` (built now if missing or too old), and whether it was
    built."""
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / recipe.filename

    def fresh() -> bool:
        return target.is_file() and time.time() - target.stat().st_mtime < max_age

    if fresh():
        return target, False
    with _locked(cache / f".{recipe.key}.lock"):
        if fresh():  # another process built it while this one waited
            return target, False
        for stale in cache.glob(f".build-{recipe.key}-*"):
            host.unmount_all(stale, time.monotonic() + 10)
            host.remove_tree(stale)
        work = cache / f".build-{recipe.key}-{os.getpid()}"
        try:
            work.mkdir()
            _build(recipe, work)
            os.replace(work / "image.tar.zst", target)
            _fsync_dir(cache)
        finally:
            host.unmount_all(work, time.monotonic() + 10)
            host.remove_tree(work)
    _prune(cache, max_age)
    return target, True


def _prune(cache: Path, max_age: float) -> None:
    """Drop images too old to be used again (other recipes' too: they would be rebuilt)."""
    for old in cache.glob("*.tar.zst"):
        try:
            if time.time() - old.stat().st_mtime >= max_age:
                old.unlink()
        except FileNotFoundError:
            continue


def unpack(image: Path, dest: Path) -> None:
    """Unpack a cached image into ``dest`` (the shared lower layer of the lab's targets).

    ``dest`` should be on a tmpfs: on a virtual disk, writing its 11,000 files takes 15-20 s
    instead of one.
    """
    dest.mkdir(parents=True, exist_ok=True)
    run(["tar", "-C", str(dest), "-x", "-I", "zstd -T0", "--numeric-owner", "-p",
         "--xattrs", "--xattrs-include=*", "-f", str(image)], timeout=300)


def _build(recipe: ImageRecipe, work: Path) -> None:
    rootfs = work / "rootfs"
    log = work / "debootstrap.log"
    # dpkg syncs every file it writes: on a tmpfs the build is bound by the CPU, not the disk
    rootfs.mkdir()
    run(["mount", "-t", "tmpfs", "-o", "mode=0755,size=2g", "pydriver-image", str(rootfs)])
    argv = ["debootstrap", f"--variant={recipe.variant}", "--components=main",
            f"--include={','.join(recipe.packages)}", recipe.suite, str(rootfs),
            recipe.mirror]
    with log.open("w", encoding="utf-8") as fh:
        try:
            done = subprocess.run(argv, stdout=fh, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise LabError(f"image build failed: debootstrap did not finish in "
                           f"{BUILD_TIMEOUT:g} s{_tail(log, rootfs)}") from exc
    if done.returncode != 0:
        raise LabError(f"image build failed: debootstrap exited {done.returncode}"
                       f"{_tail(log, rootfs)}")
    # debootstrap unmounts what it mounted on success; make sure before the tree is packed
    for point in host.mounts_under(rootfs):
        if point != str(rootfs):
            run(["umount", point])
    _customise(recipe, rootfs)
    _refresh_lists(rootfs, work / "apt-update.log")
    run(["tar", "-C", str(rootfs), "-c", "-I", "zstd -T0", "--numeric-owner",
         "--xattrs", "--xattrs-include=*", "--exclude=./dev/*", "--exclude=./proc/*",
         "--exclude=./sys/*", "--exclude=./run/*", "--exclude=./tmp/*",
         "--exclude=./debootstrap", "-f", str(work / "image.tar.zst"), "."], timeout=600)


def _customise(recipe: ImageRecipe, rootfs: Path) -> None:
    for path, text, mode in recipe.files:
        dest = rootfs / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_symlink():
            dest.unlink()
        dest.write_text(text, encoding="utf-8")
        dest.chmod(mode)
    # each clone gets its own identity: machine-id at boot, host keys from the lab
    (rootfs / "etc/machine-id").write_text("", encoding="utf-8")
    dbus_id = rootfs / "var/lib/dbus/machine-id"
    if dbus_id.is_file() and not dbus_id.is_symlink():
        dbus_id.unlink()
    for key in (rootfs / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    (rootfs / "etc/hostname").write_text("localhost\n", encoding="utf-8")
    for p in (rootfs / "var/cache/apt/archives").glob("*.deb"):
        p.unlink()
    systemctl = ["systemctl", f"--root={rootfs}", "--quiet"]
    run([*systemctl, "mask", *recipe.masked])
    run([*systemctl, "enable", *recipe.enabled])
    (rootfs / "etc/pydriver-image").write_text(
        f"{recipe.suite} {recipe.key}\n", encoding="utf-8")


def _refresh_lists(rootfs: Path, log: Path) -> None:
    """``apt-get update`` in the new tree, with the host's resolver for the time it runs."""
    resolv = rootfs / "etc/resolv.conf"
    ours = resolv.read_text(encoding="utf-8")
    resolv.write_text(Path("/etc/resolv.conf").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        with log.open("w", encoding="utf-8") as fh:
            done = subprocess.run(["chroot", str(rootfs), "apt-get", "update", "-q"],
                                  stdout=fh, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=600)
        if done.returncode != 0:
            raise LabError(f"image build failed: apt-get update exited {done.returncode}"
                           f"{_tail(log, rootfs)}")
    finally:
        resolv.write_text(ours, encoding="utf-8")
    for p in (rootfs / "var/lib/apt/lists/partial").glob("*"):
        p.unlink()


def _tail(log: Path, rootfs: Path) -> str:
    """The last lines of the build's log (and of debootstrap's own, which has dpkg's errors)."""
    parts: list[str] = []
    for path in (log, rootfs / "debootstrap/debootstrap.log"):
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        if lines:
            parts.append(f"\n--- {path.name} (last {LOG_TAIL} lines) ---\n" +
                         "\n".join(lines[-LOG_TAIL:]))
    return "".join(parts)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One build per key at a time, across processes (the second waits, then reuses)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
