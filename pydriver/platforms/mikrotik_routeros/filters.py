"""Jinja filters for RouterOS templates: quoting and RouterOS's spelling of crypto values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_ROS_SAFE = re.compile(r"^[A-Za-z0-9_.:/,@*+!<>-]+$")

ROS_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
          19: "ecp256", 20: "ecp384", 21: "ecp521"}


def ros(value: object) -> str:
    """A RouterOS property value, quoted and escaped when the console needs it."""
    text = str(value)
    if text and _ROS_SAFE.fullmatch(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    escaped = escaped.replace("\n", "\\n")
    return f'"{escaped}"'


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
    "ros_duration": ros_duration,
    "ros_ike_enc": ros_ike_enc,
    "ros_dh": ros_dh,
}
