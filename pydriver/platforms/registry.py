"""Platforms registered by name, found by entry point (group ``pydriver.platforms``).

The rest of pydriver asks here and never imports a driver, so a fourth platform is a new
folder and one entry point, not edits across the stages. Nornir finds its plugins the same
way. An unknown name is an error, never a fallback to some other platform: a router
configured in the wrong language is worse than one not configured at all.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from pydriver.codebase import PLATFORM_GROUP
from pydriver.errors import PlatformError
from pydriver.platforms.base import PlatformDriver

GROUP = PLATFORM_GROUP


@cache
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def names() -> tuple[str, ...]:
    """Every registered platform name, sorted."""
    return tuple(sorted(_entry_points()))


@cache
def driver(name: str) -> PlatformDriver:
    """The driver registered as ``name`` (a Platform enum member is a str too)."""
    key = str(getattr(name, "value", name))
    ep = _entry_points().get(key)
    if ep is None:
        known = ", ".join(names()) or "none (is pydriver installed?)"
        raise PlatformError(f"unknown platform {key!r}; registered platforms: {known}")
    try:
        factory = ep.load()
    except Exception as exc:  # a broken plugin must not take the whole tool down silently
        raise PlatformError(f"platform {key!r} ({ep.value}) cannot be loaded: "
                            f"{type(exc).__name__}: {exc}") from None
    made: PlatformDriver = factory()
    if made.name != key:
        raise PlatformError(f"entry point {key!r} loads a driver named {made.name!r}")
    return made
