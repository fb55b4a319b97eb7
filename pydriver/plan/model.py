"""The Plan: what apply will do, frozen and serialisable, so a reviewer approves exactly
what runs. JSON carries a version so tools reading it can refuse a format they don't know."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydriver.errors import PlanError

PLAN_VERSION = 1


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
    action: str  # "update" | "noop" | "skip"
    running_hash: str  # sha256 of the normalised, scrubbed running config
    commands: tuple[str, ...] = ()
    rollback: tuple[str, ...] = ()
    added: int = 0
    removed: int = 0
    sections: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    note: str = ""  # why a router was skipped

    @property
    def changed(self) -> bool:
        return self.action == "update"


@dataclass(frozen=True, slots=True)
class Plan:
    version: int
    sot: SotRef
    source: str  # where running configs came from: "device", "backups", "git:<ref>"
    routers: tuple[RouterPlan, ...] = field(default_factory=tuple)

    @property
    def changes(self) -> tuple[RouterPlan, ...]:
        return tuple(r for r in self.routers if r.changed)

    @property
    def digest(self) -> str:
        """Identity of the plan (what the audit log records): content, not file bytes."""
        body = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()

    def router(self, host: str) -> RouterPlan:
        for r in self.routers:
            if r.host == host:
                return r
        raise KeyError(host)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = summary(self)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        if data.get("version") != PLAN_VERSION:
            raise PlanError(f"plan version {data.get('version')!r} is not supported "
                            f"(this pydriver reads version {PLAN_VERSION})")
        try:
            routers = tuple(
                RouterPlan(**{**r, **{k: tuple(r[k]) for k in
                                      ("commands", "rollback", "sections", "risks")}})
                for r in data["routers"])
            return cls(PLAN_VERSION, SotRef(**data["sot"]), data["source"], routers)
        except (KeyError, TypeError) as exc:
            raise PlanError(f"malformed plan: {exc}") from None

    @classmethod
    def load(cls, path: Path) -> Plan:
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise PlanError(f"{path}: cannot read plan: {exc.strerror}") from None
        except ValueError as exc:
            raise PlanError(f"{path}: not a pydriver plan (invalid JSON: {exc})") from None


def summary(plan: Plan) -> dict[str, Any]:
    changes = plan.changes
    return {
        "routers": len(plan.routers),
        "to_change": len(changes),
        "skipped": sum(1 for r in plan.routers if r.action == "skip"),
        "hubs": sorted(r.host for r in changes if r.role == "hub"),
        "sites": sorted(r.site or r.host for r in changes if r.role == "site"),
        "lines_added": sum(r.added for r in changes),
        "lines_removed": sum(r.removed for r in changes),
    }
