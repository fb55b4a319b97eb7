"""Secret values at push: each platform writes a value where its placeholder stands, quoted
and escaped as that place parses it (``embed_secret``), and a value a platform cannot carry
is refused by the preflight, naming the reference, before any router is touched.

Every check runs the filled text through the platform's own parser: the emulated RouterOS
engine, the emulated IOS-XE engine, and the strict swanctl reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydriver.deploy.apply import fill, payload, require_secrets
from pydriver.errors import ApplyError, PlanError, SecretError
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.linux_frr import swanctl
from pydriver.platforms.mikrotik_routeros import script
from pydriver.platforms.mikrotik_routeros.offline import OfflineRouter
from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import scrub
from pydriver.render.render import RenderedConfig
from pydriver.sot.secrets import PLACEHOLDER

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"
INJECTION = "abc;/user add name=evil group=full password=x"
#: values every platform must carry exactly as they are
ORDINARY = ("pa$$w0rd$(id)", "back\\slash\\", "sq'uote'", "0xdeadbeef", "0sQUJD",
            "$x\\$y\\\\")
SPACED = (INJECTION, 'dq"uote" and $HOME', "a b  c ", "[/system reboot]", "x\\\"; y")


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    return Pipeline(INVENTORY).rendered


def _refs(text: str) -> list[str]:
    return sorted({m["ref"] for m in PLACEHOLDER.finditer(text)})


def _values(text: str, value: str) -> dict[str, str]:
    """A distinct value per reference, each ``value`` with a number after it."""
    return {ref: f"{value}{n}" for n, ref in enumerate(_refs(text))}


# --------------------------------------------------------------------------- RouterOS


def _routeros(text: str, values: dict[str, str]) -> script.RosConfig:
    filled = fill(tuple(text.split("\n")), values, {}, driver("mikrotik_routeros").embed_secret)
    router = OfflineRouter("")
    router.run("\n".join(filled), "the rendered config")
    return script.parse(router.export())


@pytest.mark.parametrize("value", [*ORDINARY, *SPACED])
def test_routeros_secret_is_one_value_whatever_it_holds(
        rendered: dict[str, RenderedConfig], value: str) -> None:
    text = rendered["rtr-bpbd"].main
    plain = _routeros(text, _values(text, "plain"))
    values = _values(text, value)
    got = _routeros(text, values)
    assert len(got.commands) == len(plain.commands)
    assert [c.path for c in got.commands] == [c.path for c in plain.commands]
    assert {c.get("name") for c in got.section(("user",))} == {"lalu.ahmad", "baiq.nurul"}
    identity = got.section(("ip", "ipsec", "identity"))
    assert {c.get("secret") for c in identity} == {values["env:JIP_PSK_BPBD"]}
    (radius,) = got.section(("radius",))
    assert radius.get("secret") == values["env:JIP_RADIUS_SECRET"]
    community = next(c for c in got.section(("snmp", "community")) if c.verb == "add")
    assert community.get("authentication-password") == values["env:JIP_SNMP_AUTH"]
    assert community.get("encryption-password") == values["env:JIP_SNMP_PRIV"]


def test_routeros_without_embedding_the_payload_would_have_run(
        rendered: dict[str, RenderedConfig]) -> None:
    """The check above can fail: pasted raw, the value becomes a second command."""
    text = rendered["rtr-bpbd"].main
    raw = fill(tuple(text.split("\n")), _values(text, INJECTION), {}, lambda v: v)
    router = OfflineRouter("")
    with pytest.raises(PlanError, match="user with the same name already exists"):
        router.run("\n".join(raw), "the rendered config")  # the first evil user was added


# --------------------------------------------------------------------------- IOS


def _ios(text: str, values: dict[str, str]) -> tuple[list[str], str]:
    filled = "\n".join(fill(tuple(text.split("\n")), values, {},
                            driver("cisco_ios").embed_secret))
    engine = IOSEngine("r", "ISR4331/K9", scheduler=NoTimers())
    result = engine.load(filled)
    session = engine.open_session("admin")
    for line in ("enable", engine.enable_secret, "terminal length 0"):
        session.handle(line)
    engine.replace_running(result.config)
    return list(result.failed), session.handle("show running-config")


@pytest.mark.parametrize("value", ORDINARY)
def test_ios_secret_is_one_word_and_reads_back_exactly(
        rendered: dict[str, RenderedConfig], value: str) -> None:
    text = rendered["rtr-dinkes"].main
    values = _values(text, value)
    failed, running = _ios(text, values)
    assert failed == []
    shown = scrub(running, values, "cisco_ios")
    for ref in ("env:JIP_PSK_DINKES", "env:JIP_RADIUS_SECRET"):
        assert f"@@secret:{ref}@@" in shown, ref
    assert not re.search(r"^username (?!lalu\.ahmad |baiq\.nurul )", running, re.M)


@pytest.mark.parametrize("value", [*SPACED, "line\nbreak", "why?", "7", "local", "n\u00e9"])
def test_ios_refuses_a_secret_it_cannot_carry(value: str) -> None:
    with pytest.raises(SecretError):
        driver("cisco_ios").embed_secret(value)


# --------------------------------------------------------------------------- linux_frr


@pytest.mark.parametrize("value", [*ORDINARY, *SPACED, "}\nsecrets { x = y", "# not a comment"])
def test_swanctl_secret_is_one_string_strongswan_reads_back(
        rendered: dict[str, RenderedConfig], value: str) -> None:
    text = rendered["hub-pusdatin-02"].file("swanctl.conf")
    plain = swanctl.parse("\n".join(fill(tuple(text.split("\n")), _values(text, "plain"), {},
                                         driver("linux_frr").embed_secret)))
    if "\n" in value:
        with pytest.raises(PlanError, match="control character"):
            fill(tuple(text.split("\n")), _values(text, value), {},
                 driver("linux_frr").embed_secret)
        return
    values = _values(text, value)
    got = swanctl.parse("\n".join(fill(tuple(text.split("\n")), values, {},
                                       driver("linux_frr").embed_secret)))
    assert got.shape() == plain.shape()
    secrets = got.section("secrets")
    for site, ref in (("pkm-tanjung", "env:JIP_PSK_PKM_TANJUNG"),
                      ("wifi-alun-alun", "env:JIP_PSK_WIFI_ALUN_ALUN")):
        stored = secrets.section(f"ike-jip-{site}-0").value("secret")
        assert stored is not None
        # strongSwan reads 0x... as hex: the key is the same bytes either way
        key = bytes.fromhex(stored[2:]) if stored[:2] == "0x" else stored.encode()
        assert key == values[ref].encode()


# --------------------------------------------------------------------------- preflight


@pytest.fixture(scope="module")
def plan() -> Plan:
    pipe = Pipeline(INVENTORY)
    hosts = {"rtr-bpbd", "rtr-dinkes", "rtr-pkm-tanjung"}
    return pipe.plan(dict.fromkeys(hosts, ""), "backups", hosts=hosts)


def _all_refs(plan: Plan) -> set[str]:
    return {m["ref"] for r in plan.changes
            for text in (*r.commands, *r.rollback, *(t for _, t in r.files))
            for m in PLACEHOLDER.finditer(text)}


def test_preflight_names_the_reference_a_platform_cannot_carry(plan: Plan) -> None:
    values = dict.fromkeys(_all_refs(plan), "ordinary-value")
    require_secrets(plan, values, None)  # every platform carries an ordinary value
    values["env:JIP_PSK_DINKES"] = INJECTION  # spaces: not one IOS word
    values["env:JIP_PSK_BPBD"] = "two\nlines"
    with pytest.raises(ApplyError) as caught:
        require_secrets(plan, values, None)
    message = str(caught.value)
    assert "env:JIP_PSK_DINKES on cisco_ios" in message
    assert "env:JIP_PSK_BPBD on mikrotik_routeros" in message
    assert "no router was touched" in message
    assert INJECTION not in message and "two\nlines" not in message  # never the value
    # routers left out of the run are not its business
    require_secrets(plan, {**values, "env:JIP_PSK_BPBD": "fine"}, {"rtr-pkm-tanjung"})


def test_payload_writes_each_platforms_form(plan: Plan) -> None:
    values = dict.fromkeys(_all_refs(plan), 'q"v $x')
    bpbd = payload(plan.router("rtr-bpbd"), values, {}, driver("mikrotik_routeros").embed_secret)
    assert any('secret="q\\"v \\$x"' in c for c in bpbd.commands)
    tanjung = payload(plan.router("rtr-pkm-tanjung"), values, {},
                      driver("linux_frr").embed_secret)
    swan = dict(tanjung.files)["swanctl.conf"]
    assert 'secret = "q\\"v $x"' in swan


def test_a_vault_reference_stands_bare_in_routeros_commands(inv: Path) -> None:
    """A placeholder is one bare token wherever RouterOS text holds it (``#`` and all), so
    the value written in its place at push is one token too."""
    region = inv / "region.yml"
    region.write_text(region.read_text().replace("secret: env:JIP_ADMIN_LALU_AHMAD",
                                                 "secret: vault:v.yml#lalu"))
    plan = Pipeline(inv).plan({"rtr-bpbd": ""}, "backups", hosts={"rtr-bpbd"})
    commands = plan.router("rtr-bpbd").commands
    assert any(c.endswith(" password=@@secret:vault:v.yml#lalu@@") for c in commands)
    values = dict.fromkeys(_all_refs(plan), 'a "b" $c#d')
    sent = payload(plan.router("rtr-bpbd"), values, {}, driver("mikrotik_routeros").embed_secret)
    router = OfflineRouter("")
    router.run("\n".join(sent.commands), "the plan")
    assert {c.get("name") for c in script.parse(router.export()).section(("user",))} == \
        {"lalu.ahmad", "baiq.nurul"}
