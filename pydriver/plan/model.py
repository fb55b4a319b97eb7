"""The Plan: what apply will do, frozen and serialisable, so a reviewer approves exactly
what runs. Apply sends the saved plan's commands (and uses its rollback) as they are, so the
plan file is read as hostile input: a size limit, strict types, a version tools can refuse,
and a digest of its own content that catches a file edited by hand or cut short."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from pydriver.errors import PlanError

# 3: a router that holds nothing pydriver configured yet is "create" (2 had only "update"; a
# reader of 2 would take a "create" for no change, so it must refuse a 3)
PLAN_VERSION = 3
MAX_PLAN_BYTES = 512 * 1024 * 1024  # a national plan is tens of MB; past this it is not one


CHANGING = ("create", "update")


@dataclass(frozen=True, slots=True)
class SotRef:
    """Which source of truth a plan was made from."""

    commit: str  # git commit of the inventory, "+dirty" when it has uncommitted changes
    digest: str  # sha256 over the inventory files: what apply really compares


@dataclass(frozen=True, slots=True)
class RouterPlan:
    host: str
    platform: str
    role: str
    site: str | None
    action: str  # "create" | "update" | "noop" | "skip"
    running_hash: str  # sha256 of the normalised, scrubbed running config
    commands: tuple[str, ...] = ()
    rollback: tuple[str, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # whole files the push uploads (linux_frr)
    added: int = 0
    removed: int = 0
    sections: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    note: str = ""  # why a router was skipped
    intent_hash: str = ""  # what the router was planned to be (see plan.make.intent_hash)
    source_hash: str = ""  # the scrubbed running text it was planned against
    removed_lines: tuple[str, ...] = ()  # running lines the change takes away or replaces
    inputs_hash: str = ""  # what its intent was built from, when known (see make_plan)

    @property
    def changed(self) -> bool:
        return self.action in CHANGING


@dataclass(frozen=True, slots=True)
class Plan:
    version: int
    sot: SotRef
    source: str  # where running configs came from: "device", "backups", "git:<ref>"
    routers: tuple[RouterPlan, ...] = field(default_factory=tuple)
    # the pydriver code that made it (``codebase.code_digest``): what a later plan may
    # take from this one depends on that code's normal form of a config being the same
    code: str = ""

    @property
    def changes(self) -> tuple[RouterPlan, ...]:
        return tuple(r for r in self.routers if r.changed)

    @property
    def digest(self) -> str:
        """Identity of the plan (what the audit log records): content, not file bytes."""
        return _digest(self.to_dict())

    def router(self, host: str) -> RouterPlan:
        for r in self.routers:
            if r.host == host:
                return r
        raise KeyError(host)

    def to_dict(self) -> dict[str, Any]:
        """What ``asdict`` gives (``code`` and a router's ``inputs_hash`` only when known),
        field by field: a national plan has hundreds of thousands of values, and ``asdict``
        deep-copies each of them through a recursive call."""
        data = {"version": self.version, "sot": asdict(self.sot), "source": self.source,
                "routers": tuple(_router_dict(r) for r in self.routers)}
        if self.code:  # a plan without it (made before it was kept) keeps its digest
            data["code"] = self.code
        data["summary"] = summary(self)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The plan file: indented for a reader by default; ``indent=None`` writes it on one
        line, several times faster, for a file only pydriver reads back."""
        data = self.to_dict()
        data["digest"] = _digest(data)
        return json.dumps(data, indent=indent, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any, where: str = "plan") -> Plan:
        if not isinstance(data, dict):
            raise PlanError(f"{where}: not a pydriver plan (expected a JSON object)")
        version = data.get("version")
        if version != PLAN_VERSION:
            raise PlanError(f"{where}: plan version {version!r} is not supported (this "
                            f"pydriver reads version {PLAN_VERSION}); make a new plan")
        body = {k: v for k, v in data.items() if k not in ("summary", "digest")}
        try:
            plan = _ADAPTER.validate_json(json.dumps(body), strict=True)
        except PydanticValidationError as exc:
            first = exc.errors()[0]
            at = ".".join(str(p) for p in first["loc"]) or "(top level)"
            raise PlanError(f"{where}: malformed plan at {at}: {first['msg']} "
                            f"({exc.error_count()} problem(s))") from None
        if "digest" in data and data["digest"] != plan.digest:
            raise PlanError(f"{where}: the plan's content does not match its digest: it was "
                            "edited or cut short after it was made; make a new plan")
        return plan

    @classmethod
    def load(cls, path: Path) -> Plan:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise PlanError(f"{path}: not a regular file")
            if size > MAX_PLAN_BYTES:
                raise PlanError(f"{path}: {size} bytes is more than a plan can be "
                                f"({MAX_PLAN_BYTES} at most)")
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PlanError(f"{path}: cannot read plan: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise PlanError(f"{path}: not a pydriver plan (not UTF-8 text)") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise PlanError(f"{path}: not a pydriver plan (invalid JSON: {exc})") from None
        except RecursionError:
            raise PlanError(f"{path}: not a pydriver plan (nested too deep)") from None
        return cls.from_dict(data, str(path))


#: Fields kept only when set: a plan made before they were keeps its digest.
_WHEN_SET = ("inputs_hash",)
_ROUTER_FIELDS = tuple(f.name for f in fields(RouterPlan) if f.name not in _WHEN_SET)


def _router_dict(router: RouterPlan) -> dict[str, Any]:
    out = {name: getattr(router, name) for name in _ROUTER_FIELDS}
    for name in _WHEN_SET:
        if getattr(router, name):
            out[name] = getattr(router, name)
    return out


def _digest(data: dict[str, Any]) -> str:
    body = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def summary(plan: Plan) -> dict[str, Any]:
    changes = plan.changes
    return {
        "routers": len(plan.routers),
        "to_change": len(changes),
        "skipped": sum(1 for r in plan.routers if r.action == "skip"),
        "hubs": sorted(r.host for r in changes if r.role == "hub"),
        "sites": sorted(r.site or r.host for r in changes if r.role == "site"),
        "created": sorted(r.host for r in changes if r.action == "create"),
        "lines_added": sum(r.added for r in changes),
        "lines_removed": sum(r.removed for r in changes),
    }


for _cls in (SotRef, RouterPlan, Plan):
    setattr(_cls, "__pydantic_config__", ConfigDict(extra="forbid"))  # noqa: B010
_ADAPTER: TypeAdapter[Plan] = TypeAdapter(Plan)
