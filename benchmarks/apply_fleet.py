"""Apply one change to N emulated IOS-XE routers; its ideal; Ansible network_cli beside it.

Not a test: it prints a table and writes ``results/apply_fleet.json``. All in one run, on
one lab (a hub and N sites, each site's first push from the factory configuration):

- floor: one site applied alone, wall time of the whole apply (read, arm, push, post-checks
  with the hub's ping, confirm); ideal = floor x ceil(sites / workers);
- fleet: the other sites in one wave with ``--workers`` threads, against that ideal; SSH
  sessions and commands counted by the routers themselves (typed exec lines and
  configuration lines, merged ones included);
- Ansible: the sites back to the factory configuration, then the same remediation (the
  plan's lines, secrets filled) through ``cisco.ios.ios_config`` over ``network_cli``,
  forks = workers, when the cisco.ios collection is installed;
- one push of a site's remediation (about 160 lines) three ways on the same router: line
  by line with ``fast_cli`` off (how pydriver pushed before), line by line with it on, and
  the file merge.

    .venv/bin/python benchmarks/apply_fleet.py [--sites 200] [--workers 50]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import table, write_results  # noqa: E402
from pydriver.deploy import run as apply_run  # noqa: E402
from pydriver.deploy.apply import Outcome, Settings, fill  # noqa: E402
from pydriver.lab import control, manage  # noqa: E402
from pydriver.lab.model import LAB_PASSWORD, LAB_SECRET, LAB_USER  # noqa: E402
from pydriver.lab.secrets import lab_environment  # noqa: E402
from pydriver.pipeline import Pipeline  # noqa: E402
from pydriver.plan.model import Plan  # noqa: E402
from pydriver.platforms.cisco_ios.driver import IOSDriver  # noqa: E402

HUB = "hub-pusdatin-01"


def make_inventory(dest: Path, sites: int) -> Path:
    """One IOS-XE hub and ``sites`` IOS-XE kelurahan sites, each on an internet VPN."""
    inv = dest / "inventory"
    (inv / "sites").mkdir(parents=True)
    region = yaml.safe_load((ROOT / "inventory" / "region.yml").read_text())
    region["datacenters"] = [dc for dc in region["datacenters"] if dc["code"] == "pusdatin"]
    dc = region["datacenters"][0]
    dc["hubs"] = [h for h in dc["hubs"] if h["platform"] == "cisco_ios"]
    dc["uplinks"][0]["mbps"] = 10_000
    # the region alone: its interconnects with other tiers name hubs left out here and
    # need the federation's registry
    region.pop("interconnects", None)
    (inv / "region.yml").write_text(yaml.safe_dump(region, sort_keys=False))
    servers = yaml.safe_load((ROOT / "inventory" / "servers.yml").read_text())
    servers["servers"] = [s for s in servers["servers"] if s["datacenter"] == "pusdatin"]
    servers["servers"].append({"name": "ntp-02", "address": "10.10.10.12",
                               "datacenter": "pusdatin", "roles": ["ntp"]})
    servers["servers"].append({"name": "dns-02", "address": "10.10.10.54",
                               "datacenter": "pusdatin", "roles": ["dns"]})
    (inv / "servers.yml").write_text(yaml.safe_dump(servers, sort_keys=False))
    for n in range(1, sites + 1):
        a, b = divmod(n, 64)
        site = {
            "id": n, "code": f"kel-{n:03d}", "name": f"Kantor Lurah {n}", "kind": "kelurahan",
            "router": {"hostname": f"rtr-kel-{n:03d}", "platform": "cisco_ios",
                       "model": "ISR4331/K9"},
            "links": [{"name": "inet", "medium": "internet_vpn", "hub": "hub-pusdatin-01",
                       "capacity_mbps": 20, "interface": "GigabitEthernet0/0/0",
                       "address": f"198.18.{a}.{b * 4 + 2}/30",
                       "gateway": f"198.18.{a}.{b * 4 + 1}"}],
            "zones": [{"kind": "staff", "interface": "GigabitEthernet0/0/2.10"}],
            "bandwidth": {"uplink": "inet-telkom", "guaranteed_mbps": 2, "max_mbps": 20},
        }
        (inv / "sites" / f"kel-{n:03d}.yml").write_text(yaml.safe_dump(site, sort_keys=False))
    return inv


class Fleet:
    """The lab and the pipeline of one benchmark run."""

    def __init__(self, base: Path, sites: int) -> None:
        self.inventory = make_inventory(base, sites)
        self.state = base / ".pydriver"
        os.environ["PYDRIVER_STATE"] = str(self.state)
        os.environ["PYDRIVER_OPERATOR"] = "benchmark"
        first = Pipeline(self.inventory, state=self.state)
        os.environ.update(lab_environment(first))
        self.pipe = Pipeline(self.inventory, state=self.state)
        self.routers = manage.up(self.pipe, self.state, {"linux_frr", "mikrotik_routeros"},
                                 minute_seconds=60.0, timeout=600.0)
        self.ports = {r.name: r.port for r in self.routers}

    def control(self, op: str, **args: Any) -> Any:
        return control.request(manage.control_socket(self.state), op, **args)

    def factory(self, host: str, prepared: bool = False) -> None:
        """Back to the factory configuration; ``prepared``: with the archive path and the
        SCP server pydriver's first push adds, so only the remediation differs."""
        self.control("run", name=host, lines=["enable", LAB_SECRET, "write erase", "y"])
        self.control("reboot", name=host)
        if prepared:
            self.control("run", name=host, lines=[
                "enable", LAB_SECRET, "configure terminal", "archive",
                "path bootflash:archive", "maximum 14", "exit", "ip scp server enable", "end"])

    def plan(self, limit: str, workers: int) -> Plan:
        return apply_run.choose(self.pipe, None, limit, False, workers, self.state).plan

    def counters(self, hosts: list[str]) -> dict[str, int]:
        seen = [self.control("faults", name=h, set={}, log_tail=0) for h in hosts]
        return {"sessions": sum(s["sessions_opened"] for s in seen),
                "config_lines": sum(s["commands_seen"] for s in seen)}

    def reset(self, hosts: list[str]) -> None:
        for h in hosts:
            self.control("reset_counters", name=h)

    def cpu(self) -> tuple[float, float]:
        """CPU seconds so far: this process (every thread), the lab daemon (the twins)."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        pid = (manage.lab_dir(self.state) / "daemon.pid").read_text().split()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return own.ru_utime + own.ru_stime, (int(fields[11]) + int(fields[12])) / tick

    def apply(self, plan: Plan, hosts: set[str], workers: int
              ) -> tuple[float, list[Outcome], dict[str, float]]:
        """Wall seconds, outcomes and CPU seconds (apply, twins) of one apply."""
        settings = Settings(revert_minutes=30, wave_size="100%", canary=False,
                            workers=workers, check_deadline=120)
        cpu = self.cpu()
        t = time.perf_counter()
        outcomes = apply_run.run(self.pipe, apply_run.Target(plan, hosts), settings,
                                 self.state, lambda e: None)
        wall = time.perf_counter() - t
        after = self.cpu()
        return wall, outcomes, {"cpu_apply": after[0] - cpu[0], "cpu_twins": after[1] - cpu[1]}


def filled(fleet: Fleet, plan: Plan, host: str) -> tuple[str, ...]:
    """The plan's lines for ``host`` with the lab's secrets in (a factory router holds
    none of its own to restore)."""
    from pydriver.deploy.sources import secret_values

    drv = IOSDriver()
    return fill(plan.router(host).commands, secret_values(fleet.pipe), {}, drv.embed_secret)


def split_banners(lines: tuple[str, ...]) -> tuple[list[str], list[dict[str, str]]]:
    """Banners apart: ``ios_config`` cannot send a multi-line banner (it waits for the
    prompt ``banner <kind> <d>`` opens), ``ios_banner`` is Ansible's way."""
    config: list[str] = []
    banners: list[dict[str, str]] = []
    text: list[str] | None = None
    delim = ""
    for line in lines:
        for part in line.split("\n"):
            if text is not None:
                if delim in part:
                    text.append(part.split(delim, 1)[0])
                    banners[-1]["text"] = "\n".join(t for t in text if t)
                    text = None
                else:
                    text.append(part)
            elif part.startswith("banner "):
                words = part.split(" ", 2)
                delim = words[2][:2] if words[2].startswith("^C") else words[2][:1]
                rest = words[2][len(delim):]
                banners.append({"kind": words[1], "text": ""})
                text = [rest]
                if delim in rest:
                    banners[-1]["text"] = rest.split(delim, 1)[0]
                    text = None
            else:
                config.append(part)
    return config, banners


