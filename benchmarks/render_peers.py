"""pydriver's render beside the usual ways of rendering the same templates: Nornir and Ansible.

The same intents (a generated inventory's site routers, ``benchmarks/generate.py``) and
the same templates and filters go through:

    pydriver  ``pydriver.render.render.render_one`` per router (what ``pydriver render``
              does, minus writing files)
    nornir    nornir_jinja2's ``template_file`` task, one per file of each router, on
              Nornir's default threaded runner (20 workers) in this process, with
              pydriver's Jinja environment so the templates and filters are the same
    nornir, an environment per call
              the same, with a new environment (pydriver's loader, options and filters)
              for every call: what ``template_file(path=...)``, nornir_jinja2's
              documented use, does, so every call compiles its template again. (Its own
              environment leaves ``lstrip_blocks`` off, so its output would not be
              pydriver's; the options are pydriver's, the cost is the same.)
    ansible   ``ansible-playbook`` on localhost (``connection: local``), the
              ``ansible.builtin.template`` module per file of each router; the intents
              reach the templates as host variables through a vars plugin, the filters
              through a filter plugin, the templates from a copy of pydriver's tree

Every peer's output is checked to be pydriver's (blank-line tidying aside, which pydriver
does after Jinja) so the comparison is like for like. Reported per N: wall and CPU seconds
(best of three for the two in-process ones; Ansible's CPU includes its worker processes
and module runs), milliseconds per router,
and the ratio peer / pydriver. Prints a table and writes
``benchmarks/results/render_peers.json``. Not a test. Run:

    python benchmarks/render_peers.py [--sizes 100,1k] [--forks 10] [--skip-ansible]
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import inventory_for, parse_sizes, table, write_results
from benchmarks.stages import build_intents, env, files_of, load, render_router, validated
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.registry import driver
from pydriver.render import render as render_stage
from pydriver.render.environment import environment as render_environment
from pydriver.sot.models import Platform

Outputs = dict[str, dict[str, str]]  # host -> file name -> text


def tidy(text: str, platform: Platform) -> str:
    """pydriver's blank-line tidying (its step after Jinja), applied to a peer's output."""
    return render_stage._tidy(text, keep_blank=driver(platform).keep_blank_lines)


def timed(run: Callable[[], Outputs], repeat: int = 3) -> tuple[Outputs, float, float]:
    """The output and the best wall and CPU seconds of ``repeat`` runs (in-process ones are
    quick, and a shared machine adds noise to any single run)."""
    best_wall = best_cpu = float("inf")
    out: Outputs = {}
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        out = run()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return out, best_wall, best_cpu


# ---------------------------------------------------------------------------- pydriver


def with_pydriver(intents: Mapping[str, DeviceIntent]) -> Outputs:
    return {host: dict(render_router(intent).files) for host, intent in intents.items()}


# ---------------------------------------------------------------------------- nornir


def with_nornir(intents: Mapping[str, DeviceIntent], per_call: bool = False
                ) -> tuple[Outputs, float, float]:
    from nornir.core import Nornir
    from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
    from nornir.core.task import MultiResult, Result, Task
    from nornir.plugins.runners import ThreadedRunner
    from nornir_jinja2.plugins.tasks import template_file

    environment = env()
    platforms = tuple(driver(p) for p in Platform)
    environment_of = render_environment.__wrapped__  # the same environment, not cached
    hosts = Hosts({h: Host(h, data={"intent": i}) for h, i in intents.items()})
    nr = Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                runner=ThreadedRunner(num_workers=20))

    def render_router(task: Task) -> Result:
        intent: DeviceIntent = task.host.data["intent"]
        out = {}
        for name, template in files_of(intent):
            fresh = environment_of(platforms) if per_call else environment
            done = task.run(task=template_file, template=template, jinja_env=fresh,
                            d=intent)
            out[name] = tidy(done.result, intent.platform)
        return Result(host=task.host, result=out)

    def run() -> Outputs:
        results = nr.run(task=render_router)
        failed = [h for h, r in results.items() if r.failed]
        if failed:
            first: MultiResult = results[failed[0]]
            raise RuntimeError(f"nornir failed on {len(failed)} hosts: {first.exception}")
        return {h: r[0].result for h, r in results.items()}

    return timed(run)


# ---------------------------------------------------------------------------- ansible

_VARS_PLUGIN = '''
"""Host variables for the render benchmark: each router's DeviceIntent as ``d``."""
import os
import pickle

from ansible.plugins.vars import BaseVarsPlugin

_INTENTS = {}


class VarsModule(BaseVarsPlugin):
    REQUIRES_ENABLED = False

    def get_vars(self, loader, path, entities, cache=True):
        if not _INTENTS:
            with open(os.environ["PYDRIVER_BENCH_INTENTS"], "rb") as f:
                _INTENTS.update(pickle.load(f))
        out = {}
        for entity in entities if isinstance(entities, list) else [entities]:
            found = _INTENTS.get(getattr(entity, "name", None))
            if found is not None:
                out.update(found)
        return out
'''
_FILTER_PLUGIN = '''
from benchmarks.stages import env


class FilterModule:
    def filters(self):
        return dict(env().filters)
'''
_PLAYBOOK = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: render the router's files
      ansible.builtin.template:
        src: "{{ item.1 }}"
        dest: "{{ bench_out }}/{{ inventory_hostname }}/{{ item.0 }}"
        trim_blocks: true
        lstrip_blocks: true
        mode: "0644"
      loop: "{{ bench_files }}"
'''


