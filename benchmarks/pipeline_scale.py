"""Validate + render at the size of a province and of the nation, stage by stage.

For each N (default 100, 1k, 3k, 10k; ``--nation`` adds 30k) a generated inventory
(``benchmarks/generate.py``) goes through the pure stages in a fresh child process:

    load      YAML files -> located documents        (pydriver.sot.loader.load)
    validate  documents -> Network                    (pydriver.sot.validate.validate)
    intent    Network -> DeviceIntent per router      (pydriver.intent.build.build)
    sites     render every site router                (pydriver.render.render.render_one)
    hubs      render every hub router

The load is timed twice: as above, every file parsed (a fresh machine, a CI job), and
with the files' data read back from the parse cache filled by a load before
(``load_cached``: a command run again on the same files, or after a one-file change, on
an engineer's machine); the total is the first.

Reported per N: CPU seconds per stage (the process's own and those of the workers it
forked, as a first load parses in workers: CPU, so that other work on a shared machine
does not inflate them; wall seconds are in the JSON too), the slowest hub, peak
RSS of the child (``ru_maxrss`` from ``wait4``) and the RSS high-water mark after each
stage; then the growth exponent of each stage over N (least squares on log-log: 1.0 is
linear, 2.0 quadratic). Then the render stage once more as the pipeline runs it
(``render``: in forked workers, one per CPU, from 400 routers), CPU seconds of the workers
included and wall seconds. Last, the command a CI job runs, ``pydriver validate`` (load,
validate, intents, every router rendered, in a process of its own: start-up and exit
included), twice with a user cache of its own: first with none (nothing parsed or compiled
before), then again. Prints a table and writes ``benchmarks/results/pipeline_scale.json``.
Not a test. Run:

    python benchmarks/pipeline_scale.py [--sizes 100,1k,3k,10k] [--nation] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    cpu_with_workers,
    exponent,
    inventory_for,
    parse_sizes,
    pydriver_command,
    run_child,
    table,
    write_results,
)

STAGES = ("load", "validate", "intent", "sites", "hubs")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(inventory: Path) -> dict[str, Any]:
    """Run the stages once on ``inventory``; the figures as a JSON-able dict."""
    from benchmarks.stages import build_intents, load, render_router, validated
    from pydriver.bulk import collector_paused
    from pydriver.platforms.registry import driver
    from pydriver.render.render import render

    seconds: dict[str, float] = {}
    wall: dict[str, float] = {}
    peak: dict[str, float] = {}

    def mark(stage: str, started: tuple[float, float]) -> None:
        seconds[stage] = cpu_with_workers() - started[0]
        wall[stage] = time.perf_counter() - started[1]
        peak[stage] = _peak_mb()

    def now() -> tuple[float, float]:
        return cpu_with_workers(), time.perf_counter()

    peak["start"] = _peak_mb()
    t = now()
    source = load(inventory)
    mark("load", t)
    with tempfile.TemporaryDirectory() as tmp:
        kept = Path(tmp) / "documents.jsonl"
        load(inventory, cache=kept)
        t = now()
        load(inventory, cache=kept)
        cached = {"seconds": cpu_with_workers() - t[0], "wall": time.perf_counter() - t[1]}
    t = now()
    net = validated(source)
    mark("validate", t)
    del source
    t = now()
    intents = build_intents(net)
    mark("intent", t)
    rendered = {}
    hub_seconds: dict[str, float] = {}
    t = now()
    with collector_paused():  # as the pipeline's render stage runs
        for host in sorted(h for h, i in intents.items() if not i.is_hub):
            rendered[host] = render_router(intents[host])
    mark("sites", t)
    t = now()
    with collector_paused():
        for host in sorted(h for h, i in intents.items() if i.is_hub):
            one = time.process_time()
            rendered[host] = render_router(intents[host])
            hub_seconds[host] = time.process_time() - one
    mark("hubs", t)
    hubs = {h: {"seconds": hub_seconds[h], "platform": intents[h].platform.value,
                "neighbors": len(intents[h].bgp.neighbors),
                "lines": rendered[h].main.count("\n")} for h in hub_seconds}
    rendered_mb = sum(len(t) for c in rendered.values() for _, t in c.files) / 1e6
    # the render stage as the pipeline runs it: every router, in forked workers when
    # there are enough of them (their CPU counted with this process's)
    del rendered
    started, cpu = time.perf_counter(), cpu_with_workers()
    staged = render(intents, driver)
    stage_run = {"wall": time.perf_counter() - started, "cpu": cpu_with_workers() - cpu,
                 "routers": len(staged)}
    return {"sites": len(net.sites), "routers": len(intents), "seconds": seconds,
            "wall_seconds": wall, "peak_mb": peak, "hubs": hubs, "rendered_mb": rendered_mb,
            "render_stage": stage_run, "load_cached": cached}


def _command(inventory: Path) -> dict[str, float]:
    """``pydriver validate`` on ``inventory``, first with an empty user cache, then again:
    wall seconds, and CPU seconds with its forked workers."""
    out: dict[str, float] = {}
    cache = Path(tempfile.mkdtemp(prefix="pd-validate-cache-"))
    try:
        for name in ("first", "again"):
            wall, cpu = pydriver_command(Path(__file__).resolve().parent.parent,
                                         ["validate", "-i", str(inventory)], cache)
            out[f"{name}_wall"], out[f"{name}_cpu"] = round(wall, 3), round(cpu, 3)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return out


def _to_render(run: dict[str, Any], load_wall: float) -> float:
    """Wall seconds from load to rendered, the render stage run as the pipeline runs it."""
    return float(load_wall + sum(run["wall_seconds"][s] for s in ("validate", "intent")) +
                 run["render_stage"]["wall"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="validate + render, stage by stage, over N")
    parser.add_argument("--sizes", default="100,1k,3k,10k",
                        help="comma-separated site counts (k = thousand)")
    parser.add_argument("--nation", action="store_true", help="also 30k sites (minutes)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) /
                        "pydriver-bench", help="where generated inventories are kept")
    parser.add_argument("--seed", type=int, default=52)
    parser.add_argument("--out", default="pipeline_scale", help="results file name")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0
    sizes = parse_sizes(args.sizes) + ([30000] if args.nation else [])
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, Any]] = []
    for n in sizes:
        inv = inventory_for(n, args.workdir, args.seed)
        done = run_child([str(Path(__file__).resolve()), "--child", str(inv)])
        run = {"n": n, **done.data, "peak_rss_mb": done.peak_rss_mb, "wall_s": done.wall_s,
               "command": _command(inv)}
        runs.append(run)
        big = max(run["hubs"].items(), key=lambda kv: kv[1]["seconds"])
        print(f"N={n}: {sum(run['seconds'].values()):.1f} cpu s in stages, "
              f"{done.wall_s:.1f} s wall, peak {done.peak_rss_mb:.0f} MB; slowest hub "
              f"{big[0]} ({big[1]['platform']}, {big[1]['neighbors']} neighbours) "
              f"{big[1]['seconds']:.2f} s", flush=True)
    headers = ["N", *[f"{s} s" for s in STAGES], "total cpu s", "wall s", "peak MB",
               "load cached s"]
    rows = [[r["n"], *[r["seconds"][s] for s in STAGES], sum(r["seconds"].values()),
             r["wall_s"], r["peak_rss_mb"], r["load_cached"]["seconds"]] for r in runs]
    ns = [r["n"] for r in runs]
    exps = {s: exponent(ns, [r["seconds"][s] for r in runs]) for s in STAGES}
    exps["total"] = exponent(ns, [sum(r["seconds"].values()) for r in runs])
    exps["peak_rss"] = exponent(ns, [r["peak_rss_mb"] for r in runs])
    exps["load_cached"] = exponent(ns, [r["load_cached"]["seconds"] for r in runs])
    rows.append(["exp", *[exps[s] for s in STAGES], exps["total"], None, exps["peak_rss"],
                 exps["load_cached"]])
    print()
    print(table(headers, rows))
    print()
    hub_rows = []
    for r in runs:
        for host, h in sorted(r["hubs"].items(), key=lambda kv: -kv[1]["seconds"])[:4]:
            hub_rows.append([r["n"], host, h["platform"], h["neighbors"], h["lines"],
                             h["seconds"], h["seconds"] * 1000 / max(h["neighbors"], 1)])
    print(table(["N", "hub", "platform", "neighbours", "lines", "render cpu s",
                 "ms/neighbour"],
                hub_rows))
    print()
    print("The render stage as the pipeline runs it (forked workers, one per CPU):")
    print(table(["N", "routers", "cpu s (workers included)", "wall s",
                 "load+validate+intent+render wall s", "the same, load cached"],
                [[r["n"], r["render_stage"]["routers"], r["render_stage"]["cpu"],
                  r["render_stage"]["wall"], _to_render(r, r["wall_seconds"]["load"]),
                  _to_render(r, r["load_cached"]["wall"])] for r in runs]))
    print()
    print("`pydriver validate` as a command (seconds, CPU with its workers / wall):")
    print(table(["N", "first, no cache", "again"],
                [[r["n"], f'{r["command"]["first_cpu"]} / {r["command"]["first_wall"]}',
                  f'{r["command"]["again_cpu"]} / {r["command"]["again_wall"]}']
                 for r in runs]))
    path = write_results(args.out, {"stages": list(STAGES), "runs": runs, "exponents": exps})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
