"""SFTP (and SCP, which asyncssh serves through the same object) into a device's file store.

RouterOS pushes are a file upload followed by ``/import file-name=...``, so uploads must land
in the engine, not on the host's disk. The store is flat, as on a small router: directories
are ignored and a path names a file by its last components joined with "/" (``flash/x.rsc``
stays ``flash/x.rsc``; a leading "/" is dropped).

Engines opt in with ``write_file(name, text)`` and ``read_file(name) -> str | None``;
``remove_file(name)`` and ``list_files() -> list[str]`` are used when present.
"""

from __future__ import annotations

import posixpath
import stat
import time
from typing import Any, Protocol, runtime_checkable

import asyncssh


@runtime_checkable
class FileStore(Protocol):
    """What an engine provides to accept uploads."""

    def write_file(self, name: str, text: str) -> object: ...

    def read_file(self, name: str) -> str | None: ...


def store_name(path: bytes | str) -> str:
    """The file-store key for an SFTP/SCP path (see module docstring)."""
    text = path.decode("utf-8", "replace") if isinstance(path, bytes) else path
    text = posixpath.normpath("/" + text).lstrip("/")
    return "" if text == "." else text


def _names(engine: object) -> list[str]:
    lister = getattr(engine, "list_files", None)
    if callable(lister):
        return [str(n) for n in lister()]
    for attr in ("files", "bootflash"):
        found = getattr(engine, attr, None)
        if isinstance(found, dict):
            return [str(n) for n in found]
    return []


class _OpenFile:
    """An upload or download in progress; uploads are committed on close."""

    def __init__(self, name: str, data: bytearray, writing: bool) -> None:
        self.name = name
        self.data = data
        self.writing = writing


def _no_such_file(name: str) -> asyncssh.SFTPNoSuchFile:
    return asyncssh.SFTPNoSuchFile(f"no such file: {name}")


class DeviceSFTPServer(asyncssh.SFTPServer):
    """An SFTP server whose file system is one engine's file store."""

    def __init__(self, chan: asyncssh.SSHServerChannel[Any], engine: object) -> None:
        super().__init__(chan)
        if not isinstance(engine, FileStore):
            raise asyncssh.SFTPOpUnsupported("this device has no file store")
        # a router may serve SCP only when configured to (IOS: ip scp server enable); the
        # refusal is per file, so the client sees an SCP error and its session stays up
        serves_scp = getattr(engine, "serves_scp", None)
        command = chan.get_command() or ""
        self._refused = command.startswith("scp ") and callable(serves_scp) and \
            not serves_scp()
        self._engine: FileStore = engine

    def _read(self, name: str) -> str | None:
        return self._engine.read_file(name)

    def _attrs(self, name: str) -> asyncssh.SFTPAttrs:
        now = int(time.time())
        if name == "":
            return asyncssh.SFTPAttrs(
                type=asyncssh.FILEXFER_TYPE_DIRECTORY,
                permissions=stat.S_IFDIR | 0o755,
                size=0,
                uid=0,
                gid=0,
                atime=now,
                mtime=now,
            )
        text = self._read(name)
        if text is None:
            raise _no_such_file(name)
        return asyncssh.SFTPAttrs(
            type=asyncssh.FILEXFER_TYPE_REGULAR,
            permissions=stat.S_IFREG | 0o644,
            size=len(text.encode()),
            uid=0,
            gid=0,
            atime=now,
            mtime=now,
        )

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
        if self._refused:
            raise asyncssh.SFTPPermissionDenied("the SCP server is not enabled")
        name = store_name(path)
        if not name:
            raise asyncssh.SFTPFailure("is a directory")
        writing = bool(pflags & asyncssh.FXF_WRITE)
        existing = self._read(name)
        if writing:
            keep = existing is not None and not pflags & asyncssh.FXF_TRUNC
            data = bytearray(existing.encode() if keep and existing is not None else b"")
            return _OpenFile(name, data, writing=True)
        if existing is None:
            raise _no_such_file(name)
        return _OpenFile(name, bytearray(existing.encode()), writing=False)

    def read(self, file_obj: object, offset: int, size: int) -> bytes:
        assert isinstance(file_obj, _OpenFile)
        return bytes(file_obj.data[offset : offset + size])

    def write(self, file_obj: object, offset: int, data: bytes) -> int:
        assert isinstance(file_obj, _OpenFile)
        buf = file_obj.data
        if offset > len(buf):
            buf.extend(b"\0" * (offset - len(buf)))
        buf[offset : offset + len(data)] = data
        return len(data)

    def close(self, file_obj: object) -> None:
        assert isinstance(file_obj, _OpenFile)
        if file_obj.writing:
            self._engine.write_file(file_obj.name, file_obj.data.decode("utf-8", "replace"))

    def stat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(store_name(path))

    def lstat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._attrs(store_name(path))

    def fstat(self, file_obj: object) -> asyncssh.SFTPAttrs:
        assert isinstance(file_obj, _OpenFile)
        attrs = self._attrs("")
        attrs.type = asyncssh.FILEXFER_TYPE_REGULAR
        attrs.permissions = stat.S_IFREG | 0o644
        attrs.size = len(file_obj.data)
        return attrs

    def setstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        return None

    def fsetstat(self, file_obj: object, attrs: asyncssh.SFTPAttrs) -> None:
        return None

    def listdir(self, path: bytes) -> list[bytes]:
        return [b".", b"..", *(n.encode() for n in sorted(_names(self._engine)))]

    def remove(self, path: bytes) -> None:
        name = store_name(path)
        remover = getattr(self._engine, "remove_file", None)
        if self._read(name) is None or not callable(remover):
            raise _no_such_file(name)
        remover(name)

    def realpath(self, path: bytes) -> bytes:
        return ("/" + store_name(path)).encode()

    def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        return None  # a flat store: directories exist implicitly
