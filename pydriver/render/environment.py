"""The Jinja2 environment, built once per set of platforms and shared by every render.

StrictUndefined turns a typo in a template into an error instead of an empty string in a
router config; trim_blocks/lstrip_blocks let templates be indented for humans without
leaking that indentation into the output, which must be byte-identical run after run.
Each platform brings its template folder (reached as ``<platform>/<file>``) and its
filters; the shared macros are ``common/macros.j2``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import jinja2

from pydriver.errors import RenderError
from pydriver.render.filters import FILTERS
from pydriver.render.template_cache import TemplateCache

COMMON = Path(__file__).parent / "templates" / "common"


class TemplateSet(Protocol):
    """What render needs of a platform (its driver provides it)."""

    name: str
    files: tuple[tuple[str, str], ...]
    keep_blank_lines: bool
    filters: Mapping[str, Callable[..., Any]]

    @property
    def template_dir(self) -> Path: ...


@lru_cache(maxsize=8)
def environment(platforms: tuple[TemplateSet, ...], compiled: Path | None = None
                ) -> jinja2.Environment:
    """``compiled``: the folder where compiled templates are kept between processes
    (:mod:`template_cache`); None compiles them in each process."""
    loaders: dict[str, jinja2.BaseLoader] = {"common": jinja2.FileSystemLoader(COMMON)}
    filters: dict[str, Callable[..., Any]] = dict(FILTERS)
    for p in platforms:
        loaders[p.name] = jinja2.FileSystemLoader(p.template_dir)
        for name, fn in p.filters.items():
            if filters.get(name, fn) is not fn:
                raise RenderError(p.name, f"filter {name!r} is already defined by another "
                                          "platform or the common set")
            filters[name] = fn
    env = jinja2.Environment(
        loader=jinja2.PrefixLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # router configs, not HTML
        # the templates are the package's: they cannot change under a running process,
        # and checking their files' times cost two stat calls per router rendered
        auto_reload=False,
        bytecode_cache=None if compiled is None else TemplateCache(compiled),
    )
    env.filters.update(filters)
    return env
