"""The one Jinja2 environment, built once and shared by every render.

StrictUndefined turns a typo in a template into an error instead of an empty string in a
router config; trim_blocks/lstrip_blocks let templates be indented for humans without
leaking that indentation into the output, which must be byte-identical run after run.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from pydriver.render.filters import FILTERS
from pydriver.sot.models import Platform


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PrefixLoader({
            "common": jinja2.PackageLoader("pydriver.render", "templates/common"),
            **{p.value: jinja2.PackageLoader(f"pydriver.platforms.{p.value}", "templates")
               for p in Platform},
        }),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # router configs, not HTML
    )
    env.filters.update(FILTERS)
    env.globals["Platform"] = Platform
    return env
