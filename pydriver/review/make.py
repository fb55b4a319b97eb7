"""A review from two pipelines: the base commit's and the pull request's.

Per router: the rendered files are compared (a unified diff a reviewer reads as a code
change), and the pull request's configuration is planned against what the router runs:
the backups' copy when there is one, else the base commit's rendered config (what the
router runs if the last change was applied), else nothing (a router the pull request adds).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from pydriver.pipeline import Pipeline
from pydriver.render.render import RenderedConfig
from pydriver.review.blast import blast_radius
from pydriver.review.compliance import compliance_delta
from pydriver.review.datadiff import data_diff
from pydriver.review.model import Review, RouterReview
from pydriver.review.risks import risks
from pydriver.review.topology import topology

CONTEXT = 2  # lines of context around each change in the rendered diffs


def rendered_diff(host: str, old: RenderedConfig | None, new: RenderedConfig | None
                  ) -> tuple[str, ...]:
    """Unified diff of every rendered file of ``host`` (a missing side is empty)."""
    before = dict(old.files) if old else {}
    after = dict(new.files) if new else {}
    lines: list[str] = []
    for name in sorted(set(before) | set(after), key=lambda n: (n not in after, n)):
        a, b = before.get(name, ""), after.get(name, "")
        if a == b:
            continue
        lines += [line.rstrip("\n") for line in difflib.unified_diff(
            a.splitlines(keepends=True), b.splitlines(keepends=True),
            f"a/{host}/{name}" if old else "/dev/null",
            f"b/{host}/{name}" if new else "/dev/null", n=CONTEXT)]
    return tuple(lines)


def _files(pipe: Pipeline) -> dict[str, str]:
    return {str(d.data.get("code")): d.file for d in pipe.source.sites
            if isinstance(d.data, dict)}


def make_review(base: Pipeline, head: Pipeline, *, base_ref: str, base_commit: str,
                backups: Mapping[str, str] | None = None, running_from: str = "") -> Review:
    """Everything the review shows; ``backups``: host -> scrubbed running config."""
    old, new = base.rendered, head.rendered
    touched = sorted(h for h in set(old) | set(new) if old.get(h) != new.get(h))
    running: dict[str, str] = {}
    against: dict[str, str] = {}
    for host in touched:
        if host not in new:
            continue
        if backups is not None and host in backups:
            running[host], against[host] = backups[host], "backups"
        elif host in old:
            running[host] = base.driver(old[host].platform).as_running(old[host])
            against[host] = "base render"
        else:
            running[host], against[host] = "", "nothing (new router)"
    plan = head.plan(running, running_from or "base render", hosts=set(running))
    routers = []
    for host in touched:
        diff = rendered_diff(host, old.get(host), new.get(host))
        if host not in new:
            gone = base.intents[host]
            routers.append(RouterReview(host, gone.platform.value, gone.role, gone.site_code,
                                        "remove", "base render", diff))
            continue
        r = plan.router(host)
        routers.append(RouterReview(
            host, r.platform, r.role, r.site, r.action if r.action != "skip" else "noop",
            against[host], diff, r.commands, r.removed_lines, r.added, r.removed, r.risks))
    data = data_diff(base.network, head.network, base.intents, head.intents, _files(head),
                     _files(base))
    blast = blast_radius(routers, data, base.network, head.network)
    sot = head.sot
    return Review(
        base_ref=base_ref, base_commit=base_commit, head_commit=sot.commit,
        head_digest=sot.digest, running_from=running_from or "the base commit's rendered "
                                                             "configs",
        routers_total=len(new), data=data, blast=blast,
        risks=risks(data, blast, routers), compliance=compliance_delta(base, head),
        routers=tuple(routers), topology=topology(base.network, head.network, data, blast))
