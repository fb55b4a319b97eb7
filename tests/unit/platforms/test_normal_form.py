"""Normalising a config twice gives what normalising it once gives.

What backups store must read back as itself, or a plan from backups would see a change
where there is none. Checked on configs others wrote (the public fixtures) and on every
config the example renders, for each platform."""

from __future__ import annotations

from pathlib import Path

import pytest

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
