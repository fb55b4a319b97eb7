"""A review as a pull-request comment (Markdown) and as JSON.

The comment goes, in this order: one summary line; the data diff; the blast radius; the
risk flags; the compliance delta; each router's rendered diff and commands, folded; a
Mermaid diagram of the touched part of the network. It must fit the forge's comment limit,
so every part but the summary, the risks and the compliance delta has shorter forms, used
in a fixed order (routers first, the diagram next, then the data diff and the blast radius)
until it fits; what was shortened points at the full report written beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from pydriver.report import GITHUB_LIMIT
from pydriver.report.budget import Part, fit
from pydriver.review.model import Budget, FieldChange, Review, RouterReview, Topology

MARKER = "<!-- pydriver-review -->"  # lets a CI job find and update its own comment
_LIST = 40  # names listed before "and N more" in the shortened forms


def counts(review: Review) -> dict[str, Any]:
    """The numbers of the summary line, for people and for JSON."""
    sites = review.data.sites
    acts = [r.action for r in review.routers]
    return {
        "sites_added": sum(1 for s in sites if s.change == "added"),
        "sites_changed": sum(1 for s in sites if s.change == "changed"),
        "sites_removed": sum(1 for s in sites if s.change == "removed"),
        "links_changed": len(review.data.links),
        "region_fields_changed": len(review.data.region),
        "routers_touched": len(review.blast.routers),
        "routers_total": review.routers_total,
        "routers_created": acts.count("create"),
        "routers_updated": acts.count("update"),
        "routers_removed": acts.count("remove"),
        "hubs": list(review.blast.hubs),
        "opds": len(review.blast.opds),
        "risks": len(review.risks),
        "high_risks": sum(1 for r in review.risks if r.severity == "high"),
    }


def summary_line(review: Review) -> str:
    c = counts(review)
    if not review.changed:
        return (f"**pydriver review**: no changes to the source of truth or to any router "
                f"(base `{review.base_ref}` {review.base_commit[:12]}).")
    sites = ", ".join(f"{n} {what}" for what, n in (
        ("added", c["sites_added"]), ("changed", c["sites_changed"]),
        ("removed", c["sites_removed"])) if n) or "none"
    hubs = ", ".join(f"`{h}`" for h in c["hubs"]) or "none"
    head = review.head_commit.removesuffix("+dirty")[:12] + \
        (" with uncommitted changes" if review.head_commit.endswith("+dirty") else "")
    return (f"**pydriver review** of `{review.base_ref}` ({review.base_commit[:12]}) → "
            f"{head}: sites {sites}; {c['routers_touched']} of "
            f"{c['routers_total']} routers change ({c['routers_created']} new, "
            f"{c['routers_updated']} updated, {c['routers_removed']} removed); hubs {hubs}; "
            f"{c['risks']} risk flags ({c['high_risks']} high); running configs from "
            f"{review.running_from}.")


def _v(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "[]"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _mbps(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _names(items: Sequence[str], limit: int = _LIST) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _fields(fields: Iterable[FieldChange], indent: str = "  ") -> list[str]:
    return [f"{indent}- `{f.path}`: {_v(f.before)} → {_v(f.after)}" for f in fields]


def _budgets(budgets: Sequence[Budget]) -> list[str]:
    out = ["| uplink | ISP | booked before | budget before | booked after | budget after | |",
           "|---|---|---|---|---|---|---|"]
    for b in budgets:
        share = f"{b.after_used / b.after_budget:.0%}" if b.after_used is not None and \
            b.after_budget else ""
        mark = "**changed**" if b.changed else ""
        out.append(f"| {b.uplink} | {_v(b.isp)} | {_v(b.before_used)} | "
                   f"{_mbps(b.before_budget)} | {_v(b.after_used)} | {_mbps(b.after_budget)} | "
                   f"{' '.join(x for x in (share, mark) if x)} |")
    return out


def data_full(review: Review) -> str:
    d = review.data
    out = ["", "### Source-of-truth changes", ""]
    if d.empty:
        return "\n".join([*out, "No change to the source of truth.", ""]) + "\n"
    if d.sites:
        out += ["#### Sites", ""]
        for s in d.sites:
            where = f" (`{s.file}`)" if s.file else ""
            out.append(f"- **{s.change}** `{s.code}` {s.name}{where}")
            out += _fields(s.fields) if s.change == "changed" else \
                [f"  - {f.path}: {_v(f.after if s.change == 'added' else f.before)}"
                 for f in s.fields]
        out.append("")
    if d.links:
        out += ["#### Links", "", "| site | link | change | hub | medium | detail |",
                "|---|---|---|---|---|---|"]
        out += [f"| {x.site} | {x.link} | {x.change} | {x.hub} | {x.medium} | "
                f"{_v(x.detail)} |" for x in d.links]
        out.append("")
    if d.region:
        out += ["#### Region, data centres and servers", "", *_fields(d.region, ""), ""]
    if d.allocations:
        out += ["#### Allocations changed", "", "| site | what | before | after |",
                "|---|---|---|---|"]
        out += [f"| {a.site} | {a.what} | {_v(a.before)} | {_v(a.after)} |"
                for a in d.allocations]
        out.append("")
    out += ["#### Uplink budgets", "", *_budgets(d.budgets), ""]
    return "\n".join(out) + "\n"


def data_short(review: Review, pointer: str) -> str:
    d = review.data
    out = ["", "### Source-of-truth changes", ""]
    for change in ("added", "changed", "removed"):
        codes = [s.code for s in d.sites if s.change == change]
        if codes:
            out.append(f"- sites {change} ({len(codes)}): {_names(codes)}")
    if d.links:
        out.append(f"- links added, removed or changed: {len(d.links)}")
    if d.region:
        out.append(f"- region fields changed ({len(d.region)}): "
                   f"{_names([f.path for f in d.region], 10)}")
    if d.allocations:
        out.append(f"- allocations changed: {len(d.allocations)} "
                   f"({_names(sorted({a.site for a in d.allocations}), 10)})")
    out += ["", *_budgets([b for b in d.budgets if b.changed]), "",
            f"Shortened to fit; every field: {pointer}.", ""]
    return "\n".join(out) + "\n"


def blast_full(review: Review) -> str:
    b = review.blast
    out = ["", "### Blast radius", "",
           f"- routers ({len(b.routers)}): {_names(list(b.routers), 10_000)}",
           f"- OPDs and sites ({len(b.opds)}): {_names(list(b.opds), 10_000)}",
           f"- hubs ({len(b.hubs)}): {_names(list(b.hubs))}"]
    for hub, sites in b.hub_sites.items():
        out.append(f"  - `{hub}` carries {len(sites)} sites, all affected by its change: "
                   f"{_names(list(sites), 10_000)}")
    return "\n".join([*out, ""]) + "\n"


def blast_short(review: Review) -> str:
    b = review.blast
    out = ["", "### Blast radius", "",
           f"- routers ({len(b.routers)}): {_names(list(b.routers))}",
           f"- OPDs and sites: {len(b.opds)}",
           f"- hubs: {_names(list(b.hubs))}"]
    out += [f"  - `{h}` carries {len(s)} sites" for h, s in b.hub_sites.items()]
    return "\n".join([*out, ""]) + "\n"


def risks_part(review: Review) -> str:
    out = ["", "### Risks", ""]
    if not review.risks:
        out.append("No risk flags.")
    for r in review.risks:
        mark = "🔴 **high**" if r.severity == "high" else "⚠️"
        where = f": {', '.join(f'`{w}`' for w in r.where)}" if r.where else ""
        out.append(f"- {mark} {r.text}{where}")
    return "\n".join([*out, ""]) + "\n"


def compliance_part(review: Review) -> str:
    c = review.compliance
    out = ["", "### Compliance", ""]
    if c.note:
        out.append(f"_{c.note}_")
    elif c.empty:
        out.append("No new or resolved findings; no waiver added or expired.")
    for title, items in (("New findings", c.new), ("Resolved findings", c.resolved)):
        if items:
            out += [f"**{title}** ({len(items)}):"] + \
                [f"- `{f.rule}` {f.scope}: {f.message}" for f in items]
    for title, waivers in (("Waivers added", c.waivers_added),
                           ("Waivers expired", c.waivers_expired)):
        if waivers:
            out += [f"**{title}** ({len(waivers)}):"] + \
                [f"- `{w.rule}` {w.scope} (expires {w.expires})" for w in waivers]
    return "\n".join([*out, ""]) + "\n"


def _fence(lines: Sequence[str], lang: str = "") -> list[str]:
    ticks = "```"
    while any(line.lstrip().startswith(ticks) for line in lines):
        ticks += "`"
    return [f"{ticks}{lang}", *lines, ticks]


def router_title(r: RouterReview) -> str:
    return (f"`{r.host}` {r.action} ({r.role}{', ' + r.site if r.site else ''}; "
            f"{r.platform}): rendered +{r.diff_added} -{r.diff_removed}, "
            f"{len(r.commands)} commands")


def router_full(r: RouterReview) -> str:
    """The rendered diff and the remediation commands of one router, folded."""
    out = ["", f"<details><summary>{router_title(r)}</summary>", ""]
    if r.diff:
        out += ["Rendered configuration, base → pull request:", "",
                *_fence(list(r.diff), "diff"), ""]
    if r.action == "remove":
        out += ["The router leaves the inventory: pydriver sends it nothing; take it out "
                "of service by hand.", ""]
    elif r.commands:
        out += [f"Commands (against {r.against}; +{r.added} -{r.removed}):", "",
                *_fence([line for c in r.commands for line in c.split("\n")]), ""]
        if r.removed_lines:
            out += ["Removed or replaced on the router:", "",
                    *_fence([f"- {line}" for line in r.removed_lines], "diff"), ""]
    else:
        out += ["Nothing to send: the change is in rendered comments only.", ""]
    out.append("</details>")
    return "\n".join(out) + "\n"


def routers_parts(review: Review, pointer: str) -> tuple[str, ...]:
    routers = list(review.routers)
    if not routers:
        return ("",)
    head = "\n### Routers\n"
    full = head + "".join(router_full(r) for r in routers)
    lines = head + f"\nDiffs and commands left out to fit; each router's: {pointer}.\n\n" + \
        "".join(f"- {router_title(r)}\n" for r in routers)
    by = {a: [r.host for r in routers if r.action == a]
          for a in ("create", "update", "remove", "noop")}
    one = head + f"\n{len(routers)} routers: " + "; ".join(
        f"{a} {len(h)}" for a, h in by.items() if h) + \
        f". Diffs and commands left out to fit: {pointer}.\n"
    return (full, lines, one)


def _id(name: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def mermaid(topo: Topology) -> str:
    """A Mermaid flowchart of the touched part: hubs, sites, links (tunnels dotted)."""
    if not topo.edges and not topo.hubs:
        return ""
    out = ["graph LR"]
    for hub in topo.hubs:
        out.append(f'  {_id(hub)}[["{hub}"]]')
        if topo.others.get(hub):
            out.append(f'  {_id(hub)}_others(("+{topo.others[hub]} other sites"))')
            out.append(f"  {_id(hub)} ~~~ {_id(hub)}_others")
    for code, change in topo.sites.items():
        label = f"{code}" + (f" ({change})" if change else "")
        out.append(f'  {_id("site_" + code)}("{label}")')
        if change:
            out.append(f"  class {_id('site_' + code)} {change}")
    for e in topo.edges:
        label = f"{e.link}: {e.medium}" + (" backup" if e.backup else "") + \
            (f" ({e.change})" if e.change else "")
        arrow = "-.-" if e.tunnel else "---"
        out.append(f'  {_id("site_" + e.site)} {arrow}|"{label}"| {_id(e.hub)}')
    out += ["  classDef added fill:#d4f7d4,stroke:#2a2",
            "  classDef changed fill:#fff3c4,stroke:#b80",
            "  classDef removed fill:#f9d0d0,stroke:#c22,stroke-dasharray: 4 2"]
    return "\n".join(out)


def topology_parts(review: Review, pointer: str) -> tuple[str, ...]:
    chart = mermaid(review.topology)
    if not chart:
        return ("",)
    head = "\n### Topology touched\n\nTunnels dotted, own fibre solid.\n\n"
    return (head + "\n".join(_fence(chart.split("\n"), "mermaid")) + "\n",
            head + f"The diagram is left out to fit: {pointer}.\n")


def markdown(review: Review, max_chars: int = GITHUB_LIMIT, full_report: str = "") -> str:
    """The comment; past ``max_chars`` parts shrink (see the module), never the summary,
    the risks or the compliance delta."""
    pointer = f"see the full report, {full_report}" if full_report else \
        "run `pydriver review --out DIR` for the full report"
    parts = [
        Part("summary", (f"{MARKER}\n{summary_line(review)}\n",)),
        Part("data", (data_full(review), data_short(review, pointer)), 2),
        Part("blast", (blast_full(review), blast_short(review)), 3),
        Part("risks", (risks_part(review),)),
        Part("compliance", (compliance_part(review),)),
        Part("routers", routers_parts(review, pointer), 0),
        Part("topology", topology_parts(review, pointer), 1),
    ]
    fitted = fit(parts, max_chars)
    if fitted.shortened and full_report:
        note = f"\n_Shortened to {max_chars:,} characters ({', '.join(fitted.shortened)}); " \
               f"the full report: {full_report}._\n"
        if len(fitted.text) + len(note) <= max_chars:
            return fitted.text + note
    return fitted.text


def to_dict(review: Review) -> dict[str, Any]:
    data = asdict(review)
    data["summary"] = counts(review)
    data["summary_line"] = summary_line(review)
    data["changed"] = review.changed
    return data


def to_json(review: Review) -> str:
    return json.dumps(to_dict(review), indent=2, default=str) + "\n"
