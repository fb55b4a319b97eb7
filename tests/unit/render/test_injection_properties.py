"""Property: no text from the source of truth, and no secret value, becomes a command.

Random strings go into every free-text field of the example network (names, descriptions,
providers, models, the CSIRT contact, the SNMP location and user, the banner) and into
every secret value, within what validation lets through: anything but control characters
(the banner may have line breaks). The routers are rendered, the secrets filled as a push
fills them, and the text is read back by each platform's own parser:

* RouterOS: loaded into a blank emulated RouterOS engine, every line accepted, and the
  export holds exactly the items of the plain render, with the values intended;
* IOS-XE: loaded by the emulated IOS-XE engine's parser, every line accepted, the same
  configuration tree (same commands at every level) as the plain render;
* linux_frr: frr.conf read as vtysh reads it (same lines, only descriptions differ),
  tc.sh checked by ``bash -n`` and tokenised by the shell rules (the same commands),
  nftables.conf checked by ``nft -c`` (root only) with only comments differing, and
  swanctl.conf read by the strict swanctl reader (same sections and settings, and each
  secret read back as the value).

A value IOS can only take as one word (a domain, an SNMP user, a secret) and that is not
one must be refused (the render fails, or the preflight refuses the secret): refused is
inert too. Fast set: 50 examples per platform; ``-m slow``: 400.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pydriver.deploy.apply import fill
from pydriver.errors import PlanError, RenderError
from pydriver.intent.build import build
from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.cisco_ios.engine.tree import Node
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.linux_frr import driver as frr
from pydriver.platforms.linux_frr import swanctl
from pydriver.platforms.mikrotik_routeros import script
from pydriver.platforms.mikrotik_routeros.offline import OfflineRouter
from pydriver.platforms.registry import driver
from pydriver.render.filters import LINE_BREAKING
from pydriver.render.render import RenderedConfig, render
from pydriver.sot.models import Network
from pydriver.sot.secrets import PLACEHOLDER

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"
HOSTS = {
    "mikrotik_routeros": ("hub-drc-01", "rtr-wifi-taman-udayana"),
    "cisco_ios": ("hub-pusdatin-01", "rtr-dinkes"),
    "linux_frr": ("hub-pusdatin-02", "rtr-wifi-alun-alun"),
}
FAST = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=400)

#: anything validation lets through: no control characters (nor surrogates, which no file
#: can hold); white space at either end is stripped by the models
#: the characters some parser gives a meaning come up often, the rest of Unicode too
SPECIAL = " \"'\\$;[]{}()#!?^%&|<>=@*,:/-\u2028\u2029\xa0\u3000"
_CHARS = st.one_of(st.sampled_from(SPECIAL), st.characters(blacklist_categories=("Cc", "Cs")))
TEXT = st.text(_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)
#: one IOS word: no white space, no '?'
WORD = st.text(_CHARS.filter(lambda c: not c.isspace() and c not in "?\"\u2028\u2029"),
               min_size=1, max_size=20)
BANNER = st.lists(st.text(_CHARS, max_size=40), min_size=1, max_size=4).map("\n".join) \
    .filter(str.strip)  # a banner says something (an empty one is not a banner)
ZONES = st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin",
                         "America/St_Johns", "UTC"])
SECRET = st.text(_CHARS, min_size=1, max_size=30)


@dataclass(frozen=True)
class Values:
    """One value per free-text field (the same value wherever a field repeats)."""

    site_name: str = "plain site"
    dc_name: str = "plain dc"
    model: str = "plain model"
    provider: str = "plain provider"
    zone: str = "plain zone"
    csirt: str = "plain csirt"
    email: str = "csirt@example.go.id"
    location: str = "plain location"
    snmp_user: str = "plain-user"
    domain: str = "plain.example"
    timezone: str = "Asia/Makassar"
    banner: str = "plain banner"
    secret: str = "plain-secret"


def values(word: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[Values]:
    return st.builds(Values, site_name=TEXT, dc_name=TEXT, model=TEXT, provider=TEXT,
                     zone=TEXT, csirt=TEXT, email=TEXT, location=TEXT, snmp_user=word,
                     domain=word, timezone=ZONES, banner=BANNER, secret=SECRET)


@cache
def _network() -> Network:
    return Pipeline(INVENTORY).network


def _with(net: Network, v: Values) -> Network:
    """``net`` with every free-text field set (behind validation's back: these are values
    validation lets through, and the point is what the templates make of them)."""
    region = net.region.model_copy(update={
        "domain": v.domain, "timezone": v.timezone,
        "csirt": net.region.csirt.model_copy(update={"name": v.csirt, "email": v.email})})
    base = net.baseline
    baseline = base.model_copy(update={
        "banner": v.banner,
        "snmp": base.snmp.model_copy(update={"user": v.snmp_user,
                                             "location_prefix": v.location})})
    dcs = tuple(dc.model_copy(update={"name": v.dc_name, "hubs": tuple(
        h.model_copy(update={"model": v.model}) for h in dc.hubs)}) for dc in net.datacenters)
    sites = tuple(s.model_copy(update={
        "name": v.site_name,
        "router": s.router.model_copy(update={"model": v.model}),
        "links": tuple(ln.model_copy(update={"provider": v.provider}) for ln in s.links),
        "zones": tuple(z.model_copy(update={"description": v.zone}) for z in s.zones),
    }) for s in net.sites)
    return net.model_copy(update={"region": region, "baseline": baseline,
                                  "datacenters": dcs, "sites": sites})


def _render(v: Values, platform: str) -> dict[str, RenderedConfig]:
    intents = build(_with(_network(), v), Pipeline.driver)
    return render({h: intents[h] for h in HOSTS[platform]}, Pipeline.driver)


def _fill(text: str, secret: str, embed: Callable[[str], str]) -> str:
    refs = sorted({m["ref"] for m in PLACEHOLDER.finditer(text)})
    values_ = {ref: f"{secret}{n}" for n, ref in enumerate(refs)}
    return "\n".join(fill(tuple(text.split("\n")), values_, {}, embed))


def _embeds(platform: str, secret: str) -> bool:
    """Can ``platform`` carry ``secret`` (and the numbered variants ``_fill`` makes)?"""
    try:
        driver(platform).embed_secret(secret + "0")
    except Exception:
        return False
    return True


# --------------------------------------------------------------------------- RouterOS


def _routeros_load(text: str) -> script.RosConfig:
    router = OfflineRouter("")
    router.run(text, "the rendered config")  # raises at the first line the router refuses
    return script.parse(router.export())


def _items(parsed: script.RosConfig) -> list[tuple[object, ...]]:
    return [(c.path, c.verb, c.target, tuple(sorted(k for k, _ in c.props)))
            for c in parsed.commands]


@cache
def _routeros_plain() -> dict[str, list[tuple[object, ...]]]:
    embed = driver("mikrotik_routeros").embed_secret
    return {h: _items(_routeros_load(_fill(c.main, Values.secret, embed)))
            for h, c in _render(Values(), "mikrotik_routeros").items()}


def check_routeros(v: Values) -> None:
    embed = driver("mikrotik_routeros").embed_secret
    for host, config in _render(v, "mikrotik_routeros").items():
        parsed = _routeros_load(_fill(config.main, v.secret, embed))
        assert _items(parsed) == _routeros_plain()[host], host
        (snmp,) = parsed.section(("snmp",))
        assert snmp.get("contact") == f"{v.csirt} <{v.email}>"
        assert (snmp.get("location") or "").startswith(v.location)
        (note,) = parsed.section(("system", "note"))
        assert note.get("note") == v.banner.rstrip("\n")
        identities = parsed.section(("ip", "ipsec", "identity"))
        assert identities and all((c.get("secret") or "").startswith(v.secret)
                                  for c in identities)


@pytest.mark.slow
@FAST
@given(values())
@example(Values(site_name='x" ; /user add name=evil group=full', banner="$(x)\n[/y]\n?",
                secret='abc;/user add name=evil group=full password=x'))
def test_routeros_reads_back_the_same_items(v: Values) -> None:
    if not _embeds("mikrotik_routeros", v.secret):
        assert LINE_BREAKING.search(v.secret)  # only a control-like character is refused
        v = Values(**{**v.__dict__, "secret": "plain-secret"})
    check_routeros(v)


# --------------------------------------------------------------------------- IOS-XE


def _tree(node: Node, depth: int = 0) -> list[tuple[int, object]]:
    out: list[tuple[int, object]] = []
    for child in node.children:
        out.append((depth, child.key))
        out.extend(_tree(child, depth + 1))
    return out


def _ios_tree(text: str) -> list[tuple[int, object]]:
    engine = IOSEngine("r", "ISR4451-X/K9", scheduler=NoTimers())
    result = engine.load(text)
    assert result.failed == (), result.failed
    return _tree(result.config.root)


@cache
def _ios_plain() -> dict[str, list[tuple[int, object]]]:
    embed = driver("cisco_ios").embed_secret
    return {h: _ios_tree(_fill(c.main, Values.secret, embed))
            for h, c in _render(Values(), "cisco_ios").items()}


def check_ios(v: Values) -> None:
    embed = driver("cisco_ios").embed_secret
    for host, config in _render(v, "cisco_ios").items():
        text = _fill(config.main, v.secret, embed)
        assert _ios_tree(text) == _ios_plain()[host], host


@pytest.mark.slow
@FAST
@given(values(WORD))
@example(Values(zone="?", banner="^C\n!\nEOF\n%\n^", secret="7"))  # hier_config's banner ends
def test_ios_reads_back_the_same_configuration_tree(v: Values) -> None:
    if not _embeds("cisco_ios", v.secret):
        with pytest.raises(PlanError):  # the preflight's check, as fill meets it
            _fill("key @@secret:env:X@@", v.secret, driver("cisco_ios").embed_secret)
        v = Values(**{**v.__dict__, "secret": "plain-secret"})
    check_ios(v)


@FAST
@given(st.sampled_from(["domain", "snmp_user"]),
       st.tuples(WORD, st.sampled_from([" ", "?", "\"", "\u2028", "\xa0", "\u3000"]), WORD)
       .map("".join))
def test_ios_refuses_a_word_field_that_is_not_one_word(field: str, text: str) -> None:
    with pytest.raises(RenderError, match="one word"):
        _render(Values(**{field: text}), "cisco_ios")


# --------------------------------------------------------------------------- linux_frr


_DESCRIPTION = re.compile(r"(^|\s)description\s.*$")


def _frr_lines(text: str) -> list[tuple[str, ...]]:
    """frr.conf as vtysh reads it (each line with its section), a description's text left
    out."""
    return [tuple(_DESCRIPTION.sub(r"\1description", part) for part in path)
            for path in frr.canonical(text)]


def _shell(text: str) -> list[list[str]]:
    """The commands of a shell script as the shell splits them (comments dropped)."""
    checked = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True,
                             timeout=30)
    assert checked.returncode == 0, checked.stderr
    return [words for line in text.split("\n") if (words := shlex.split(line, comments=True))]


def _nft_check(text: str) -> None:
    if shutil.which("nft") is None or os.geteuid() != 0:
        return  # the unit test of the rules below still runs; nft itself needs root
    with tempfile.NamedTemporaryFile("w", suffix=".nft") as fh:
        fh.write(text)
        fh.flush()
        r = subprocess.run(["nft", "-c", "-f", fh.name], capture_output=True, text=True,
                           timeout=30)
    assert r.returncode == 0, r.stderr


def _code(text: str) -> list[str]:
    return [line for line in text.split("\n") if not line.lstrip().startswith("#")]


def _linux(v: Values) -> dict[str, dict[str, Any]]:
    embed = driver("linux_frr").embed_secret
    out: dict[str, dict[str, Any]] = {}
    for host, config in _render(v, "linux_frr").items():
        files = dict(config.files)
        swan = swanctl.parse(_fill(files["swanctl.conf"], v.secret, embed))
        _nft_check(files["nftables.conf"])
        out[host] = {"frr": _frr_lines(files["frr.conf"]), "tc": _shell(files["tc.sh"]),
                     "nft": _code(files["nftables.conf"]), "swan": swan.shape(),
                     "secrets": [s.value("secret") for s in swan.section("secrets").sections]}
    return out


@cache
def _linux_plain() -> dict[str, dict[str, Any]]:
    return _linux(Values())


def check_linux(v: Values) -> None:
    got = _linux(v)
    for host, plain in _linux_plain().items():
        for part in ("frr", "tc", "nft", "swan"):
            assert got[host][part] == plain[part], (host, part)
        for n, stored in enumerate(got[host]["secrets"]):
            key = bytes.fromhex(stored[2:]) if stored.startswith("0x") else stored.encode()
            assert key.decode().startswith(v.secret), (host, n)


@pytest.mark.slow
@FAST
@given(values())
def test_linux_files_read_back_the_same(v: Values) -> None:
    if not _embeds("linux_frr", v.secret):
        v = Values(**{**v.__dict__, "secret": "plain-secret"})
    check_linux(v)


# --------------------------------------------------------------------------- slow


@pytest.mark.slow
@SLOW
@given(values(), values(WORD))
def test_every_platform_many_examples(v: Values, w: Values) -> None:
    if _embeds("mikrotik_routeros", v.secret):
        check_routeros(v)
    if _embeds("linux_frr", v.secret):
        check_linux(v)
    if _embeds("cisco_ios", w.secret):
        check_ios(w)
