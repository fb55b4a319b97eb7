"""The real Debian targets the Ansible roles run on: reachable, addressed as the source of
truth says, routed across zones, able to install packages, reachable by Ansible, and gone
without a trace after ``down`` (also when the process that brought them up was killed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from pydriver.errors import LabError
from pydriver.lab.targets import Target, TargetLab, target_specs
from pydriver.lab.targets.network import BRIDGE, TABLE
from pydriver.sot.models import Network
from tests.servers.conftest import ROOT, VENV_BIN, ServersLab, venv_env

pytestmark = pytest.mark.servers


def ssh(target: Target, command: str, timeout: float = 60) -> str:
    done = subprocess.run(target.ssh_argv(command), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{target.name}: {command}: {done.stderr or done.stdout}"
    return done.stdout


def on_all(lab: TargetLab, command: str) -> dict[str, str]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = pool.map(lambda t: ssh(t, command), lab.targets)
        return {t.name: out for t, out in zip(lab.targets, outs, strict=True)}


def test_every_server_of_the_inventory_is_a_running_target(all_targets: TargetLab,
                                                           network: Network) -> None:
    assert [t.name for t in all_targets.targets] == [s.name for s in network.servers]
    status = all_targets.status()
    assert status.healthy, status
    for t in status.targets:  # an idle booted Debian: systemd, journald, networkd, sshd, dbus
        assert 5_000 < t.memory_kib < 200_000, t


def test_each_target_answers_ssh_with_its_hostname(all_targets: TargetLab) -> None:
    hostnames = on_all(all_targets, "hostname; cat /etc/hostname")
    for name, out in hostnames.items():
        assert out.split() == [name, name]


def test_each_target_has_its_source_of_truth_address(all_targets: TargetLab,
                                                     network: Network) -> None:
    expected = {s.name: s.address for s in target_specs(network)}
    outs = on_all(all_targets, "ip -j -4 addr show dev host0; echo; ip -j -4 route show default")
    for t in all_targets.targets:
        addrs, routes = outs[t.name].split("\n", 1)
        info = json.loads(addrs)[0]["addr_info"]
        assert [(a["local"], a["prefixlen"]) for a in info] == \
            [(str(expected[t.name].ip), expected[t.name].network.prefixlen)]
        assert [r["gateway"] for r in json.loads(routes)] == [str(t.gateway)]
        assert t.gateway in expected[t.name].network and t.gateway != t.address
        assert str(t.gateway).endswith(".254")


@pytest.mark.parametrize(("source", "dest"), [("monitor-01", "ntp-01"),
                                              ("ntp-02", "syslog-01"),
                                              ("dns-01", "monitor-01")])
def test_targets_reach_each_other_across_zones(all_targets: TargetLab, source: str,
                                               dest: str) -> None:
    address = all_targets.target(dest).address
    banner = ssh(all_targets.target(source),
                 f"timeout 5 bash -c 'exec 3<>/dev/tcp/{address}/22; head -c 4 <&3'")
    assert banner == "SSH-"


def test_targets_have_no_route_out_of_the_lab(all_targets: TargetLab) -> None:
    """Only the lab is routed: a packet for the internet is refused at the host.

    (How fast the target hears of it depends on the host's ICMP rate limits, which the
    redirects of cross-zone traffic on the one bridge use up; the host's decision does not.)
    """
    ntp = all_targets.target("ntp-01")
    out = ssh(ntp, "timeout 5 bash -c 'exec 3<>/dev/tcp/151.101.2.132/80' 2>&1; echo rc=$?")
    assert not out.rstrip().endswith("rc=0"), out
    forwarded = subprocess.run(["ip", "-4", "route", "get", "151.101.2.132", "from",
                                str(ntp.address), "iif", BRIDGE], capture_output=True,
                               text=True)
    assert forwarded.returncode != 0 and "No route to host" in forwarded.stderr, forwarded
    inside = subprocess.run(["ip", "-4", "route", "get", str(all_targets.target("dns-02").address),
                             "from", str(ntp.address), "iif", BRIDGE], capture_output=True,
                            text=True, check=True)
    assert f"dev {BRIDGE}" in inside.stdout


def test_a_target_installs_a_package_through_the_apt_proxy(all_targets: TargetLab) -> None:
    target = all_targets.target("dns-02")
    out = ssh(target, "apt-config dump Acquire::http::Proxy")
    assert f"http://{target.gateway}:" in out
    ssh(target, "DEBIAN_FRONTEND=noninteractive apt-get update -qq && "
                "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
                "tree >/dev/null", timeout=300)
    assert ssh(target, "dpkg-query -W -f '${Status}' tree") == "install ok installed"
    assert ssh(target, "ls /var/cache/apt/archives/*.deb 2>/dev/null | wc -l").strip() == "0"


def test_ansible_pings_every_target(all_targets: TargetLab, tmp_path: Path) -> None:
    hosts = {t.name: {"ansible_host": str(t.address), "ansible_user": t.user,
                      "ansible_ssh_private_key_file": str(t.ssh_key),
                      "ansible_python_interpreter": "/usr/bin/python3"}
             for t in all_targets.targets}
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}), encoding="utf-8")
    done = subprocess.run(
        [str(VENV_BIN / "ansible"), "all", "-i", str(inventory), "-m", "ansible.builtin.ping",
         "-o", "-f", "7"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env={**venv_env(), "ANSIBLE_HOST_KEY_CHECKING": "False",
             "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp")})
    assert done.returncode == 0, done.stdout + done.stderr
    for name in hosts:
        line = next(ln for ln in done.stdout.splitlines() if ln.startswith(f"{name} "))
        assert "SUCCESS" in line and '"pong"' in line, line


def test_console_commands_run_inside_the_target(all_targets: TargetLab) -> None:
    # is-system-running exits 1 when "degraded" (a unit a role left failed), which is
    # still a booted system: the state is read from its output
    done = all_targets.run("radius-01",
                           "hostname; systemctl is-system-running --wait || true", check=True)
    assert done.stdout.split()[0] == "radius-01"
    assert done.stdout.split()[1] in {"running", "degraded"}, done.stdout


def test_a_second_lab_on_the_same_bridge_is_refused(all_targets: TargetLab,
                                                    servers_lab: ServersLab) -> None:
    other = TargetLab(servers_lab.fresh_state_dir("second"))
    with pytest.raises(LabError, match=f"bridge {BRIDGE} already exists"):
        other.up([("ntp-09", "10.10.10.99/24")])
    assert not other.state_dir.exists()


# -- teardown ----------------------------------------------------------------------------


def assert_nothing_left(state_dir: Path) -> None:
    assert not state_dir.exists(), sorted(state_dir.rglob("*"))[:10]
    links = subprocess.run(["ip", "link", "show", "dev", BRIDGE], capture_output=True)
    assert links.returncode != 0, "the bridge is still there"
    rules = subprocess.run(["ip", "-4", "rule", "show", "pref", str(TABLE)],
                           capture_output=True, text=True, check=True)
    assert rules.stdout.strip() == ""
    table = subprocess.run(["ip", "-4", "route", "show", "table", str(TABLE)],
                           capture_output=True, text=True)
    assert table.stdout.strip() == ""
    mounts = Path("/proc/self/mountinfo").read_text()
    assert str(state_dir) not in mounts
    marker = str(state_dir) + "/"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().decode(errors="replace")
            own = (proc / "mountinfo").read_text() if int(proc.name) != os.getpid() else ""
        except OSError:
            continue
        assert marker not in argv.replace("\0", " "), f"process {proc.name}: {argv}"
        assert marker not in own, f"process {proc.name} still has a lab mount"


def test_down_leaves_nothing(servers_lab: ServersLab, network: Network) -> None:
    servers_lab.release()  # one targets lab per machine: this test needs its own
    state = servers_lab.fresh_state_dir("down")
    lab = TargetLab(state)
    targets = lab.up(target_specs(network, ["ntp-01", "monitor-01"]))
    assert [t.name for t in targets] == ["ntp-01", "monitor-01"]
    assert TargetLab(state).status().healthy  # another process sees it through the journal
    started = time.monotonic()
    TargetLab(state).down()
    assert time.monotonic() - started < 30
    assert_nothing_left(state)
    lab.down()  # a second teardown finds nothing to do


def test_down_after_the_owner_was_killed(servers_lab: ServersLab, network: Network) -> None:
    servers_lab.release()
    state = servers_lab.fresh_state_dir("killed")
    spec = target_specs(network, ["syslog-01"])[0]
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from pydriver.lab.targets import TargetLab, TargetSpec
        TargetLab(Path({str(state)!r})).up([TargetSpec.of({spec.name!r}, {str(spec.address)!r})])
        print("up", flush=True)
        time.sleep(600)
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "up"
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
    lab = TargetLab(state)
    assert [t.name for t in lab.targets] == ["syslog-01"]
    assert lab.status().healthy  # the targets outlive the process that started them
    lab.down()
    assert_nothing_left(state)


def test_a_target_that_does_not_come_up_is_reported_and_removed(
        servers_lab: ServersLab, network: Network) -> None:
    servers_lab.release()
    state = servers_lab.fresh_state_dir("late")
    lab = TargetLab(state, boot_timeout=0.0)
    with pytest.raises(LabError, match=r"target ntp-02 did not come up: no sshd on "
                                       r"10\.20\.10\.11:22"):
        lab.up(target_specs(network, ["ntp-02"]))
    assert lab.targets == ()
    assert_nothing_left(state)


def test_a_failed_image_build_leaves_nothing(tmp_path: Path) -> None:
    from pydriver.lab.targets import ImageRecipe, preflight
    from pydriver.lab.targets.image import ensure

    why = preflight()
    if why:
        pytest.skip(why)
    cache = tmp_path / "cache"
    broken = ImageRecipe(mirror="http://127.0.0.1:9/debian")  # nothing listens on port 9
    with pytest.raises(LabError, match=r"image build failed: debootstrap exited \d+") as err:
        ensure(broken, cache)
    assert "debootstrap.log" in str(err.value)  # the tail of the log says why
    assert [p.name for p in cache.iterdir()] == [f".{broken.key}.lock"]
    assert str(cache) not in Path("/proc/self/mountinfo").read_text()
