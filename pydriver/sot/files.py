"""Read the inventory's files as untrusted input: which files, how big, what bytes.

The source of truth arrives by pull request from many teams, so a file may be anything git
can carry: a symbolic link to ``/dev/zero``, to itself or to a file outside the checkout
(whose content must never reach an error message), a FIFO that blocks a reader forever, a
directory named ``x.yml``, gigabytes of text, UTF-16 or bytes that are not text at all.
Each of these is one located problem here, and nothing is read that is not a regular file
inside the inventory within the size limits.

File names in problems are relative to the working directory when the file lies under it
(the form an editor or ``git`` accepts from where the command was run), absolute otherwise;
never the target of a symbolic link.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydriver.errors import Location, Problem

__all__ = ["Budget", "Limits", "Listed", "decode", "display", "read_bytes", "sites_folder"]


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of anything the loader accepts (defaults fit a 30,000-site province with
    room to spare; a site file is under 1 KiB, region.yml a few KiB)."""

    file_bytes: int = 1 << 20  # one file
    total_bytes: int = 64 << 20  # all files of the inventory together
    site_files: int = 100_000
    depth: int = 32  # collections inside collections (the schema needs 7)
    nodes: int = 50_000  # values in one file, counting every alias expansion
    aliases: int = 100  # alias uses in one file
    scalar_chars: int = 64 << 10  # one value
    number_chars: int = 32  # digits of one number: ints past this are not configuration


class Budget:
    """What is left of the whole-inventory byte limit while files are read one by one."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.total_bytes
        self.exhausted = False


def display(path: Path, cwd: Path | None) -> str:
    """How problems name ``path``: relative to ``cwd`` (the folder that holds the inventory)
    when under it, else absolute.

    Relative to the inventory's parent, not the shell's working directory, so the same file
    is named the same from any directory and as it is in the repository (a pull-request
    comment says ``inventory/sites/x.yml``). The path is made absolute without resolving
    symbolic links, so a link's target (which may be outside the inventory) is never shown.
    """
    absolute = Path(os.path.abspath(path))
    if cwd is not None:
        try:
            return absolute.relative_to(cwd).as_posix()
        except ValueError:
            pass
    return absolute.as_posix()


def base_of(root: Path) -> Path | None:
    """The folder problems are named from: the one holding the inventory ``root``."""
    try:
        return Path(os.path.abspath(root)).parent
    except OSError:  # a relative root and the working directory was removed under us
        return None


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _whole(shown: str, message: str, code: str = "io") -> Problem:
    return Problem(Location(shown, 1, 1), message, code)


def _real(path: Path, root_real: str, shown: str) -> str | Problem:
    """The real path of ``path`` if it stays inside the inventory, else the problem."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _whole(shown, "symbolic link loop; the file is not read")
        return _whole(shown, "symbolic link to a file that does not exist")
    if not _inside(real, root_real):
        return _whole(shown, "symbolic link leading outside the inventory; the file is not "
                             "read (an inventory file must live in the inventory)")
    return real


