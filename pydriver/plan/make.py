"""Make a plan: intended (rendered) vs running, router by router, through each platform.

Pure: running configs arrive as text (from devices, backups or a git ref, read by the
caller), already scrubbed of secrets, so a plan can be made and tested with no device.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pydriver import fanout
from pydriver.bulk import heap_settled
from pydriver.intent.model import DeviceIntent
from pydriver.plan.model import PLAN_VERSION, Plan, RouterPlan, SotRef
from pydriver.platforms.registry import driver
from pydriver.render.render import RenderedConfig

RISK_TEXT = {
    "mgmt": "touches management access",
    "aaa": "touches AAA",
    "firewall": "touches the firewall",
    "routing": "touches routing",
}


def running_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode()).hexdigest()


def _files(inventory: Path) -> list[tuple[str, ...]]:
    """The inventory's regular files, and its links to regular files inside it, as paths
    relative to it (in parts, sorted).

    The tree is walked without following links, and a link leading out of the inventory is
    not read: the digest identifies the source of truth, and nothing outside it (a link
    to ``/`` or ``/dev/zero`` in a pull request) may be read, or block the read, for it.
    Only a link is resolved: a province has thousands of files, and resolving each took
    most of the digest's time."""
    inside = os.path.realpath(inventory).rstrip(os.sep) + os.sep
    found: list[tuple[str, ...]] = []

    folders: list[tuple[str, tuple[str, ...]]] = [(os.fspath(inventory), ())]
    while folders:  # a stack, not recursion: a pull request may nest folders deep
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            here = (*parts, entry.name)
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path, strict=True)
                    if real.startswith(inside) and stat.S_ISREG(os.stat(real).st_mode):
                        found.append(here)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, here))
                elif entry.is_file(follow_symlinks=False):
                    found.append(here)
            except OSError:
                continue
    return sorted(found)


