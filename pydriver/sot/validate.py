"""The validate stage: raw located documents in, a typed frozen Network out.

Two passes. The first checks each file against its schema (types, unknown keys, required
keys) and maps every pydantic error back to the YAML line it came from. The second
(``semantic``) checks what no single object can: uniqueness, pools, references, budgets and
crypto policy. Both passes run to the end so one run lists every problem.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from pydriver.bulk import stage
from pydriver.errors import Location, Problem, SourceError
from pydriver.sot import semantic, tiers
from pydriver.sot.federation import Registry
from pydriver.sot.loader import Document, PathKey, Source
from pydriver.sot.models import (
    SECRET_FIELDS,
    Network,
    RegionFile,
    ServersFile,
    Site,
    WaiversFile,
)
from pydriver.sot.parse import token


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated so the model class behind a field can be found."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that owns the location ``loc`` (for listing the keys it accepts)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif origin in (tuple, list):
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_PLAIN_PART = re.compile(r"[A-Za-z0-9_-]{1,40}")
# pydantic's words for a wrong type, in the words of someone writing YAML
_EXPECTED = {
    "string_type": "expected text; quote the value to make it a string",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "dict_type": "expected a mapping (key: value)",
    "model_type": "expected a mapping (key: value)",
    "model_attributes_type": "expected a mapping (key: value)",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
}


def _part(part: int | str) -> str:
    text = str(part)
    return text if _PLAIN_PART.fullmatch(text) else token(text)


def _shown(value: Any) -> str:
    """The offending token, bounded; nothing for collections (their items are reported)."""
    if isinstance(value, str):
        return f" (got {token(value)})"
    if isinstance(value, bool | int | float) or value is None:
        text = repr(value)
        return f" (got {text if len(text) <= 40 else text[:40] + '...'})"
    return ""


def _describe(err: Any, root: type[BaseModel]) -> str:
    """One pydantic error as a line for a person: where, what is expected, and the token at
    fault (never the value of a secret-bearing field, never more than a few words)."""
    loc = tuple(err["loc"])
    dotted = ".".join(_part(p) for p in loc) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        owner = _model_at(root, loc[:-1])
        allowed = ", ".join(owner.model_fields) if owner else "see the documentation"
        return f"unknown key {token(str(loc[-1]))}; expected one of: {allowed}"
    if kind == "missing":
        return f"{dotted}: required key is missing"
    message = _EXPECTED.get(kind) or str(err["msg"]).removeprefix("Value error, ")
    secret = any(p in SECRET_FIELDS for p in loc if isinstance(p, str))
    got = "" if secret else _shown(err.get("input"))
    return f"{dotted}: {message}{got}"


def schema_problems(
    doc: Document, model: type[BaseModel], prefix: PathKey = ()
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one document (or a part of it) against ``model``, with located problems."""
    data = doc.data
    for part in prefix:
        data = data[part]
    try:
        return model.model_validate(data), []
    except PydanticValidationError as exc:
        problems = []
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        for err in errors:
            loc = tuple(err["loc"])
            # a container's "too short" after its only item failed is noise: the item's
            # own error says what is wrong
            if err["type"] == "too_short" and any(
                    other[: len(loc)] == loc and other != loc for other in locs):
                continue
            path = (*prefix, *loc)
            problems.append(Problem(doc.where(path), _describe(err, model), "schema"))
        return None, problems


@stage
def validate(source: Source, platforms: semantic.Platforms, require_secrets: bool = False
             ) -> Network:
    """Check the whole source of truth; return the Network or raise SourceError with all."""
    problems: list[Problem] = list(source.problems)
    region: RegionFile | None = None
    if source.region is not None:
        parsed, found = schema_problems(source.region, RegionFile)
        region = parsed if isinstance(parsed, RegionFile) else None
        problems += found
    sites: list[tuple[Site, Document]] = []
    for doc in source.sites:
        parsed, found = schema_problems(doc, Site)
        problems += found
        if isinstance(parsed, Site):
            sites.append((parsed, doc))
    servers: ServersFile | None = ServersFile()
    if source.servers is not None:
        parsed, found = schema_problems(source.servers, ServersFile)
        servers = parsed if isinstance(parsed, ServersFile) else None
        problems += found
    waivers: WaiversFile | None = WaiversFile()
    if source.waivers is not None:
        parsed, found = schema_problems(source.waivers, WaiversFile)
        waivers = parsed if isinstance(parsed, WaiversFile) else None
        problems += found
    if region is not None and source.region is not None and servers is not None:
        problems += semantic.check(
            region, source.region, sites, servers, source.servers, source.root,
            platforms=platforms, require_secrets=require_secrets,
        )
    registry: Registry | None = None
    if source.registry is not None:
        parsed, found = schema_problems(source.registry, Registry)
        registry = parsed if isinstance(parsed, Registry) else None
        problems += found
    if region is not None and source.region is not None and (
            registry is not None or source.registry is None):
        problems += tiers.check(region, source.region, registry, source.registry, platforms)
    if waivers is not None and source.waivers is not None and region is not None:
        problems += semantic.waiver_scopes(region, sites, waivers, source.waivers)
    if problems:
        raise SourceError(sorted(problems, key=_order))
    assert region is not None and servers is not None and waivers is not None
    return Network(
        region=region.region,
        pools=region.pools,
        crypto_profiles=region.crypto_profiles,
        baseline=region.baseline,
        datacenters=region.datacenters,
        sites=tuple(sorted((s for s, _ in sites), key=lambda s: s.id)),
        servers=servers.servers,
        waivers=waivers.waivers,
        interconnects=region.interconnects,
    )


def _order(p: Problem) -> tuple[str, int, int, str]:
    loc = p.location
    return (loc.file, loc.line, loc.column, p.message) if loc else ("", 0, 0, p.message)


def where_host(source: Source, host: str) -> Location | None:
    """Where router ``host`` is defined: its site file's hostname, or its hub in region.yml
    (for errors of later stages, which know the host but not the file)."""
    for doc in source.sites:
        router = doc.data.get("router") if isinstance(doc.data, dict) else None
        if isinstance(router, dict) and router.get("hostname") == host:
            return doc.where(("router", "hostname"))
    region = source.region
    dcs = region.data.get("datacenters") if region and isinstance(region.data, dict) else None
    for d, dc in enumerate(dcs if isinstance(dcs, list) else []):
        hubs = dc.get("hubs") if isinstance(dc, dict) else None
        for h, hub in enumerate(hubs if isinstance(hubs, list) else []):
            if isinstance(hub, dict) and hub.get("hostname") == host:
                assert region is not None
                return region.where(("datacenters", d, "hubs", h, "hostname"))
    return None