def _kind(mode: int) -> str | None:
    """Why a file of this mode is not read (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a YAML file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file; not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file; not read"
    return "is not a regular file; not read"


def read_bytes(path: Path | str, root_real: str, shown: str, budget: Budget,
               folder_fd: int | None = None) -> bytes | Problem:
    """The bytes of an inventory file, or the one problem that kept it from being read.

    ``folder_fd``: the open folder the file is read from, ``path`` being its name there (a
    site file that is not a link, :func:`sites_folder`): never through a link, and
    without resolving its path again. Else ``path`` is resolved and must stay inside the
    inventory."""
    if budget.exhausted:
        return _whole(shown, "not read: the inventory is over its total size limit",
                      "limit")
    where = str(path)
    if folder_fd is None:
        found = _real(Path(path), root_real, shown)
        if isinstance(found, Problem):
            return found
        where = found
    try:
        before = os.lstat(where, dir_fd=folder_fd)
    except OSError:
        return _whole(shown, "cannot read file: it disappeared while being read")
    why = _kind(before.st_mode)
    if why:
        return _whole(shown, why)
    limit = budget.limits.file_bytes
    if before.st_size > limit:
        return _whole(shown, f"file is {before.st_size:,} bytes; the limit is {limit:,} "
                             "bytes per file", "limit")
    if before.st_size > budget.left:
        budget.exhausted = True
        return _whole(shown, f"the inventory is over {budget.limits.total_bytes:,} bytes "
                             "in total; this file and the ones after it are not read",
                      "limit")
    try:
        # O_NONBLOCK: a FIFO swapped in after the check must not block the open
        fd = os.open(where, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=folder_fd)
    except OSError as exc:
        return _whole(shown, f"cannot read file: {exc.strerror}")
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or _kind(now.st_mode):
            return _whole(shown, "cannot read file: it changed while being read")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            # sized by the file, not the limit: ``read(n)`` allocates n bytes first, and a
            # megabyte per file was most of loading a province; a file that grew since
            # is read on, up to one byte over the limit
            data = stream.read(before.st_size + 1)
            if len(data) > before.st_size:
                data += stream.read(limit + 1 - len(data))
    except OSError as exc:
        return _whole(shown, f"cannot read file: {exc.strerror}")
    finally:
        os.close(fd)
    if len(data) > limit:
        return _whole(shown, f"file is over {limit:,} bytes, the limit per file", "limit")
    budget.left -= len(data)
    return data


@dataclass(frozen=True)
class Listed:
    """A site file found: its path, how problems name it and, unless it is a symbolic
    link (resolved when read, as any other file), the open sites folder it is read from
    by name (:func:`sites_folder`)."""

    folder: Path
    name: str
    shown: str
    folder_fd: int | None

    @property
    def path(self) -> Path:
        return self.folder / self.name


def _site_file(name: str) -> bool:
    """``*.yml`` or ``*.yaml`` as :attr:`pathlib.PurePath.suffix` reads it (``..yml`` is
    one; ``.yml`` is a hidden file with no suffix), without a path object per file."""
    return any(name.endswith(ext) and len(name) > len(ext) for ext in (".yml", ".yaml"))


@contextlib.contextmanager
def sites_folder(root: Path, root_real: str, cwd: Path | None, limits: Limits
                 ) -> Iterator[tuple[list[Listed], list[Problem]]]:
    """The site files, sorted: ``sites/*.yml`` and ``*.yaml``; no sites folder is no
    sites. Their files are to be read inside the ``with``.

    The folder is opened once, checked to be the inventory's own, and its files are read
    through that descriptor by name (never through a link): a province's thousands of
    files are not resolved one by one (a system call per folder of each path), and a
    folder swapped for a link after the check is not followed either, since the
    descriptor stays on the folder that was checked. A file that is itself a link is
    resolved when read, as any other file."""
    sites = root / "sites"
    shown = display(sites, cwd)
    try:
        os.lstat(sites)
    except FileNotFoundError:
        yield [], []
        return
    except OSError as exc:
        yield [], [_whole(shown, f"cannot read the sites folder: {exc.strerror}")]
        return
    real = _real(sites, root_real, shown)
    if isinstance(real, Problem):
        yield [], [real]
        return
    try:
        fd = os.open(real, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except NotADirectoryError:
        yield [], [_whole(shown, "sites must be a folder of site files")]
        return
    except OSError as exc:
        yield [], [_whole(shown, f"cannot read the sites folder: {exc.strerror}")]
        return
    try:
        yield _listed(sites, shown, real, root_real, fd, limits)
    finally:
        os.close(fd)


def _listed(sites: Path, shown: str, real: str, root_real: str, fd: int, limits: Limits
            ) -> tuple[list[Listed], list[Problem]]:
    """The site files of the folder open as ``fd``, once it is known to be the folder at
    ``real`` inside the inventory (a folder moved in between is refused)."""
    try:
        again = os.path.realpath(real)
        now, opened = os.stat(again), os.fstat(fd)
        same = _inside(again, root_real) and \
            (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)
    except OSError:
        same = False
    if not same:
        return [], [_whole(shown, "cannot read the sites folder: it changed while being "
                                  "read")]
    names: dict[str, bool] = {}
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                if _site_file(entry.name):
                    names[entry.name] = entry.is_symlink()
                    if len(names) > limits.site_files:
                        return [], [_whole(shown, f"more than {limits.site_files:,} site "
                                                  "files; none is read", "limit")]
    except OSError as exc:
        return [], [_whole(shown, f"cannot read the sites folder: {exc.strerror}")]
    return [Listed(sites, name, f"{shown}/{name}", None if names[name] else fd)
            for name in sorted(names)], []


# What YAML 1.1 does not allow in a stream (its 'printable' set is the complement), found
# here to point at the exact line and column instead of libyaml's byte offset.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_FOREIGN_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                 (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def position(text: str, index: int, shown: str) -> Location:
    """The 1-based line and column of character ``index`` of ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Location(shown, line, column)


def decode(data: bytes, shown: str) -> str | Problem:
    """The text of a file: UTF-8, a UTF-8 byte-order mark accepted and dropped (editors on
    Windows write one), anything else a located problem."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    else:
        for bom, name in _FOREIGN_BOMS:
            if data.startswith(bom):
                return _whole(shown, f"the file is {name}; save it as UTF-8", "encoding")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        where = position(good, len(good), shown)
        return Problem(where, f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file "
                              "as UTF-8", "encoding")
    found = _UNPRINTABLE.search(text)
    if found:
        char = found.group()
        what = "a NUL byte" if char == "\0" else f"control character U+{ord(char):04X}"
        return Problem(position(text, found.start(), shown),
                       f"{what} is not allowed in a YAML file", "encoding")
    return text
