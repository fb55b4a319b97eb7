"""A plan for people: the summary first, then risks, then the commands router by router.

Text is for a terminal or a log (commands last, so a reader sees what matters before
scrolling), Markdown for a pull-request comment: a table, the risks, and each router's
removed lines and commands folded away, shortened to fit the comment limit when needed.
"""

from __future__ import annotations

from pydriver.plan.model import Plan, RouterPlan, summary
from pydriver.report import GITHUB_LIMIT
from pydriver.report.budget import Part, fit


def headline(plan: Plan, target: str = "") -> str:
    """The one line that says what the plan does."""
    s = summary(plan)
    created = f", {len(s['created'])} new" if s["created"] else ""
    where = f" Target: {target}." if target else ""
    return (f"Plan: {s['to_change']} of {s['routers']} routers to change{created} "
            f"(+{s['lines_added']} / -{s['lines_removed']} lines); source of truth "
            f"{plan.sot.commit[:12]}, running configs from {plan.source}.{where}")


def text(plan: Plan, show_commands: bool = True, target: str = "") -> str:
    """Summary, risks, then (``show_commands``) every router's commands."""
    s = summary(plan)
    out = [headline(plan, target)]
    if s["hubs"]:
        out.append(f"  hubs:  {', '.join(s['hubs'])}")
    if s["sites"]:
        out.append(f"  sites: {', '.join(s['sites'])}")
    if s["created"]:
        out.append(f"  new (nothing of pydriver's on them yet): {', '.join(s['created'])}")
    for r in plan.routers:
        if r.action == "skip":
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
            out.append(f"# {r.host} ({r.action}; {r.platform}, {r.role}"
                       f"{', ' + r.site if r.site else ''}): +{r.added} -{r.removed}")
            out.extend(f"  {line}" for cmd in r.commands for line in cmd.split("\n"))
    elif plan.changes:
        out.append("")
        out.append(f"({sum(len(r.commands) for r in plan.changes)} commands not shown: "
                   "--verbose shows them)")
    if not plan.changes:
        out.append("No changes. The routers match the source of truth.")
    return "\n".join(out) + "\n"


def _fence(lines: list[str], lang: str = "") -> list[str]:
    """A code block that no line of ``lines`` can close early."""
    ticks = "```"
    while any(line.lstrip().startswith(ticks) for line in lines):
        ticks += "`"
    return [f"{ticks}{lang}", *lines, ticks]


def router_block(r: RouterPlan) -> str:
    """One router's removed lines and commands, folded."""
    lines = [line for cmd in r.commands for line in cmd.split("\n")]
    out = ["", f"<details><summary>{r.host} ({r.action}): {len(r.commands)} commands, "
               f"+{r.added} -{r.removed}</summary>", ""]
    if r.removed_lines:
        out += [f"Removed or replaced ({len(r.removed_lines)}):", "",
                *_fence([f"- {line}" for line in r.removed_lines], "diff"), ""]
    out += ["Commands:", "", *_fence(lines), "", "</details>"]
    return "\n".join(out) + "\n"


def markdown(plan: Plan, max_chars: int = GITHUB_LIMIT, summary_only: bool = False,
             target: str = "", full_report: str = "") -> str:
    """For a pull-request comment: summary, a table, risks, then each router folded.

    Past ``max_chars`` the routers' blocks become one line each, then one line in all;
    the summary, the table and the risks are never cut. ``full_report`` names where the
    whole plan is (said when something was left out)."""
    s = summary(plan)
    head = [f"### pydriver plan: {s['to_change']} of {s['routers']} routers change", "",
            f"Source of truth `{plan.sot.commit[:12]}`, running configs from {plan.source}; "
            f"+{s['lines_added']} / -{s['lines_removed']} lines."]
    if target:
        head += ["", f"**Target: {target}.**"]
    shown = [r for r in plan.routers if r.action != "noop"]
    if not plan.changes:
        head += ["", "No changes. The routers match the source of truth."]
    if shown:
        head += ["", "| router | role | site | action | + | - | risks |",
                 "|---|---|---|---|---|---|---|"]
        head += [f"| {r.host} | {r.role} | {r.site or ''} | {r.action} | {r.added} | "
                 f"{r.removed} | {'; '.join(r.risks) or r.note} |" for r in shown]
    risky = [r for r in plan.changes if r.risks]
    if risky:
        head += ["", "**Risks:**", ""] + [f"- {r.host}: {'; '.join(r.risks)}" for r in risky]
    parts = [Part("summary", ("\n".join(head) + "\n",))]
    if plan.changes and not summary_only:
        where = f" (the whole plan: {full_report})" if full_report else ""
        full = "".join(router_block(r) for r in plan.changes)
        lines = "".join(f"- {r.host} ({r.action}): {len(r.commands)} commands, +{r.added} "
                        f"-{r.removed}\n" for r in plan.changes)
        parts.append(Part("routers", (
            full,
            f"\nCommands left out to fit the comment limit{where}:\n\n{lines}",
            f"\nCommands of {len(plan.changes)} routers left out to fit the comment "
            f"limit{where}.\n")))
    return fit(parts, max_chars).text
