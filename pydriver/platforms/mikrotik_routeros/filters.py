"""Jinja filters for RouterOS templates: quoting and RouterOS's spelling of crypto values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydriver.platforms.mikrotik_routeros import schema
from pydriver.sot.secrets import PLACEHOLDER

ROS_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
          19: "ecp256", 20: "ecp384", 21: "ecp521"}


def ros(value: object) -> str:
    """A RouterOS property value, quoted and escaped when the console needs it (exactly as
    ``/export`` prints it, so what is rendered is what is read back)."""
    text = str(value)
    # a secret's placeholder stands bare for the whole value (``embed_secret`` writes the
    # value as one quoted token at push time), so it must read as one bare word itself
    if text.startswith("@@secret:") and PLACEHOLDER.fullmatch(text) and \
            not schema.PLACEHOLDER_VALUE.fullmatch(text):
        raise ValueError(f"secret reference {text[9:-2]!r} cannot stand in a RouterOS "
                         "script (it must be one word of letters, digits and "
                         "'_.:/,*+!<>#=-')")
    return schema.quote(text)


def ros_comment(key: str) -> str:
    """The ownership tag of an item (``pydriver:<key>``), quoted as any other value."""
    return ros(f"pydriver:{key}")


def ros_duration(seconds: int) -> str:
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def ros_ike_enc(algs: Iterable[str]) -> str:
    """RouterOS IKE profiles know AES-CBC only (no GCM for IKE)."""
    names = [a.removesuffix("-cbc") for a in algs if a.endswith("-cbc")]
    if not names:
        raise ValueError("RouterOS IKE profiles need an AES-CBC ike_encryption")
    return ",".join(names)


def ros_dh(groups: Iterable[int]) -> str:
    return ",".join(ROS_DH[g] for g in groups)


FILTERS: dict[str, Callable[..., Any]] = {
    "ros": ros,
    "ros_comment": ros_comment,
    "ros_duration": ros_duration,
    "ros_ike_enc": ros_ike_enc,
    "ros_dh": ros_dh,
}