def ansible_available() -> str | None:
    """Why the Ansible column cannot run (None: it can)."""
    galaxy = Path(sys.executable).with_name("ansible-galaxy")
    if not galaxy.exists():
        return "ansible-galaxy is not installed"
    out = subprocess.run([str(galaxy), "collection", "list", "cisco.ios"],
                         capture_output=True, text=True, check=False).stdout
    return None if "cisco.ios" in out else "the cisco.ios collection is not installed"


def ansible_push(fleet: Fleet, plan: Plan, hosts: list[str], workers: int, work: Path
                 ) -> tuple[float, int]:
    """The same remediation through cisco.ios.ios_config (network_cli, paramiko); wall
    seconds and hosts that ended ok."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "rem").mkdir(exist_ok=True)
    (work / "host_vars").mkdir(exist_ok=True)
    for h in hosts:
        config, banners = split_banners(filled(fleet, plan, h))
        (work / "rem" / f"{h}.cfg").write_text("\n".join(config) + "\n")
        (work / "host_vars" / f"{h}.json").write_text(json.dumps({"banners": banners}))
    inventory = {"all": {"vars": {
        "ansible_connection": "ansible.netcommon.network_cli",
        "ansible_network_cli_ssh_type": "paramiko", "ansible_host": "127.0.0.1",
        "ansible_user": LAB_USER, "ansible_password": LAB_PASSWORD,
        "ansible_network_os": "cisco.ios.ios", "ansible_become": True,
        "ansible_become_method": "enable", "ansible_become_password": LAB_SECRET,
        "ansible_python_interpreter": sys.executable},
        "hosts": {h: {"ansible_port": fleet.ports[h]} for h in hosts}}}
    (work / "inventory.json").write_text(json.dumps(inventory))
    play = [{"name": "push", "hosts": "all", "gather_facts": False, "tasks": [
        {"name": "remediation", "cisco.ios.ios_config": {
            "src": "{{ playbook_dir }}/rem/{{ inventory_hostname }}.cfg", "match": "none",
            "save_when": "never"}},
        {"name": "banners", "cisco.ios.ios_banner": {
            "banner": "{{ item.kind }}", "text": "{{ item.text }}", "state": "present"},
         "loop": "{{ banners }}"}]}]
    (work / "push.yml").write_text(json.dumps(play))
    (work / "ansible.cfg").write_text("[defaults]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({"HOME": str(work), "ANSIBLE_CONFIG": str(work / "ansible.cfg"),
                "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_PARAMIKO_LOOK_FOR_KEYS": "False",
                "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json", "ANSIBLE_FORKS": str(workers),
                "ANSIBLE_PERSISTENT_COMMAND_TIMEOUT": "300", "ANSIBLE_NOCOLOR": "True",
                "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(work / "pc"),
                "ANSIBLE_LOCAL_TEMP": str(work / "tmp"), "LC_ALL": "C.UTF-8"})
    playbook = Path(sys.executable).with_name("ansible-playbook")
    t = time.perf_counter()
    proc = subprocess.run([str(playbook), "-i", str(work / "inventory.json"),
                           str(work / "push.yml")], cwd=work, env=env, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - t
    try:
        stats = json.loads(proc.stdout)["stats"]
    except (ValueError, KeyError):
        print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
        return wall, 0
    return wall, sum(1 for s in stats.values() if not s["failures"] and not s["unreachable"])


def timed_push(fleet: Fleet, host: str, lines: tuple[str, ...], by_file: bool,
               fast_cli: bool) -> float:
    """One push of ``lines`` to a prepared factory router, armed as apply arms it."""
    from netmiko import ConnectHandler

    from pydriver.platforms.base import Remediation

    fleet.factory(host, prepared=True)
    conn = ConnectHandler(device_type="cisco_xe", host="127.0.0.1", port=fleet.ports[host],
                          username=LAB_USER, password=LAB_PASSWORD, secret=LAB_SECRET,
                          fast_cli=fast_cli)
    try:
        drv = IOSDriver(push_by_file=by_file)
        rem = Remediation(commands=lines, rollback=())
        drv.read_running(conn)
        drv.arm_revert(conn, rem, 30)
        t = time.perf_counter()
        pushed = drv.push(conn, rem)
        took = time.perf_counter() - t
        if pushed.rejected:
            raise SystemExit(f"{host}: rejected {pushed.rejected}")
        conn.send_command("configure confirm", expect_string=r"#")
        return took
    finally:
        conn.disconnect()


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--no-ansible", action="store_true")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pydriver-fleet-"))
    report: dict[str, Any] = {"sites": args.sites, "workers": args.workers}
    fleet = Fleet(base, args.sites)
    try:
        step("hub")
        hub_plan = fleet.plan("role:hub", args.workers)
        fleet.apply(hub_plan, {HUB}, 1)
        sites = sorted(r.name for r in fleet.routers if r.name != HUB)
        step("plan")
        plan = fleet.plan("role:site", args.workers)
        lines = {h: sum(len(c.split("\n")) for c in plan.router(h).commands) for h in sites}
        first, rest = sites[0], sites[1:]
        step("floor")
        fleet.reset([first, HUB])
        floor, o1, floor_cpu = fleet.apply(plan, {first}, 1)
        floor_counts = fleet.counters([first])
        step("fleet")
        fleet.reset([*rest, HUB])
        wall, outs, fleet_cpu = fleet.apply(plan, set(rest), args.workers)
        counts = fleet.counters(rest)
        hub_counts = fleet.counters([HUB])
        ideal = floor * math.ceil(len(rest) / args.workers)
        statuses: dict[str, int] = {}
        for o in outs:
            statuses[o.status] = statuses.get(o.status, 0) + 1
        report["floor"] = {"host": first, "seconds": floor, "lines": lines[first],
                           "status": o1[0].status if o1 else None,
                           # the router's own part (read to confirm); the rest is the run's
                           "router_seconds": o1[0].seconds if o1 else None, **floor_counts,
                           **floor_cpu}
        slowest = max((o.seconds for o in outs), default=0.0)
        report["fleet"] = {"routers": len(rest), "seconds": wall, "ideal": ideal,
                           "slowest_router_seconds": slowest,
                           "ratio": wall / ideal, "statuses": statuses,
                           "lines_planned": sum(lines[h] for h in rest), **counts,
                           "hub_sessions": hub_counts["sessions"], **fleet_cpu,
                           # on a machine of os.cpu_count() cores the fleet cannot take
                           # less than its CPU time spread over them
                           "cpu_bound": (fleet_cpu["cpu_apply"] + fleet_cpu["cpu_twins"])
                           / (os.cpu_count() or 1)}
        write_results("apply_fleet", report)  # kept as it goes: a long run's figures
        step(f"fleet: {wall:.1f} s, ideal {ideal:.1f} s, ratio {wall / ideal:.2f}, {counts}")
        why_not = "--no-ansible" if args.no_ansible else ansible_available()
        if why_not is None:
            step("ansible")
            for h in rest:
                fleet.factory(h)
            fleet.reset(rest)
            a_wall, a_ok = ansible_push(fleet, plan, rest, args.workers, base / "ansible")
            report["ansible"] = {"seconds": a_wall, "ok": a_ok, **fleet.counters(rest),
                                 "vs_pydriver": a_wall / wall}
        else:
            report["ansible"] = {"skipped": why_not}
        write_results("apply_fleet", report)
        step(f"ansible: {report['ansible']}")
        step("push of one site")
        filled_lines = filled(fleet, plan, first)
        report["push"] = {"host": first, "lines": len(filled_lines),
                          "line_by_line_old": timed_push(fleet, first, filled_lines, False,
                                                         False),
                          "line_by_line_fast_cli": timed_push(fleet, first, filled_lines,
                                                              False, True),
                          "file": timed_push(fleet, first, filled_lines, True, True)}
    finally:
        manage.down(fleet.state)
        shutil.rmtree(base, ignore_errors=True)
    f, a, p = report["fleet"], report["ansible"], report["push"]
    rows = [
        ["pydriver, one site alone (floor)", 1, f"{report['floor']['seconds']:.1f}", "",
         report["floor"]["sessions"], report["floor"]["config_lines"]],
        [f"pydriver, {f['routers']} sites, {args.workers} workers", f["routers"],
         f"{f['seconds']:.1f}", f"{f['ratio']:.2f} (ideal {f['ideal']:.1f} s)",
         f["sessions"], f["config_lines"]],
    ]
    if "seconds" in a:
        rows.append([f"Ansible ios_config, forks {args.workers}", f["routers"],
                     f"{a['seconds']:.1f}", f"{a['seconds'] / f['ideal']:.2f}",
                     a["sessions"], a["config_lines"]])
    print(table(["run", "routers", "wall s", "x ideal", "SSH sessions", "config lines"], rows))
    if "skipped" in a:
        print(f"Ansible column skipped: {a['skipped']}")
    else:
        print(f"Ansible / pydriver wall time: {a['vs_pydriver']:.1f}x ({a['ok']} hosts ok)")
    print(table(["push of one site", "lines", "seconds"], [
        ["line by line, fast_cli off (before)", p["lines"], f"{p['line_by_line_old']:.2f}"],
        ["line by line, fast_cli on", p["lines"], f"{p['line_by_line_fast_cli']:.2f}"],
        ["file over SCP + copy to running-config", p["lines"], f"{p['file']:.2f}"]]))
    print(f"fleet outcomes: {f['statuses']}; hub sessions in the fleet run: "
          f"{f['hub_sessions']}")
    print(f"one router's own part: {report['floor']['router_seconds']:.2f} s alone, "
          f"{f['slowest_router_seconds']:.2f} s the slowest in the fleet")
    print(f"CPU seconds: floor {report['floor']['cpu_apply']:.2f} apply + "
          f"{report['floor']['cpu_twins']:.2f} twins; fleet {f['cpu_apply']:.1f} apply + "
          f"{f['cpu_twins']:.1f} twins = at least {f['cpu_bound']:.1f} s of wall time on "
          f"{os.cpu_count()} cores")
    print(f"written {write_results('apply_fleet', report)}")


if __name__ == "__main__":
    main()
