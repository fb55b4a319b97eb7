"""IOS-XE remediation and rollback driven through the emulated router's own command
interpreter (no socket): every rendered line must be accepted, a second remediation must be
empty, and the rollback must give the factory config back exactly."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import driver as ios
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.scrub import scrub
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import Platform
from pydriver.sot.secrets import PLACEHOLDER


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    return Pipeline(Path(__file__).resolve().parents[3] / "inventory").rendered


def _secrets(config: RenderedConfig) -> dict[str, str]:
    refs = {m["ref"] for m in PLACEHOLDER.finditer(config.main)}
    return {ref: f"value-{n}-{ref[-6:].lower()}" for n, ref in enumerate(sorted(refs))}


def _console(engine: IOSEngine) -> Callable[[str], str]:
    session = engine.open_session("admin")
    session.handle("enable")
    session.handle(engine.enable_secret)
    session.handle("terminal length 0")
    return session.handle


def _push(run: Callable[[str], str], commands: tuple[str, ...],
          secrets: dict[str, str]) -> list[str]:
    errors = []
    run("configure terminal")
    for cmd in commands:
        text = PLACEHOLDER.sub(lambda m: secrets[m["ref"]], cmd)
        for line in text.split("\n"):
            out = run(line)
            if re.search(r"^% ", out, re.M):
                errors.append(f"{line!r}: {out.strip()}")
    run("end")
    return errors


@pytest.mark.parametrize(("host", "model"), [("rtr-dinkes", "ISR4331/K9"),
                                             ("hub-pusdatin-01", "ISR4451-X/K9")])
def test_round_trip_on_the_emulated_router(rendered: dict[str, RenderedConfig], host: str,
                                           model: str) -> None:
    intended = rendered[host]
    secrets = _secrets(intended)
    engine = IOSEngine(host, model, scheduler=NoTimers())
    run = _console(engine)
    factory = scrub(run("show running-config"), secrets, Platform.CISCO_IOS)
    rem = ios.remediation(factory, intended)
    assert _push(run, rem.commands, secrets) == []
    after = scrub(run("show running-config"), secrets, Platform.CISCO_IOS)
    assert ios.remediation(after, intended).empty, ios.remediation(after, intended).commands
    assert _push(run, rem.rollback, secrets) == []
    back = scrub(run("show running-config"), secrets, Platform.CISCO_IOS)
    assert ios.normalise(back) == ios.normalise(factory)