def _ansible_tree(work: Path, intents: Mapping[str, DeviceIntent]) -> Path:
    """A playbook directory: templates, the vars and filter plugins, inventory, config."""
    import pydriver.render as render_pkg

    templates = work / "templates"
    shutil.copytree(Path(render_pkg.__file__).parent / "templates" / "common",
                    templates / "common")
    for p in Platform:
        import importlib

        pkg = importlib.import_module(f"pydriver.platforms.{p.value}")
        shutil.copytree(Path(pkg.__file__ or "").parent / "templates", templates / p.value)
    (work / "vars_plugins").mkdir()
    (work / "vars_plugins" / "pydriver_bench_intents.py").write_text(_VARS_PLUGIN)
    (work / "filter_plugins").mkdir()
    (work / "filter_plugins" / "pydriver_filters.py").write_text(_FILTER_PLUGIN)
    (work / "site.yml").write_text(_PLAYBOOK)
    out = work / "out"
    for host in intents:
        (out / host).mkdir(parents=True)
    data = {h: {"d": i, "bench_files": files_of(i), "bench_out": str(out)}
            for h, i in intents.items()}
    with (work / "intents.pickle").open("wb") as f:
        pickle.dump(data, f)
    (work / "hosts").write_text("".join(f"{h}\n" for h in intents))
    (work / "ansible.cfg").write_text(textwrap.dedent(f"""\
        [defaults]
        host_key_checking = False
        retry_files_enabled = False
        interpreter_python = {sys.executable}
        stdout_callback = default
        display_ok_hosts = False
        display_skipped_hosts = False
        """))
    return out


def with_ansible(intents: Mapping[str, DeviceIntent], forks: int
                 ) -> tuple[Outputs, float, float]:
    with tempfile.TemporaryDirectory(prefix="pydriver-ansible-") as tmp:
        work = Path(tmp)
        out = _ansible_tree(work, intents)
        env = dict(os.environ)
        env.update({"ANSIBLE_CONFIG": str(work / "ansible.cfg"),
                     "PYDRIVER_BENCH_INTENTS": str(work / "intents.pickle"),
                     "PYTHONPATH": os.pathsep.join(
                         p for p in (str(Path(__file__).resolve().parent.parent),
                                     env.get("PYTHONPATH")) if p)})
        cmd = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", "hosts",
               "-c", "local", "--forks", str(forks), "site.yml"]
        with (work / "log").open("wb") as log:
            wall = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - wall
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            tail = (work / "log").read_text()[-3000:]
            raise RuntimeError(f"ansible-playbook exited {proc.returncode}:\n{tail}")
        outputs = {h: {name: tidy((out / h / name).read_text(), i.platform)
                       for name, _ in files_of(i)} for h, i in intents.items()}
    return outputs, wall, usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------- main


def compare(n: int, forks: int, skip_ansible: bool, workdir: Path, seed: int
            ) -> list[dict[str, Any]]:
    inv = inventory_for(n, workdir, seed)
    every = build_intents(validated(load(inv)))
    intents = {h: i for h, i in every.items() if not i.is_hub}
    warm: dict[tuple[Platform, str], DeviceIntent] = {}  # compile each template once first
    for intent in intents.values():
        warm.setdefault((intent.platform, intent.role), intent)
    with_pydriver({i.hostname: i for i in warm.values()})
    ours, wall, cpu = timed(lambda: with_pydriver(intents))
    rows: list[dict[str, Any]] = [{"n": n, "hosts": len(intents), "method": "pydriver",
                                   "wall_s": wall, "cpu_s": cpu}]
    peers: list[tuple[str, Callable[[], tuple[Outputs, float, float]]]] = [
        ("nornir_jinja2", lambda: with_nornir(intents)),
        ("nornir_jinja2, environment per call", lambda: with_nornir(intents, per_call=True))]
    if not skip_ansible:
        peers.append((f"ansible (forks={forks})", lambda: with_ansible(intents, forks)))
    for name, run in peers:
        theirs, wall, cpu = run()
        if theirs != ours:
            bad = next(h for h in ours if theirs.get(h) != ours[h])
            raise RuntimeError(f"{name} rendered {bad} differently from pydriver")
        rows.append({"n": n, "hosts": len(intents), "method": name, "wall_s": wall,
                     "cpu_s": cpu})
        print(f"N={n} {name}: {wall:.2f} s wall, {cpu:.2f} s cpu", flush=True)
    base = rows[0]
    for row in rows:
        row["ms_per_host_wall"] = row["wall_s"] * 1000 / row["hosts"]
        row["ms_per_host_cpu"] = row["cpu_s"] * 1000 / row["hosts"]
        row["ratio_wall"] = row["wall_s"] / base["wall_s"]
        row["ratio_cpu"] = row["cpu_s"] / base["cpu_s"]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render: pydriver vs nornir vs ansible")
    parser.add_argument("--sizes", default="100,1k")
    parser.add_argument("--forks", type=int, default=10, help="Ansible forks")
    parser.add_argument("--skip-ansible", action="store_true")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "pydriver-bench")
    parser.add_argument("--seed", type=int, default=52)
    parser.add_argument("--out", default="render_peers", help="results file name")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for n in parse_sizes(args.sizes):
        rows += compare(n, args.forks, args.skip_ansible, args.workdir, args.seed)
    print()
    print(table(["N", "routers", "method", "wall s", "cpu s", "ms/router wall",
                 "ms/router cpu", "x pydriver wall", "x pydriver cpu"],
                [[r["n"], r["hosts"], r["method"], r["wall_s"], r["cpu_s"],
                  r["ms_per_host_wall"], r["ms_per_host_cpu"], r["ratio_wall"],
                  r["ratio_cpu"]] for r in rows]))
    path = write_results(args.out, {"rows": rows, "forks": args.forks})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
