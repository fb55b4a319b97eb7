"""Normalising a config twice gives what normalising it once gives.

What backups store must read back as itself, or a plan from backups would see a change
where there is none. Checked on configs others wrote (the public fixtures) and on every
config the example renders, for each platform."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline
from pydriver.platforms.registry import driver
from tests.conftest import EXAMPLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realworld"
PUBLIC = [("mikrotik_routeros", p) for p in sorted((FIXTURES / "routeros").glob("*.rsc"))] + \
    [("cisco_ios", p) for p in sorted((FIXTURES / "ios").glob("*.cfg"))]


@pytest.mark.parametrize(("platform", "path"), PUBLIC, ids=[p.name for _, p in PUBLIC])
def test_a_public_config_normalised_twice_is_normalised_once(platform: str, path: Path
                                                             ) -> None:
    drv = driver(platform)
    try:
        once = drv.normalise(path.read_text())
    except PydriverError:
        pytest.skip("not read by this platform's parser")
    assert once.strip()
    assert drv.normalise(once) == once


def test_every_rendered_config_normalised_twice_is_normalised_once() -> None:
    pipe = Pipeline(EXAMPLE)
    platforms = set()
    for host, config in pipe.rendered.items():
        drv = pipe.driver(pipe.intents[host].platform)
        text = config.main if len(config.files) == 1 else "".join(
            f"### pydriver file: {name}\n{body}" for name, body in config.files)
        once = drv.normalise(text)
        assert drv.normalise(once) == once, host
        platforms.add(pipe.intents[host].platform.value)
    assert platforms == {"mikrotik_routeros", "cisco_ios", "linux_frr"}


ROUTEROS = [p for platform, p in PUBLIC if platform == "mikrotik_routeros"]


def _normal_routeros_texts() -> list[tuple[str, str]]:
    """RouterOS configs in the normal form: the public fixtures', and the example's."""
    from pydriver.platforms.mikrotik_routeros.normalise import normalise

    out = []
    for path in ROUTEROS:
        try:
            out.append((path.name, normalise(path.read_text())))
        except PydriverError:
            continue
    pipe = Pipeline(EXAMPLE)
    out += [(host, normalise(config.main)) for host, config in pipe.rendered.items()
            if pipe.intents[host].platform.value == "mikrotik_routeros"]
    return out


def test_a_normal_routeros_config_reads_the_same_clean_or_not() -> None:
    """The RouterOS driver reads the running config it is given (normalised, by the
    protocol) without cleaning it again: that is only right if cleaning a normal text
    changes nothing, for configs others wrote as much as for pydriver's own."""
    from pydriver.platforms.mikrotik_routeros.script import parse
    from pydriver.platforms.mikrotik_routeros.state import sections

    texts = _normal_routeros_texts()
    assert len(texts) >= 10
    for name, text in texts:
        assert sections(parse(text), clean=False) == sections(parse(text)), name


def test_the_routeros_driver_plans_a_normal_config_as_the_full_reading_does() -> None:
    """Every public config and every example router as the running side, against each
    RouterOS router the example renders: the driver's plan (running read as normal) is
    the plan of the diff reading it clean."""
    from pydriver.platforms.mikrotik_routeros import diff

    pipe = Pipeline(EXAMPLE)
    intended = [c for h, c in pipe.rendered.items()
                if pipe.intents[h].platform.value == "mikrotik_routeros"]
    drv = driver("mikrotik_routeros")
    compared = 0
    for name, running in _normal_routeros_texts():
        for config in intended[:3]:
            assert drv.remediation(running, config) == diff.remediation(running, config), name
            compared += 1
    assert compared >= 30


@given(st.integers(0, 10**7), st.sampled_from(["s", "m", "h", "d", "w", ""]),
       st.one_of(st.integers(99_990, 99_999), st.integers(0, 99_999)))
def test_a_routeros_duration_in_its_normal_spelling_reads_back_as_itself(
        number: int, unit: str, fraction: int) -> None:
    """A duration is spelled to the millisecond, rounded as a whole (``1999.6ms`` is
    ``2s``, not ``1s1000ms``): the spelling read back spells itself."""
    from pydriver.platforms.mikrotik_routeros.schema import format_duration, parse_duration

    once = format_duration(parse_duration(f"{number}.{fraction:05d}{unit}"))
    assert format_duration(parse_duration(once)) == once
    assert "1000ms" not in once


def test_a_normal_routeros_duration_reads_the_same_clean_or_not() -> None:
    from pydriver.platforms.mikrotik_routeros.normalise import normalise
    from pydriver.platforms.mikrotik_routeros.script import parse
    from pydriver.platforms.mikrotik_routeros.state import sections

    text = normalise("/ip dns\nset cache-max-ttl=1999.6ms\n/ip dhcp-server\n"
                     "add interface=ether2 lease-time=59.9996s name=lan\n")
    assert "cache-max-ttl=2s" in text and "lease-time=1m" in text
    assert sections(parse(text), clean=False) == sections(parse(text))
