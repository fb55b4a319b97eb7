"""The RouterOS API's transport: length-prefixed words over TCP, one listener per device.

A word's length comes first in 1-5 bytes (the shorter the length, the fewer bytes; see
the RouterOS API manual), a sentence is words ended by an empty word. The listener only
frames sentences: what they mean is the device's own API session (``engine.api_session``),
and whether the service answers at all is the device's ``/ip service`` setting, checked on
every connection as a router checks it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

_log = logging.getLogger(__name__)


class ApiSession(Protocol):
    closed: bool

    def handle(self, sentence: list[str]) -> list[list[str]]: ...


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


async def read_length(reader: asyncio.StreamReader) -> int:
    first = (await reader.readexactly(1))[0]
    if first < 0x80:
        return first
    if first < 0xC0:
        return ((first & 0x3F) << 8) | (await reader.readexactly(1))[0]
    if first < 0xE0:
        return ((first & 0x1F) << 16) | int.from_bytes(await reader.readexactly(2), "big")
    if first < 0xF0:
        return ((first & 0x0F) << 24) | int.from_bytes(await reader.readexactly(3), "big")
    return int.from_bytes(await reader.readexactly(4), "big")


async def read_sentence(reader: asyncio.StreamReader) -> list[str]:
    words: list[str] = []
    while True:
        length = await read_length(reader)
        if length == 0:
            return words
        words.append((await reader.readexactly(length)).decode("utf-8", "replace"))


def encode_sentence(words: list[str]) -> bytes:
    out = bytearray()
    for word in words:
        raw = word.encode("utf-8")
        out += encode_length(len(raw)) + raw
    return bytes(out) + b"\x00"


async def serve(engine: Any, check_login: Any, reader: asyncio.StreamReader,
                writer: asyncio.StreamWriter) -> None:
    """One API connection, refused at once when the device's API service is off."""
    peer = writer.get_extra_info("peername")
    address = str(peer[0]) if peer else ""
    try:
        if not engine.service_open("api", address):
            return
        session: ApiSession = engine.api_session(check_login)
        while not session.closed:
            sentence = await read_sentence(reader)
            try:
                replies = session.handle(sentence)
            except Exception:  # an engine bug must not take the emulator down
                _log.exception("%s: API request failed: %r", engine.name, sentence)
                replies = [["!trap", "=message=internal error"], ["!done"]]
            for reply in replies:
                writer.write(encode_sentence(reply))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()
