"""Jinja filters for the linux_frr templates: strongSwan's spelling of proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SWAN_ENC = {"aes-256-gcm": "aes256gcm16", "aes-128-gcm": "aes128gcm16",
            "aes-256-cbc": "aes256", "aes-128-cbc": "aes128"}
SWAN_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
           19: "ecp256", 20: "ecp384", 21: "ecp521"}


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


FILTERS: dict[str, Callable[..., Any]] = {
    "swan_ike": swan_ike,
    "swan_esp": swan_esp,
}
