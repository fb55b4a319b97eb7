"""A plan for people: the summary first, then risks, then the commands router by router."""

from __future__ import annotations

from pydriver.plan.model import Plan, summary


def text(plan: Plan, show_commands: bool = True) -> str:
    s = summary(plan)
    out = [f"Plan: {s['to_change']} of {s['routers']} routers to change "
           f"(+{s['lines_added']} / -{s['lines_removed']} lines); source of truth "
           f"{plan.sot.commit[:12]}, running configs from {plan.source}."]
    if s["hubs"]:
        out.append(f"  hubs:  {', '.join(s['hubs'])}")
    if s["sites"]:
        out.append(f"  sites: {', '.join(s['sites'])}")
    skipped = [r for r in plan.routers if r.action == "skip"]
    for r in skipped:
        out.append(f"  skipped {r.host}: {r.note}")
    risky = [r for r in plan.changes if r.risks]
    if risky:
        out.append("")
        out.append("Risks:")
        for r in risky:
            out.append(f"  {r.host}: {'; '.join(r.risks)}")
    if show_commands:
        for r in plan.changes:
            out.append("")
            out.append(f"# {r.host} ({r.platform}, {r.role}{', ' + r.site if r.site else ''}):"
                       f" +{r.added} -{r.removed}")
            out.extend(f"  {line}" for cmd in r.commands for line in cmd.split("\n"))
    if not plan.changes:
        out.append("No changes. The routers match the source of truth.")
    return "\n".join(out) + "\n"


def markdown(plan: Plan) -> str:
    """For a pull-request comment: a table, risks, and commands folded per router."""
    s = summary(plan)
    out = [f"### pydriver plan: {s['to_change']} of {s['routers']} routers change",
           "", f"Source of truth `{plan.sot.commit[:12]}`, running configs from "
           f"{plan.source}; +{s['lines_added']} / -{s['lines_removed']} lines.", "",
           "| router | role | site | action | + | - | risks |",
           "|---|---|---|---|---|---|---|"]
    for r in plan.routers:
        if r.action == "noop":
            continue
        out.append(f"| {r.host} | {r.role} | {r.site or ''} | {r.action} | {r.added} | "
                   f"{r.removed} | {'; '.join(r.risks) or r.note} |")
    for r in plan.changes:
        out += ["", f"<details><summary>{r.host}: {len(r.commands)} commands</summary>", "",
                "```", *[line for cmd in r.commands for line in cmd.split("\n")], "```",
                "</details>"]
    return "\n".join(out) + "\n"
