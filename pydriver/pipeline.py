"""The pure stages chained: inventory directory -> Network -> intents -> rendered configs.

Commands and the Nornir inventory plugin all start here, so each of them sees exactly the
same validated network and the same derived intent.
"""

from __future__ import annotations

from pathlib import Path

from pydriver.intent.build import build

__all__ = ["DEFAULT_INVENTORY", "build", "intents", "network", "render", "rendered"]
from pydriver.intent.model import DeviceIntent
from pydriver.render.render import RenderedConfig, render
from pydriver.sot.loader import load
from pydriver.sot.models import Network
from pydriver.sot.validate import validate

DEFAULT_INVENTORY = Path("inventory")


def network(inventory: Path = DEFAULT_INVENTORY, require_secrets: bool = False) -> Network:
    return validate(load(inventory), require_secrets=require_secrets)


def intents(inventory: Path = DEFAULT_INVENTORY) -> dict[str, DeviceIntent]:
    return build(network(inventory))


def rendered(inventory: Path = DEFAULT_INVENTORY) -> dict[str, RenderedConfig]:
    return render(intents(inventory))
