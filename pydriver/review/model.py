"""What a review says, as frozen values the reports (Markdown, JSON) are made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value of the source of truth that differs: ``path`` as a reader would name it
    (``links[metro-pusdatin].capacity_mbps``); None is "not there"."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class SiteChange:
    code: str
    change: str  # "added" | "removed" | "changed"
    name: str
    file: str  # the site's file in the pull request (the base's for a removed site)
    fields: tuple[FieldChange, ...] = ()  # changed: what differs; added/removed: key facts


@dataclass(frozen=True, slots=True)
class LinkChange:
    """A site link (one tunnel or fibre VLAN to a hub) added, removed or changed."""

    site: str
    link: str
    change: str
    hub: str
    medium: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AllocationChange:
    """A derived address or number of a site that differs (a renumbering, or a new one)."""

    site: str
    what: str  # "loopback", "asn", "zone staff", "transit inet-drc", ...
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Budget:
    """One internet uplink: guaranteed Mbps booked on it against what it may carry."""

    uplink: str
    isp: str
    before_used: int | None
    before_budget: float | None
    after_used: int | None
    after_budget: float | None

    @property
    def changed(self) -> bool:
        return (self.before_used, self.before_budget) != (self.after_used, self.after_budget)


@dataclass(frozen=True, slots=True)
class DataDiff:
    sites: tuple[SiteChange, ...] = ()
    links: tuple[LinkChange, ...] = ()
    region: tuple[FieldChange, ...] = ()  # region.yml and servers.yml, field by field
    allocations: tuple[AllocationChange, ...] = ()
    budgets: tuple[Budget, ...] = ()  # every uplink, changed or not

    @property
    def empty(self) -> bool:
        return not (self.sites or self.links or self.region or self.allocations
                    or any(b.changed for b in self.budgets))


@dataclass(frozen=True, slots=True)
class BlastRadius:
    routers: tuple[str, ...]  # every router whose configuration changes (or appears, goes)
    opds: tuple[str, ...]  # site codes touched (their data or their router)
    hubs: tuple[str, ...]
    hub_sites: dict[str, tuple[str, ...]] = field(default_factory=dict)  # hub -> sites on it


@dataclass(frozen=True, slots=True)
class Risk:
    """A flag for the reviewer: what, and on which routers or sites."""

    text: str
    where: tuple[str, ...] = ()
    severity: str = "warning"  # "warning" | "high"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    scope: str
    message: str


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    scope: str
    expires: str


@dataclass(frozen=True, slots=True)
class ComplianceDelta:
    new: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    waivers_added: tuple[Waiver, ...] = ()
    waivers_expired: tuple[Waiver, ...] = ()
    note: str = ""  # why the delta is empty when it cannot be worked out

    @property
    def empty(self) -> bool:
        return not (self.new or self.resolved or self.waivers_added or self.waivers_expired)


@dataclass(frozen=True, slots=True)
class RouterReview:
    """One router the change touches: its rendered diff and what would be sent."""

    host: str
    platform: str
    role: str
    site: str | None
    action: str  # "create" | "update" | "remove" | "noop"
    against: str  # what "running" was: "backups", "base render", "nothing (new router)"
    diff: tuple[str, ...] = ()  # unified diff of the rendered files, base -> pull request
    commands: tuple[str, ...] = ()
    removed_lines: tuple[str, ...] = ()
    added: int = 0
    removed: int = 0
    risks: tuple[str, ...] = ()

    @property
    def diff_added(self) -> int:
        return sum(1 for line in self.diff if line.startswith("+") and
                   not line.startswith("+++"))

    @property
    def diff_removed(self) -> int:
        return sum(1 for line in self.diff if line.startswith("-") and
                   not line.startswith("---"))


@dataclass(frozen=True, slots=True)
class Edge:
    site: str
    hub: str
    link: str
    medium: str
    tunnel: bool
    backup: bool
    change: str  # "added" | "removed" | "changed" | "" (unchanged, shown for context)


@dataclass(frozen=True, slots=True)
class Topology:
    """The touched part of the network: hubs, sites, and the links between them."""

    hubs: tuple[str, ...]
    sites: dict[str, str]  # code -> "added" | "removed" | "changed" | ""
    edges: tuple[Edge, ...]
    others: dict[str, int] = field(default_factory=dict)  # hub -> untouched sites on it


@dataclass(frozen=True, slots=True)
class Review:
    base_ref: str
    base_commit: str
    head_commit: str  # the pull request's inventory commit ("+dirty" when uncommitted)
    head_digest: str
    running_from: str  # "backups <dir> at <commit>" or "the base commit's rendered configs"
    routers_total: int
    data: DataDiff
    blast: BlastRadius
    risks: tuple[Risk, ...]
    compliance: ComplianceDelta
    routers: tuple[RouterReview, ...]
    topology: Topology

    @property
    def changed(self) -> bool:
        return bool(self.routers) or not self.data.empty
