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
from dataclasses import replace
from pathlib import Path

from pydriver import fanout
from pydriver.bulk import heap_settled
from pydriver.codebase import code_digest
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
                elif stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                    # (stat, not the listing's file type: a file in a folder that can be
                    # listed but not entered is left out, not failed on at open)
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


def intent_hash(intent: DeviceIntent) -> str:
    """Identity of what a router must be, and of the code that renders and diffs it:
    equal hashes give equal configs and equal remediations."""
    return hashlib.sha256((code_digest() + repr(intent)).encode()).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


#: Characters of running config below which planning in worker processes costs more than
#: it saves (a first plan, or one after a template or pydriver change, diffs all of it).
WORTH_FORKING = 512 * 1024
#: Routers to hash below which planning in worker processes costs more than it saves,
#: whatever has changed.
WORTH_HASHING = 1000


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
    inputs: Mapping[str, str] | None = None,
) -> Plan:
    """``running``: host -> scrubbed running text; ``skipped``: host -> reason (left out).

    ``network`` is every router's intent when ``intents`` is only part of it (a --limit):
    what depends on a hub is a fact of the whole network, not of the routers planned.

    ``previous`` is an earlier plan: a router whose intent and running config are both
    what they were then keeps its part of that plan, without being rendered or diffed
    again. A one-site change in a province therefore renders and diffs the site and its
    hubs, not the province; ``rendered`` may be a function so that only those are
    rendered at all.

    ``inputs`` identifies, for the routers whose intent is built from known files alone
    (a site router: its site file, region.yml and the other shared files, and the code; a
    hub: the shared files, the code and the files of the sites linked to it), those
    files' contents: a router whose inputs and running config are both what they were
    last time keeps its part without its intent even being hashed. Hashing every intent
    was most of a one-site plan of a province (0.7 s at 3,000 sites), and a hub's intent,
    thousands of tunnels, costs as much to hash as a hundred sites'.

    Routers are planned side by side in ``processes`` worker processes (:mod:`fanout`;
    None: as many as there are CPUs, when the work is worth it), each router in one go:
    its intent hashed, then, unless last time's part still holds, rendered and diffed. (In
    two passes, hashes then diffs, the hubs' diffs waited for every router's hash.)"""
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
    # (the code's digest is worked out here, once, not in each worker)
    code = code_digest()
    same_code = previous is not None and previous.code == code
    routers: dict[str, RouterPlan] = {}
    hosts: list[str] = []
    for host in sorted(intents):
        intent = intents[host]
        if host in skipped or host not in running:
            routers[host] = RouterPlan(host, intent.platform.value, intent.role,
                                       intent.site_code, action="skip", running_hash="",
                                       note=skipped.get(host, "no running config"))
        else:
            hosts.append(host)
    seen = {h: text_hash(running[h]) for h in hosts}
    keys = inputs or {}

    def holds(host: str) -> bool:
        """Last time's part holds by the router's inputs alone."""
        old, key = before.get(host), keys.get(host, "")
        return bool(key) and old is not None and old.action != "skip" and \
            old.inputs_hash == key and old.source_hash == seen[host]

    def plan_one(host: str) -> RouterPlan | None:
        """The router's part of the plan; None when last time's still holds."""
        intent = intents[host]
        wanted, text = intent_hash(intent), seen[host]
        old = before.get(host)
        if old is not None and old.action != "skip" and old.intent_hash == wanted and \
                old.source_hash == text:
            return None
        # last time this very text was read, its normal form was itself
        normal = old is not None and same_code and old.platform == intent.platform.value \
            and old.source_hash == old.running_hash == text
        drv = driver(intent.platform)
        normalised = running[host] if normal else drv.normalise(running[host])
        rem = drv.remediation(normalised, render(host))
        behind = len(sites_behind.get(host, ()))
        return RouterPlan(
            host, intent.platform.value, intent.role, intent.site_code,
            action="noop" if rem.empty else
            "update" if drv.owns_anything(normalised) else "create",
            running_hash=text if normal else running_hash(normalised), commands=rem.commands,
            rollback=rem.rollback, files=rem.files, added=rem.added, removed=rem.removed,
            sections=tuple(sorted(rem.sections)), removed_lines=rem.removed_lines,
            risks=() if rem.empty else _risks(intent, rem.sections, behind),
            intent_hash=wanted, source_hash=text, inputs_hash=keys.get(host, ""))

    # Worth a fork: a thousand routers to hash, or enough text that diffing all of it would
    # be (which routers need a diff is known only once they are hashed: after a change to
    # the region's defaults or to pydriver, all of them). Heaviest first: the hubs go to
    # different workers.
    work = [h for h in hosts if not holds(h)]
    weights = [len(running[h]) for h in work]
    worth = len(work) >= WORTH_HASHING or sum(weights) >= WORTH_FORKING
    planned = dict(zip(work, fanout.run(plan_one, work, weights, 0, processes
                                        if processes is not None else None if worth else 1),
                       strict=True))
    for host in hosts:
        part = planned.get(host)
        if part is None:  # last time's part holds; what depends on a hub may not
            intent, old = intents[host], before[host]
            behind = len(sites_behind.get(host, ()))
            risks = _risks(intent, frozenset(old.sections), behind) if old.changed else ()
            key = keys.get(host, "")
            part = old if risks == old.risks and key == old.inputs_hash else \
                replace(old, risks=risks, inputs_hash=key)
        routers[host] = part
    return Plan(PLAN_VERSION, sot, source, tuple(routers[h] for h in sorted(routers)), code)
