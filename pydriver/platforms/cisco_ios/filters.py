"""Jinja filters for IOS-XE templates: IOS's spelling of crypto proposals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

IOS_ENC = {"aes-256-gcm": "aes-gcm-256", "aes-128-gcm": "aes-gcm-128",
           "aes-256-cbc": "aes-cbc-256", "aes-128-cbc": "aes-cbc-128"}
IOS_ESP = {"aes-256-gcm": "esp-gcm 256", "aes-128-gcm": "esp-gcm 128",
           "aes-256-cbc": "esp-aes 256", "aes-128-cbc": "esp-aes 128"}
IOS_ESP_INTEG = {"sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
                 "sha512": "esp-sha512-hmac"}


def ios_ike_enc(algs: Iterable[str]) -> str:
    return " ".join(IOS_ENC[a] for a in algs)


def ios_transform(enc: str, integrity: Iterable[str]) -> str:
    if enc.endswith("-gcm"):
        return IOS_ESP[enc]
    return f"{IOS_ESP[enc]} {IOS_ESP_INTEG[next(iter(integrity))]}"


FILTERS: dict[str, Callable[..., Any]] = {
    "ios_ike_enc": ios_ike_enc,
    "ios_transform": ios_transform,
}
