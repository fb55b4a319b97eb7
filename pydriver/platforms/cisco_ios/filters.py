"""Jinja filters for IOS-XE templates: IOS's spelling of crypto proposals, its time zones,
and the line rules every value written into an IOS configuration must follow.

IOS reads a configuration one line at a time and a value has no quoting: a newline in a
value starts a new command, a space ends a word, and ``?`` typed at the console asks for
help instead of being stored. So free text that IOS takes as the rest of the line
(descriptions, SNMP location) is made one line of at most what IOS keeps, and a value IOS
takes as one word (names, keys) is refused unless it is one.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from pydriver.platforms.cisco_ios import banner
from pydriver.render.filters import LINE_BREAKING

IOS_ENC = {"aes-256-gcm": "aes-gcm-256", "aes-128-gcm": "aes-gcm-128",
           "aes-256-cbc": "aes-cbc-256", "aes-128-cbc": "aes-cbc-128"}
IOS_ESP = {"aes-256-gcm": "esp-gcm 256", "aes-128-gcm": "esp-gcm 128",
           "aes-256-cbc": "esp-aes 256", "aes-128-cbc": "esp-aes 128"}
IOS_ESP_INTEG = {"sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
                 "sha512": "esp-sha512-hmac"}
#: Indonesia's zones by their own names (WIB/WITA/WIT), which no tz database abbreviates
INDONESIA = {"Asia/Jakarta": ("WIB", 7), "Asia/Pontianak": ("WIB", 7),
             "Asia/Makassar": ("WITA", 8), "Asia/Jayapura": ("WIT", 9)}
_ZONE_NAME = re.compile(r"[A-Za-z]{3,6}")


def ios_ike_enc(algs: Iterable[str]) -> str:
    return " ".join(IOS_ENC[a] for a in algs)


def ios_transform(enc: str, integrity: Iterable[str]) -> str:
    if enc.endswith("-gcm"):
        return IOS_ESP[enc]
    return f"{IOS_ESP[enc]} {IOS_ESP_INTEG[next(iter(integrity))]}"


def ios_line(value: object, limit: int = 240) -> str:
    """Free text IOS takes as the rest of the line: one line, white space collapsed as IOS
    and hier_config read it, no ``?`` (the console would ask for help and drop it), cut to
    ``limit`` bytes (IOS would cut it there itself, and the next plan would see a change);
    ``-`` when nothing is left."""
    text = " ".join(LINE_BREAKING.sub(" ", str(value)).replace("?", "").split())
    data = text.encode()
    text = data[:limit].decode(errors="ignore").rstrip() if len(data) > limit else text
    return text or "-"  # the command needs its text: a line left without it is refused


def ios_word(value: object) -> str:
    """A value IOS takes as one word (a name, a key, an interface): refused unless it is
    one, since IOS has no quoting to make it one."""
    text = str(value)
    if not text or text.split() != [text] or LINE_BREAKING.search(text) or "?" in text \
            or '"' in text:
        raise ValueError(f"{text!r} cannot be written in an IOS configuration: it must be "
                         "one word, without white space, control characters, '?' or '\"' "
                         "(IOS reads a quote as the start of a quoted string)")
    return text


def ios_banner(lines: Iterable[str]) -> str:
    """The banner as IOS takes it: ``banner login D`` + text + ``D``, where the delimiter
    ``D`` is a character the text does not contain (so no line of it can end the banner
    early and be read as a command). Its lines keep their spacing: IOS stores banner text
    as typed."""
    text = "\n".join(banner.safe_text(LINE_BREAKING.sub(" ", line)) for line in lines)
    return banner.command("login", f"\n{text}\n")


def ios_clock(zone: str) -> str:
    """``clock timezone`` arguments (name, hours, minutes) for an IANA zone: Indonesia's
    zones by their own names, any other by its standard-time abbreviation (or UTC+h) and
    offset (daylight saving is IOS's separate ``clock summer-time``)."""
    if zone in INDONESIA:
        name, hours = INDONESIA[zone]
        return f"{name} {hours} 0"
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"time zone {zone!r} is not an IANA time zone") from exc
    # the offset of a day without daylight saving: January or July, whichever has none
    when = next((d for d in (dt.datetime(2025, 1, 15, 12, tzinfo=tz),
                             dt.datetime(2025, 7, 15, 12, tzinfo=tz)) if not d.dst()),
                dt.datetime(2025, 1, 15, 12, tzinfo=tz))
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(minutes), 60)
    abbreviation = when.tzname() or ""
    name = abbreviation if _ZONE_NAME.fullmatch(abbreviation) else \
        f"UTC{'-' if sign else '+'}{hours}" if minutes else "UTC"
    return f"{name} {sign}{hours} {mins}"


#: IOS's names of the DSCP values pydriver classifies on (it prints these, not numbers)
_DSCP_NAMES = {46: "ef", 34: "af41"}


def ios_dscp(value: int) -> str:
    """A DSCP value as IOS writes it in a class-map."""
    return _DSCP_NAMES.get(value, str(int(value)))


FILTERS: dict[str, Callable[..., Any]] = {
    "ios_dscp": ios_dscp,
    "ios_ike_enc": ios_ike_enc,
    "ios_transform": ios_transform,
    "ios_line": ios_line,
    "ios_word": ios_word,
    "ios_banner": ios_banner,
    "ios_clock": ios_clock,
}
