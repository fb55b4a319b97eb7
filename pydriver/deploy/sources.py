"""What a plan is made against: running configs read from the routers, the backups
repository, or a git ref of it; and which routers a ``--limit`` means.

This is the orchestration every command shares (plan, drift, backup, apply): it lives in
the library, so the CLI only parses options and formats results.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydriver.bulk import heap_settled
from pydriver.deploy import backup as backups
from pydriver.deploy import plan_cache
from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from pydriver.platforms.scrub import known_values

if TYPE_CHECKING:
    from pydriver.deploy.running import Readings

LIMIT_HELP = "host names, site:<code>, role:hub|site, platform:<name>; comma-separated"


def select(hosts: dict[str, dict[str, str | None]], limit: str | None) -> set[str]:
    """Resolve a --limit expression against host facts (role, site, platform)."""
    if not limit:
        return set(hosts)
    chosen: set[str] = set()
    for term in (t.strip() for t in limit.split(",") if t.strip()):
        key, _, value = term.partition(":")
        if value and key in ("site", "role", "platform"):
            matched = {h for h, facts in hosts.items() if facts.get(key) == value}
            if not matched:
                raise PydriverError(f"--limit {term!r} matches no router")
            chosen |= matched
        elif term in hosts:
            chosen.add(term)
        else:
            raise PydriverError(f"--limit {term!r} matches no router ({LIMIT_HELP})")
    return chosen


def facts(pipe: Pipeline) -> dict[str, dict[str, str | None]]:
    return {h: {"role": i.role, "site": i.site_code, "platform": i.platform.value}
            for h, i in pipe.intents.items()}


def secret_values(pipe: Pipeline) -> dict[str, str]:
    """Values of the secrets the rendered configs refer to, where they resolve (for
    scrubbing what is read back; a missing one is the preflight's business)."""
    return known_values([t for c in pipe.rendered.values() for _, t in c.files], pipe.resolver)


def read_devices(pipe: Pipeline, hosts: set[str], workers: int) -> tuple[Readings, dict[str, str]]:
    """``hosts`` read once each; and the ones that were left out, with why."""
    # here, not at the top: a plan from backups or git, the everyday one, needs no Nornir
    from pydriver.deploy.nornir import init, skipped_hosts
    from pydriver.deploy.running import collect

    nr = init(pipe, workers=workers)
    skipped = {h: why for h, why in skipped_hosts(nr).items() if h in hosts}
    target = nr.filter(filter_func=lambda h: h.name in hosts and h.name not in skipped)
    readings = collect(target, secret_values(pipe))
    for host, why in readings.errors.items():
        skipped[host] = f"unreachable or failed: {why}"
    return readings, skipped


def from_devices(pipe: Pipeline, hosts: set[str], workers: int
                 ) -> tuple[dict[str, str], dict[str, str]]:
    """Running configs of ``hosts`` (scrubbed) and the ones that were left out, with why."""
    readings, skipped = read_devices(pipe, hosts, workers)
    return readings.running, skipped


def build_plan(pipe: Pipeline, source: str, limit: str | None, workers: int,
               backup_dir: Path) -> Plan:
    """A plan of the routers ``limit`` selects, against running configs from ``source``.

    Once the intents are built, the network is left out of the collector's walks
    (:func:`bulk.heap_settled`): reading the backups and the last plan allocates enough to
    set it off, and each pass walked the whole network (0.25 s of a one-site plan at
    3,000 sites)."""
    hosts = select(facts(pipe), limit)
    with heap_settled():
        platforms = {h: i.platform.value for h, i in pipe.intents.items() if h in hosts}
        skipped: dict[str, str] = {}
        if source == "device":
            running, skipped = from_devices(pipe, hosts, workers)
        elif source == "backups":
            running = backups.read(backup_dir, platforms)
        elif source.startswith("git:"):
            running = backups.read(backup_dir, platforms, ref=source[4:])
        else:
            raise PydriverError(f"--from {source!r}: expected device, backups or git:<ref>")
        kept = plan_cache.location(pipe.inventory)
        plan = pipe.plan(running, source, skipped, hosts=hosts if limit else None,
                         previous=plan_cache.previous(kept))
        plan_cache.remember(kept, plan)
    return plan
