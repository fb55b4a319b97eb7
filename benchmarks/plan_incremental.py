"""A one-site change planned against backups on a generated region, full and incremental.

The backups are the rendered configs of the region (every router converged), normalised as
``pydriver backup`` stores them; then one site changes its bandwidth. Measured in one child
process per N, CPU seconds per step (the plan's forked workers included) and wall
seconds beside them:

    full         plan every router from the backups (what a first plan costs)
    incremental  a one-site change planned with the previous plan at hand: only the routers
                 whose intent or running text changed are rendered and diffed

and the command a network engineer runs, ``pydriver plan --from backups`` in a process of
its own (start-up, load, validate, intents, the plan, the plan's JSON and its cache
included), once before any change (no last plan: every router is diffed, no file parsed
before) and after each change (the last plan and the files parsed by the run before at
hand), wall and CPU seconds.

``--repeat`` one-site changes are made in a row (the site's guarantee goes 1, 2, 1, ...
Mbps), each planned both ways; the table shows the median, the JSON every run (the
machine's other work moves a single run by a third). The last incremental plan is
compared router by router with a full plan of the same state (they must be equal).
Prints a table, writes ``benchmarks/results/plan_incremental.json``. Not a test. Run:

    python benchmarks/plan_incremental.py [--sizes 1k,3k] [--repeat 5] [--workdir DIR]
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    compiled,
    cpu_with_workers,
    inventory_for,
    parse_sizes,
    run_child,
    scale_options,
    table,
    write_results,
)


def _clock() -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process and of the workers it has waited for
    (a plan diffs routers in forked workers: their CPU is the plan's too)."""
    return time.perf_counter(), cpu_with_workers()


def child(inventory: Path, repeat: int) -> dict[str, Any]:
    import shutil

    from pydriver.pipeline import Pipeline

    work = Path(tempfile.mkdtemp(prefix="pd-incr-"))
    inv = work / "inventory"
    shutil.copytree(inventory, inv)
    # this process's parsed files apart from the command's, whose first run finds no
    # cache (as on a fresh machine) and whose runs after a change find its own; both out
    # of the folder holding the inventory, which a cache may never be in
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="pd-incr-cache-")
    out: dict[str, Any] = {}

    def step(name: str, started: tuple[float, float]) -> None:
        wall, cpu = _clock()
        out[name] = round(cpu - started[1], 3)
        out[f"{name}_wall"] = round(wall - started[0], 3)

    t = _clock()
    first = Pipeline(inv)
    rendered = first.rendered
    # what the backups repository holds: each router's config in its normalised form, as
    # ``pydriver backup`` stores it
    running = {h: first.driver(first.intents[h].platform).normalise(
        c.main if len(c.files) == 1 else
        "".join(f"### pydriver file: {n}\n{x}" for n, x in c.files))
        for h, c in rendered.items()}
    step("render_backups", t)
    t = _clock()
    before = first.plan(running, "backups")
    step("full_plan", t)
    command = _command_runs(work, inv, first, running)
    out.update(command.run("full"))
    site = next(p for p in sorted((inv / "sites").glob("*.yml")))
    text = site.read_text()
    # One-site changes in a row, each planned with the last plan at hand (the machine's
    # other work moves a single run by a third: the median of several is what is shown).
    # A guarantee of 1 or 2 Mbps, in turn: valid whatever the site had (an uplink may be
    # fully booked).
    previous, runs = before, []
    for n in range(repeat):
        site.write_text(re.sub(r"guaranteed_mbps: \d+", f"guaranteed_mbps: {1 + n % 2}", text,
                               count=1))
        run: dict[str, float] = {}
        t = _clock()
        again = Pipeline(inv)
        _ = again.intents
        wall, cpu = _clock()
        run["load_validate_intent"] = cpu - t[1]
        t = (wall, cpu)
        after = again.plan(running, "backups", previous=previous)
        wall, cpu = _clock()
        run["incremental_plan"], run["incremental_plan_wall"] = cpu - t[1], wall - t[0]
        run.update(command.run("incremental"))
        runs.append(run)
        last, previous = previous, after
    for key in runs[0]:
        values = sorted(r[key] for r in runs)
        out[key] = round(values[len(values) // 2], 3)
        out[f"{key}_runs"] = [round(r[key], 3) for r in runs]
    full = Pipeline(inv).plan(running, "backups")
    out["equal"] = after.routers == full.routers
    out["routers"] = len(after.routers)
    out["changed"] = len(after.changes)
    hashes = {r.host: (r.intent_hash, r.source_hash) for r in last.routers}
    out["rendered_again"] = sum(1 for r in after.routers
                                if (r.intent_hash, r.source_hash) != hashes[r.host])
    shutil.rmtree(work)
    shutil.rmtree(command.cache)
    shutil.rmtree(os.environ["XDG_CACHE_HOME"])
    return out


class _Command:
    """``pydriver plan --from backups`` run as a user runs it, in its own process."""

    def __init__(self, work: Path, inv: Path) -> None:
        self.work, self.inv = work, inv
        compiled(Path(__file__).resolve().parent.parent)  # as installed: no module compiled
        self.cache = Path(tempfile.mkdtemp(prefix="pd-incr-cache-"))
        self.env = {**os.environ, "XDG_CACHE_HOME": str(self.cache)}

    def run(self, name: str) -> dict[str, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", "from pydriver.cli.main import run; run()", "plan",
             "-i", str(self.inv), "--from", "backups", "--backups", str(self.work / "backups"),
             "--format", "json"], env=self.env, capture_output=True, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 2):
            raise SystemExit(f"pydriver plan failed: {done.stderr.decode()[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return {f"command_{name}_wall": round(wall, 3), f"command_{name}_cpu": round(cpu, 3)}


def _command_runs(work: Path, inv: Path, pipe: Any, running: dict[str, str]) -> _Command:
    """The command, with the backups repository it reads written out."""
    from pydriver.deploy.backup import file_name
    backups = work / "backups"
    backups.mkdir()
    for host, text in running.items():
        (backups / file_name(host, pipe.intents[host].platform.value)).write_text(text)
    return _Command(work, inv)


def main() -> None:
    parser = scale_options(__doc__.splitlines()[0], "1k,3k")
    parser.add_argument("--repeat", type=int, default=5,
                        help="one-site changes in a row (the median is shown)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat)))
        return
    rows, results = [], {}
    for n in parse_sizes(args.sizes):
        inv = inventory_for(n, args.workdir)
        run = run_child([__file__, "--child", str(inv), "--repeat", str(args.repeat)])
        d = run.data
        results[str(n)] = {**d, "peak_rss_mb": run.peak_rss_mb}
        rows.append((n, d["routers"], f'{d["full_plan"]} / {d["full_plan_wall"]}',
                     d["load_validate_intent"],
                     f'{d["incremental_plan"]} / {d["incremental_plan_wall"]}',
                     d["rendered_again"], d["changed"], d["equal"],
                     f'{d["command_full_cpu"]} / {d["command_full_wall"]}',
                     f'{d["command_incremental_cpu"]} / {d["command_incremental_wall"]}'))
    print(f"seconds: CPU (worker processes included) / wall; after a change: the median of "
          f"{args.repeat} one-site changes")
    print(table(("N", "routers", "full plan", "load+validate+intent", "incremental plan",
                 "diffed again", "changed", "equal", "command, first",
                 "command, after the change"), rows))
    print(f"wrote {write_results('plan_incremental', {'sizes': results})}")


if __name__ == "__main__":
    main()