def sot_ref(inventory: Path) -> SotRef:
    """The inventory's git commit (if any) and a digest of its files' contents."""
    digest = hashlib.sha256()
    for parts in _files(inventory):
        digest.update("/".join(parts).encode() + b"\0")
        with open(os.path.join(inventory, *parts), "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    commit = "none"
    try:
        head = subprocess.run(["git", "-C", str(inventory), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode == 0:
            commit = head.stdout.strip()
            dirty = subprocess.run(["git", "-C", str(inventory), "status", "--porcelain",
                                    "--", "."], capture_output=True, text=True, timeout=10)
            if dirty.stdout.strip():
                commit += "+dirty"
    except (OSError, subprocess.SubprocessError):
        pass
    return SotRef(commit=commit, digest=digest.hexdigest())


def _risks(intent: DeviceIntent, sections: frozenset[str], sites_behind: int) -> tuple[str, ...]:
    risks = [RISK_TEXT[s] for s in ("mgmt", "aaa", "firewall", "routing") if s in sections]
    if "crypto" in sections:
        risks.append("touches hub crypto" if intent.is_hub else "touches tunnel crypto")
    if intent.is_hub:
        risks.append(f"hub change: {sites_behind} sites depend on this hub")
    return tuple(risks)


@cache
def code_digest() -> str:
    """The pydriver code plans are made with (templates, platforms, stages): a plan made by
    other code must not be reused, even for the same intent."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".yml", ".json", ".gz"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def intent_hash(intent: DeviceIntent) -> str:
    """Identity of what a router must be, and of the code that renders and diffs it:
    equal hashes give equal configs and equal remediations."""
    return hashlib.sha256((code_digest() + repr(intent)).encode()).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


#: Characters of running config to diff below which a fork costs more than it saves.
WORTH_FORKING = 512 * 1024
#: Routers to hash below which a fork costs more than it saves.
WORTH_HASHING = 1000


@dataclass(frozen=True, slots=True)
class _Job:
    """One router to render and diff."""

    host: str
    intent: DeviceIntent
    running: str
    normal: bool  # ``running`` is already the normal form
    wanted: str  # intent hash
    seen: str  # running text hash
    behind: int  # sites behind it


@heap_settled()
def make_plan(
    intents: Mapping[str, DeviceIntent],
    rendered: Mapping[str, RenderedConfig] | Callable[[str], RenderedConfig],
    running: Mapping[str, str],
    sot: SotRef,
    source: str,
    skipped: Mapping[str, str] | None = None,
    network: Mapping[str, DeviceIntent] | None = None,
    previous: Plan | None = None,
    processes: int | None = None,
) -> Plan:
    """``running``: host -> scrubbed running text; ``skipped``: host -> reason (left out).

    ``network`` is every router's intent when ``intents`` is only part of it (a --limit):
    what depends on a hub is a fact of the whole network, not of the routers planned.

    ``previous`` is an earlier plan: a router whose intent and running config are both
    what they were then keeps its part of that plan, without being rendered or diffed
    again. A one-site change in a province therefore renders and diffs the site and its
    hubs, not the province; ``rendered`` may be a function so that only those are
    rendered at all.

    The routers to diff are diffed side by side in ``processes`` worker processes
    (:mod:`fanout`; None: as many as there are CPUs, when the work is worth it)."""
    skipped = skipped or {}
    sites_behind: dict[str, set[str]] = {}
    for intent in (network or intents).values():
        for t in intent.tunnels:
            if not intent.is_hub:
                sites_behind.setdefault(t.peer, set()).add(t.site)
        for nb in intent.bgp.neighbors:
            if intent.role == "site":
                sites_behind.setdefault(nb.description, set()).add(intent.site_code or "")
    render = rendered if callable(rendered) else rendered.__getitem__
    before = {r.host: r for r in previous.routers} if previous is not None else {}
    # A running text that the same code found already in its normal form last time (the
    # backups store that form) is not normalised again: on a hub that is most of its plan.
    # (the code's digest is worked out here, once, not in each hashing worker)
    code = code_digest()
    same_code = previous is not None and previous.code == code
    routers: dict[str, RouterPlan] = {}
    todo: list[_Job] = []
    # every router's intent hash: side by side too, from a thousand routers
    hashed = [h for h in sorted(intents) if h not in skipped and h in running]
    hashes = dict(zip(hashed, fanout.run(lambda h: intent_hash(intents[h]), hashed,
                                         [1] * len(hashed), WORTH_HASHING, processes),
                      strict=True))
    for host in sorted(intents):
        intent = intents[host]
        if host in skipped or host not in running:
            routers[host] = RouterPlan(host, intent.platform.value, intent.role,
                                       intent.site_code, action="skip", running_hash="",
                                       note=skipped.get(host, "no running config"))
            continue
        wanted, seen = hashes[host], text_hash(running[host])
        old = before.get(host)
        behind = len(sites_behind.get(host, ()))
        if old is not None and old.action != "skip" and old.intent_hash == wanted and \
                old.source_hash == seen:
            routers[host] = replace(old, risks=_risks(intent, frozenset(old.sections), behind)
                                    if old.changed else ())
            continue
        # last time this very text was read, its normal form was itself
        normal = old is not None and same_code and old.platform == intent.platform.value \
            and old.source_hash == old.running_hash == seen
        todo.append(_Job(host, intent, running[host], normal, wanted, seen, behind))

    def diff(job: _Job) -> RouterPlan:
        drv = driver(job.intent.platform)
        normalised = job.running if job.normal else drv.normalise(job.running)
        rem = drv.remediation(normalised, render(job.host))
        intent = job.intent
        return RouterPlan(
            job.host, intent.platform.value, intent.role, intent.site_code,
            action="noop" if rem.empty else
            "update" if drv.owns_anything(normalised) else "create",
            running_hash=running_hash(normalised), commands=rem.commands,
            rollback=rem.rollback, files=rem.files, added=rem.added, removed=rem.removed,
            sections=tuple(sorted(rem.sections)), removed_lines=rem.removed_lines,
            risks=() if rem.empty else _risks(intent, rem.sections, job.behind),
            intent_hash=job.wanted, source_hash=job.seen)

    for planned in fanout.run(diff, todo, [len(j.running) for j in todo], WORTH_FORKING,
                              processes):
        routers[planned.host] = planned
    return Plan(PLAN_VERSION, sot, source, tuple(routers[h] for h in sorted(routers)), code)
