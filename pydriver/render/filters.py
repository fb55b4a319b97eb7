"""Jinja filters: the per-platform spelling of neutral values.

Crypto names, durations and masks differ by platform; mapping them here (in tested Python)
keeps the templates free of lookup tables and lets one crypto profile render identically
meaningful proposals on RouterOS, IOS-XE and strongSwan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from ipaddress import IPv4Interface, IPv4Network
from typing import Any

_ROS_SAFE = re.compile(r"^[A-Za-z0-9_.:/,@*+!<>-]+$")

ROS_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
          19: "ecp256", 20: "ecp384", 21: "ecp521"}
IOS_ENC = {"aes-256-gcm": "aes-gcm-256", "aes-128-gcm": "aes-gcm-128",
           "aes-256-cbc": "aes-cbc-256", "aes-128-cbc": "aes-cbc-128"}
IOS_ESP = {"aes-256-gcm": "esp-gcm 256", "aes-128-gcm": "esp-gcm 128",
           "aes-256-cbc": "esp-aes 256", "aes-128-cbc": "esp-aes 128"}
IOS_ESP_INTEG = {"sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
                 "sha512": "esp-sha512-hmac"}
SWAN_ENC = {"aes-256-gcm": "aes256gcm16", "aes-128-gcm": "aes128gcm16",
            "aes-256-cbc": "aes256", "aes-128-cbc": "aes128"}
SWAN_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
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


def ios_ike_enc(algs: Iterable[str]) -> str:
    return " ".join(IOS_ENC[a] for a in algs)


def ios_transform(enc: str, integrity: Iterable[str]) -> str:
    if enc.endswith("-gcm"):
        return IOS_ESP[enc]
    return f"{IOS_ESP[enc]} {IOS_ESP_INTEG[next(iter(integrity))]}"


def swan_ike(profile: Any) -> str:
    """strongSwan IKE proposal: every cipher x integrity x group in one proposal."""
    enc = [SWAN_ENC[a] for a in profile.ike_encryption]
    integ = list(profile.ike_integrity)
    prf = [f"prf{a}" for a in profile.ike_integrity]
    dh = [SWAN_DH[g] for g in profile.dh_groups]
    return "-".join([*enc, *integ, *prf, *dh])


def swan_esp(profile: Any) -> str:
    """strongSwan ESP proposals, GCM and CBC kept apart, each with the PFS groups."""
    dh = [SWAN_DH[g] for g in profile.dh_groups] if profile.pfs else []
    out = []
    gcm = [SWAN_ENC[a] for a in profile.esp_encryption if a.endswith("-gcm")]
    cbc = [SWAN_ENC[a] for a in profile.esp_encryption if a.endswith("-cbc")]
    if gcm:
        out.append("-".join([*gcm, *dh]))
    if cbc:
        out.append("-".join([*cbc, *profile.esp_integrity, *dh]))
    return ",".join(out)


def mask(value: IPv4Interface | IPv4Network) -> str:
    """IOS 'address mask' form."""
    if isinstance(value, IPv4Interface):
        return f"{value.ip} {value.netmask}"
    return f"{value.network_address} {value.netmask}"


def wildcard(value: IPv4Network) -> str:
    return f"{value.network_address} {value.hostmask}"


def bps(mbps: int) -> int:
    return mbps * 1_000_000


FILTERS: dict[str, Callable[..., Any]] = {
    "ros": ros,
    "ros_duration": ros_duration,
    "ros_ike_enc": ros_ike_enc,
    "ros_dh": ros_dh,
    "ios_ike_enc": ios_ike_enc,
    "ios_transform": ios_transform,
    "swan_ike": swan_ike,
    "swan_esp": swan_esp,
    "mask": mask,
    "wildcard": wildcard,
    "bps": bps,
}
