"""pydriver's stages one by one, as the benchmarks time them: the pipeline's own calls,
with the registered platforms handed in as the pipeline hands them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from pydriver.intent.build import build
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.registry import driver
from pydriver.render.environment import environment
from pydriver.render.render import RenderedConfig, render_one
from pydriver.sot.loader import Source, load
from pydriver.sot.models import Network, Platform
from pydriver.sot.validate import validate

__all__ = ["build_intents", "env", "files_of", "load", "render_router", "validated"]


def validated(source: Source) -> Network:
    return validate(source, driver)


def build_intents(net: Network) -> dict[str, DeviceIntent]:
    return build(net, driver)


@cache
def env() -> jinja2.Environment:
    return environment(tuple(driver(p) for p in Platform))


def render_router(intent: DeviceIntent) -> RenderedConfig:
    return render_one(intent, driver(intent.platform), env())


def files_of(intent: DeviceIntent) -> list[tuple[str, str]]:
    """(file name, template name) of a router, as render picks them."""
    drv = driver(intent.platform)
    return [(name, f"{drv.name}/{pattern.format(role=intent.role)}")
            for name, pattern in drv.files]


def network(inventory: Path) -> Network:
    return validated(load(inventory))
