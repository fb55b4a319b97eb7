"""Remediation (the plan's diff) of each platform's biggest hub, over N sites.

For each N a generated inventory (``benchmarks/generate.py``) is validated, built and its
hubs rendered in a fresh child process; then, for the largest hub of each platform, the
driver's ``normalise`` + ``remediation`` is timed against two running configs:

    factory   the router as it comes out of the box (RouterOS defconf export, IOS-XE
              factory startup-config, a bare FRR): the first push, everything added
    one-site  the hub as rendered before one of its sites changed (guaranteed/max Mbps
              and one more LAN zone): the everyday plan, a handful of lines

Reported: CPU seconds of the process per (N, hub, scenario) (best of up to three while
runs are quick; CPU time, so other work on a shared machine does not inflate it; wall
time is in the JSON), commands produced, and the growth exponent of
the time over N and over the hub's rendered lines (least squares on log-log). Prints a
table and writes ``benchmarks/results/plan_scale.json``. Not a test. Run:

    python benchmarks/plan_scale.py [--sizes 100,1k,3k] [--platforms mikrotik_routeros]
                                    [--profile mikrotik_routeros]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    exponent,
    inventory_for,
    parse_sizes,
    run_child,
    table,
    write_results,
)
from pydriver.sot.models import Platform

PLATFORMS = tuple(p.value for p in Platform)
SCENARIOS = ("factory", "one-site")


def _factory(platform: Platform, host: str, model: str) -> str:
    """What the router shows before pydriver ever touched it (what the lab's twins and
    the offline round-trip tests start from)."""
    if platform is Platform.MIKROTIK_ROUTEROS:
        from pydriver.platforms.emulation import NoTimers
        from pydriver.platforms.mikrotik_routeros import users
        from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

        engine = RouterOSEngine(host, model, scheduler=NoTimers())
        return users.with_users(engine.export("show-sensitive"), engine.run(users.PRINT))
    if platform is Platform.CISCO_IOS:
        from pydriver.platforms.cisco_ios.engine.models import factory_config, hardware

        return factory_config(hardware(model), host)
    from pydriver.lab.netns.rootfs import factory_frr_conf
    from pydriver.platforms.linux_frr import driver as frr

    return frr.join({"frr.conf": factory_frr_conf(host)})


def _as_running(platform: Platform, config: Any) -> str:
    """A rendered config as the router would show it once converged (secrets stay
    placeholders, as plan reads them)."""
    if platform is Platform.LINUX_FRR:
        from pydriver.platforms.linux_frr import driver as frr

        return str(frr.join(dict(config.files)))
    return str(config.main)


def child(inventory: Path, platforms: list[str], profile: str | None, repeat: int
          ) -> dict[str, Any]:
    from benchmarks.stages import build_intents, network, render_router
    from pydriver.platforms.registry import driver
    from pydriver.sot.models import ZoneKind

    net = network(inventory)
    intents = build_intents(net)
    hubs: dict[str, str] = {}
    for host, intent in intents.items():
        p = intent.platform.value
        if intent.is_hub and p in platforms and (
                p not in hubs or len(intent.bgp.neighbors) >
                len(intents[hubs[p]].bgp.neighbors)):
            hubs[p] = host
    # one site of each chosen hub changes: more bandwidth and one more zone
    changed_sites = []
    for host in hubs.values():
        site = next(s for s in reversed(net.sites) if any(x.hub == host for x in s.links)
                    and len(s.zones) < len(ZoneKind))
        kinds = {z.kind for z in s.zones} if (s := site) else set()
        extra = next(k for k in ZoneKind if k not in kinds)
        zone = site.zones[0].model_copy(update={"kind": extra, "interface": "zz-extra"})
        bw = site.bandwidth.model_copy(update={"guaranteed_mbps": site.bandwidth.guaranteed_mbps
                                               + 1})
        changed_sites.append(site.model_copy(update={"zones": (*site.zones, zone),
                                                     "bandwidth": bw}))
    by_id = {s.id: s for s in changed_sites}
    before_net = net.model_copy(update={"sites": tuple(by_id.get(s.id, s) for s in net.sites)})
    before = build_intents(before_net)
    out: dict[str, Any] = {"sites": len(net.sites), "hubs": {}}
    for platform, host in sorted(hubs.items()):
        intent = intents[host]
        intended = render_router(intent)
        runs = {"factory": _factory(intent.platform, host, intent.model),
                "one-site": _as_running(intent.platform, render_router(before[host]))}
        drv = driver(intent.platform)
        figures: dict[str, Any] = {}
        for scenario, running in runs.items():
            best: dict[str, float] = {}
            spent = 0.0
            for attempt in range(repeat):  # best of a few while they are quick
                if attempt and spent > 3.0:
                    break
                prof = cProfile.Profile() if profile == platform and not attempt else None
                t = time.process_time()
                normalised = drv.normalise(running)
                t_norm = time.process_time() - t
                if prof is not None:
                    prof.enable()
                t, w = time.process_time(), time.perf_counter()
                rem = drv.remediation(normalised, intended)
                t_rem, w_rem = time.process_time() - t, time.perf_counter() - w
                if prof is not None:
                    prof.disable()
                    buf = io.StringIO()
                    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
                    print(f"== profile {host} {scenario}\n{buf.getvalue()}", file=sys.stderr)
                spent += t_norm + t_rem
                for key, value in (("normalise_s", t_norm), ("remediation_s", t_rem),
                                   ("remediation_wall_s", w_rem)):
                    best[key] = min(best.get(key, value), value)
            figures[scenario] = {**best, "commands": len(rem.commands),
                                 "rollback": len(rem.rollback)}
        out["hubs"][host] = {"platform": platform, "neighbors": len(intent.bgp.neighbors),
                             "lines": intended.main.count("\n"), "scenarios": figures}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hub remediation time over N")
    parser.add_argument("--sizes", default="100,1k,3k,10k")
    parser.add_argument("--platforms", default=",".join(PLATFORMS))
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "pydriver-bench")
    parser.add_argument("--seed", type=int, default=52)
    parser.add_argument("--profile", help="cProfile the remediation of this platform's hub "
                        "(printed on stderr)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs, for "
                        "runs under 3 s")
    parser.add_argument("--out", default="plan_scale", help="results file name")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    platforms = [p for p in args.platforms.split(",") if p]
    if args.child is not None:
        print(json.dumps(child(args.child, platforms, args.profile, args.repeat)))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, Any]] = []
    for n in parse_sizes(args.sizes):
        inv = inventory_for(n, args.workdir, args.seed)
        extra = ["--profile", args.profile] if args.profile else []
        extra += ["--repeat", str(args.repeat)]
        done = run_child([str(Path(__file__).resolve()), "--child", str(inv),
                          "--platforms", ",".join(platforms), *extra])
        runs.append({"n": n, **done.data, "peak_rss_mb": done.peak_rss_mb,
                     "wall_s": done.wall_s})
        for host, h in done.data["hubs"].items():
            s = h["scenarios"]
            print(f"N={n} {host} ({h['platform']}, {h['lines']} lines): factory "
                  f"{s['factory']['remediation_s']:.2f} s, one-site "
                  f"{s['one-site']['remediation_s']:.2f} s", flush=True)
    rows: list[list[object]] = []
    exps: dict[str, dict[str, float | None]] = {}
    for platform in platforms:
        series = [(r["n"], h) for r in runs for h in r["hubs"].values()
                  if h["platform"] == platform]
        for scenario in SCENARIOS:
            for n, h in series:
                f = h["scenarios"][scenario]
                rows.append([platform, scenario, n, h["neighbors"], h["lines"],
                             f["normalise_s"], f["remediation_s"], f["commands"]])
            times = [h["scenarios"][scenario]["remediation_s"] for _, h in series]
            exps[f"{platform}/{scenario}"] = {
                "over_n": exponent([n for n, _ in series], times),
                "over_lines": exponent([h["lines"] for _, h in series], times)}
    print()
    print(table(["platform", "running", "N", "neighbours", "lines", "normalise cpu s",
                 "remediation cpu s", "commands"], rows))
    print()
    print(table(["platform/running", "exp over N", "exp over lines"],
                [[k, v["over_n"], v["over_lines"]] for k, v in exps.items()]))
    path = write_results(args.out, {"scenarios": list(SCENARIOS), "runs": runs,
                                    "exponents": exps})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
