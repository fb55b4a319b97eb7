"""Plan and apply against real linux_frr routers (FRR, strongSwan, nftables and tc in network
namespaces): real changes, faults injected on the router side, and the guarantee that every
router ends either as intended or byte-identical to before, with the run saying which.

One linux_frr hub and its two linux_frr sites from the example; the emulated hubs are left
out of the lab (their sessions are reported, not required). Each fault is what happens to
real routers: a daemon that has died, an SSH session cut mid-push, a peer that stops
answering, and the operator's machine dying mid-apply.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pydriver.intent.model import DeviceIntent
from pydriver.lab import manage
from pydriver.lab.netns import NetnsLab
from pydriver.lab.netns.router import netns_name, netns_pids
from pydriver.lab.netns_twin import short_name
from pydriver.pipeline import Pipeline
from pydriver.platforms.linux_frr import driver as frr
from tests.conftest import poll
from tests.lab.conftest import NETNS, Lab, make_inventory, secret_env

pytestmark = [pytest.mark.lab, *NETNS]

HUB, PKM, WIFI = "hub-pusdatin-02", "rtr-pkm-tanjung", "rtr-wifi-alun-alun"
SITES = ("pkm-tanjung", "wifi-alun-alun")
REVERT = ("--revert-after", "2")  # never fires here: a rollback disarms it first
# A fixed state directory: the namespaces of a run that was killed are removed by the next.
STATE = Path(tempfile.gettempdir()) / "pydriver-netns-tests" / "apply-frr"
NEW_SITE_PSK = {"JIP_PSK_WIFI_PANTAI": "lab-jip-psk-wifi-pantai"}
OPERATOR_FIX = "ip route 10.99.0.0/16 blackhole"  # made in vtysh, never written to frr.conf
Edit = tuple[str, str, str]  # file in the inventory, old text, new text

# Real changes of the source of truth
HUB_BANDWIDTH: tuple[Edit, ...] = (
    ("sites/pkm-tanjung.yml", "guaranteed_mbps: 10", "guaranteed_mbps: 20"),)
SITE_BANDWIDTH: tuple[Edit, ...] = (
    ("sites/wifi-alun-alun.yml", "capacity_mbps: 50", "capacity_mbps: 40"),
    ("sites/wifi-alun-alun.yml", "max_mbps: 50", "max_mbps: 40"))
SITE_CRYPTO_AND_VICON: tuple[Edit, ...] = (  # a stronger profile and a video-conference zone
    ("region.yml", "crypto_profiles:\n",
     "crypto_profiles:\n  jip-strong:\n    ike_version: 2\n    ike_encryption: [aes-256-cbc]\n"
     "    ike_integrity: [sha256]\n    dh_groups: [20]\n    esp_encryption: [aes-256-gcm]\n"
     "    esp_integrity: [sha256]\n    pfs: true\n    ike_lifetime: 28800\n"
     "    esp_lifetime: 3600\n"),
    ("sites/wifi-alun-alun.yml", "    provider: Biznet\n",
     "    provider: Biznet\n    crypto_profile: jip-strong\n"),
    ("sites/wifi-alun-alun.yml", "    description: Hotspot publik\n",
     "    description: Hotspot publik\n  - kind: vicon\n    interface: br-vicon\n"
     "    description: Video konferensi\n"))


@dataclass
class FrrLab:
    lab: Lab
    netns: NetnsLab
    intents: dict[str, DeviceIntent]
    # each router's rollback left behind by the baseline apply (read right after it: later
    # tests arm and kill applies, and a router's own timer may still hold one)
    armed_after_baseline: dict[str, bool] = field(default_factory=dict)

    def run(self, host: str, command: str) -> subprocess.CompletedProcess[str]:
        """A shell command on the router's console (its namespaces, not over SSH)."""
        return self.netns.run(short_name(host), command, timeout=60)

    def sh(self, host: str, command: str) -> str:
        done = self.run(host, command)
        assert done.returncode == 0, f"{host}: {command} -> {done.returncode}\n{done.stderr}"
        return done.stdout

    def file(self, host: str, path: str) -> str:
        """A router's private file, read from the host (no process in the router)."""
        found = self.netns.host_path(short_name(host), path)
        return found.read_text() if found.is_file() else ""

    def wan(self, host: str) -> str:
        return next(i.name for i in self.intents[host].interfaces
                    if i.role in ("wan", "link"))

    def site_class(self, site: str) -> str:
        """The hub's shaping class for ``site``, as its rendered tc.sh files the site's
        traffic (class numbers follow the order of the interconnects and sites)."""
        public = next(t.remote_underlay for t in self.intents[HUB].tunnels if t.peer == site)
        tc = dict(Pipeline(self.lab.inventory).rendered[HUB].files)["tc.sh"]
        found = re.search(rf"match ip dst {re.escape(str(public))} flowid (1:\d+)$", tc, re.M)
        assert found, f"no class for {site} ({public}) in the hub's tc.sh"
        return found[1]


def state(f: FrrLab, host: str, ike: bool = True) -> dict[str, str]:
    """What the driver reads back, normalised as it does, and the live state its files load
    into (firewall, shaping, IKE connections): both must come back after a rollback."""
    files = {"frr.conf": f.sh(host, "vtysh -c 'show running-config'")}
    for name, path in frr.PATHS.items():
        if name != "frr.conf":
            files[name] = f.sh(host, f"cat {path}")
    wan = f.wan(host)
    out = {"files": frr.normalise(frr.join(files)),
           "nft": f.sh(host, "nft list ruleset"),
           # htb counts unclassified packets in its qdisc line: a counter, not config
           "tc": re.sub(r"direct_packets_stat \d+", "", f.sh(
               host, f"tc qdisc show dev {wan}; tc class show dev {wan}; "
                     f"tc filter show dev {wan}"))}
    if ike:
        out["ike"] = f.sh(host, "swanctl --list-conns")
    return out


def settled(f: FrrLab) -> None:
    """Every tunnel up with BGP over it and pings through it: where each test starts."""
    hub = f.intents[HUB]

    def why() -> str | None:
        sas = f.sh(HUB, "swanctl --list-sas")
        peers = json.loads(f.sh(HUB, "vtysh -c 'show bgp summary json'")
                           ).get("ipv4Unicast", {}).get("peers", {})
        for t in hub.tunnels:
            if t.peer not in f.intents:  # an interconnect to a region this lab does not hold
                continue
            if not re.search(rf"^{re.escape(t.name)}: #\d+, ESTABLISHED", sas, re.M):
                return f"no IKE SA {t.name}"
            if peers.get(str(t.remote_inner), {}).get("state") != "Established":
                return f"BGP to {t.remote_inner} not established"
            if f.run(HUB, f"ping -c1 -W1 -I {t.inner.ip} {t.remote_inner}").returncode:
                return f"no ping over {t.name}"
        return None

    poll("every tunnel, BGP session and ping up", why)


def outcome(result: subprocess.CompletedProcess[str], host: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in json.loads(result.stdout) if o["host"] == host)
    return found


def last_audit(f: FrrLab, host: str) -> dict[str, Any]:
    lines = (f.lab.state / "audit.jsonl").read_text().splitlines()
    record: dict[str, Any] = json.loads(lines[-1])["routers"][host]
    return record


@contextlib.contextmanager
def edited(inv: Path, *edits: Edit) -> Iterator[None]:
    """The source of truth with a change in it, as a pull request would bring it."""
    saved: dict[Path, str] = {}
    try:
        for name, old, new in edits:
            path = inv / name
            saved.setdefault(path, path.read_text())
            text = path.read_text()
            assert old in text, (name, old)
            path.write_text(text.replace(old, new, 1))
        yield
    finally:
        for path, text in saved.items():
            path.write_text(text)


@contextlib.contextmanager
def new_site(inv: Path) -> Iterator[None]:
    """A second public Wi-Fi site behind the hub (one new file): the hub's four files all
    change (firewall peers, BGP neighbour and transit address, IKE connection, a class)."""
    text = (inv / "sites" / "wifi-alun-alun.yml").read_text()
    for old, new in (("id: 14", "id: 17"), ("code: wifi-alun-alun", "code: wifi-pantai"),
                     ("rtr-wifi-alun-alun", "rtr-wifi-pantai"),
                     ("198.51.100.14/30", "198.51.100.18/30"),
                     ("gateway: 198.51.100.13", "gateway: 198.51.100.17")):
        text = text.replace(old, new)
    path = inv / "sites" / "wifi-pantai.yml"
    path.write_text(text)
    try:
        yield
    finally:
        path.unlink()


@contextlib.contextmanager
def pushing(f: FrrLab, host: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """An apply of ``host`` in the background, handed over once its push has begun (for a
    fault to strike mid-push); killed on the way out if it is still running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pydriver.cli.main", "apply", "--limit", host, "--json", *args,
         "--inventory", str(f.lab.inventory)], cwd=f.lab.cwd, env=f.lab.env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        when_pushing(f, host, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()


def when_pushing(f: FrrLab, host: str, proc: subprocess.Popen[str]) -> None:
    """Return as soon as the push has begun: the firewall, the first file, is replaced."""
    old = f.file(host, "/etc/nftables.conf")
    deadline = time.monotonic() + 60
    while f.file(host, "/etc/nftables.conf") == old:
        assert proc.poll() is None, "apply ended before the push began: " + \
            "".join(proc.communicate())
        assert time.monotonic() < deadline, "the push did not begin"
        time.sleep(0.01)


def drop_sessions(f: FrrLab, host: str) -> int:
    """Kill the router's SSH session processes (``sshd: root@pts/0``; not the listener,
    which titles itself ``sshd: ... [listener]``): the connection drops, the router stays."""
    listener = int(f.sh(host, "cat /run/sshd.pid"))
    killed = 0
    for pid in netns_pids(netns_name(short_name(host))):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if pid != listener and re.match(rb"sshd: \S+@", cmdline):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
    return killed


def stop_charon(f: FrrLab, host: str) -> None:
    f.sh(host, "kill $(cat /run/charon.pid)")
    poll("charon gone", lambda: None if f.run(host, "swanctl --stats").returncode
         else "still answering", 20)


def start_charon(f: FrrLab, host: str) -> None:
    f.sh(host, "setsid -f /usr/lib/ipsec/charon </dev/null >/dev/null 2>&1")
    poll("charon answering", lambda: None if f.run(host, "swanctl --stats").returncode == 0
         else "not yet", 20)
    f.sh(host, "swanctl --load-all --noprompt")


@pytest.fixture(scope="module")
def frr_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrrLab]:
    """The lab up once, the baseline applied once (both sites in one wave)."""
    manage.down(STATE)
    shutil.rmtree(STATE, ignore_errors=True)
    base = tmp_path_factory.mktemp("frrlab")
    inv = make_inventory(base, SITES)
    env = {**os.environ, **secret_env(inv), **NEW_SITE_PSK, "PYDRIVER_STATE": str(STATE),
           "PYDRIVER_OPERATOR": "lab-test"}
    try:
        manage.up(Pipeline(inv), STATE, {"cisco_ios", "mikrotik_routeros"})
        lab = Lab(inv, STATE, env, base)
        f = FrrLab(lab, NetnsLab.attach(manage.lab_dir(STATE) / "netns"),
                   Pipeline(inv).intents)
        r = lab.cli("apply", "--json", "--wave-size", "100%", "--no-canary", *REVERT)
        assert r.returncode == 0, r.stdout + r.stderr
        assert {o["status"] for o in json.loads(r.stdout)} == {"applied", "skipped"}
        f.armed_after_baseline = {
            h: f.run(h, f"test -e {frr.ROLLBACK_DIR}").returncode == 0 for h in (HUB, PKM, WIFI)}
        yield f
    finally:
        manage.down(STATE)
        shutil.rmtree(STATE, ignore_errors=True)


def test_baseline_converged_and_disarmed(frr_lab: FrrLab) -> None:
    settled(frr_lab)
    r = frr_lab.lab.cli("plan")
    assert r.returncode == 0, r.stdout  # a second plan finds nothing to do
    assert frr_lab.armed_after_baseline == dict.fromkeys((HUB, PKM, WIFI), False)


def test_stale_plan_is_refused(frr_lab: FrrLab) -> None:
    f, plan = frr_lab, frr_lab.lab.cwd / "stale-plan.json"
    with edited(f.lab.inventory, *HUB_BANDWIDTH):
        r = f.lab.cli("plan", "--limit", HUB, "--out", str(plan))
        assert r.returncode == 2, r.stdout + r.stderr
        # the hub changes after the plan was made (an operator's fix in vtysh)
        f.sh(HUB, f"vtysh -c 'conf t' -c '{OPERATOR_FIX}'")
        try:
            before = state(f, HUB)
            r = f.lab.cli("apply", str(plan), "--limit", HUB, "--json", *REVERT)
            assert state(f, HUB) == before  # nothing was sent
        finally:
            f.sh(HUB, f"vtysh -c 'conf t' -c 'no {OPERATOR_FIX}'")
    assert r.returncode == 1
    o = outcome(r, HUB)
    assert o["status"] == "failed" and o["commands_sent"] == 0, o
    assert "running config changed since the plan was made" in o["detail"]
    assert last_audit(f, HUB)["status"] == "failed"


def test_rejected_reload_rolls_back_byte_identical(frr_lab: FrrLab) -> None:
    """The site's charon has died: nft and FRR take the change, ``swanctl --load-all`` is
    refused. The firewall and the routing already changed go back, and so does an
    operator's fix that lives only in the running FRR config (never written to frr.conf)."""
    f = frr_lab
    settled(f)
    conns = f.sh(WIFI, "swanctl --list-conns")
    f.sh(WIFI, f"vtysh -c 'conf t' -c '{OPERATOR_FIX}'")
    try:
        with edited(f.lab.inventory, *SITE_CRYPTO_AND_VICON):
            stop_charon(f, WIFI)
            before = state(f, WIFI, ike=False)
            assert OPERATOR_FIX in before["files"]
            r = f.lab.cli("apply", "--limit", WIFI, "--json", *REVERT)
            after = state(f, WIFI, ike=False)
    finally:
        start_charon(f, WIFI)
        f.sh(WIFI, f"vtysh -c 'conf t' -c 'no {OPERATOR_FIX}'")
    assert r.returncode == 1, r.stdout + r.stderr
    o = outcome(r, WIFI)
    assert o["status"] == "rolled-back", o
    assert "router rejected: swanctl --load-all" in o["detail"]
    assert "restored byte-identical" in o["detail"]
    assert o["commands_sent"] == 3  # nftables.conf and frr.conf were loaded, then swanctl
    assert after == before
    assert f.sh(WIFI, "swanctl --list-conns") == conns  # the restored file, loaded again
    audit = last_audit(f, WIFI)
    assert audit["status"] == "rolled-back" and "byte-identical" in audit["detail"]
    settled(f)


def test_dropped_session_mid_push_rolls_back(frr_lab: FrrLab) -> None:
    f = frr_lab
    settled(f)
    with new_site(f.lab.inventory):
        before = state(f, HUB)
        with pushing(f, HUB, *REVERT) as proc:
            assert drop_sessions(f, HUB) >= 1
            stdout, stderr = proc.communicate(timeout=120)
    r = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    assert r.returncode == 1, stdout + stderr
    o = outcome(r, HUB)
    assert o["status"] == "rolled-back", o
    assert "session lost during push" in o["detail"]
    assert "restored byte-identical" in o["detail"]
    assert state(f, HUB) == before
    assert last_audit(f, HUB)["status"] == "rolled-back"
    settled(f)


def test_failing_post_check_rolls_back(frr_lab: FrrLab) -> None:
    """The hub stops taking the site's IKE and ESP: the site's change is pushed, its pings
    through the tunnel fail until the deadline, and the change is taken back."""
    f = frr_lab
    settled(f)
    public = next(t.remote_underlay for t in f.intents[HUB].tunnels if t.peer == WIFI)
    with edited(f.lab.inventory, *SITE_BANDWIDTH):
        before = state(f, WIFI)
        f.sh(HUB, f"nft insert rule inet jip input ip saddr {public} "
                  "udp dport '{ 500, 4500 }' drop")
        try:
            r = f.lab.cli("apply", "--limit", WIFI, "--json", "--check-deadline", "4",
                          *REVERT)
        finally:
            f.sh(HUB, "nft -f /etc/nftables.conf")  # the hub's own ruleset, whole again
    assert r.returncode == 1, r.stdout + r.stderr
    o = outcome(r, WIFI)
    assert o["status"] == "rolled-back", o
    # the session or the pings through the tunnel, whichever the checks reached first
    assert re.search(r"post-check failed: (?:ping|bgp) ", o["detail"]), o["detail"]
    assert "restored byte-identical" in o["detail"]
    assert [c["name"] for c in o["checks"] if not c["ok"]]
    assert state(f, WIFI) == before
    assert last_audit(f, WIFI)["status"] == "rolled-back"
    settled(f)


def test_sigkill_mid_apply_is_undone_by_the_router(frr_lab: FrrLab) -> None:
    f = frr_lab
    settled(f)
    with new_site(f.lab.inventory):
        before = state(f, HUB)
        # 0.1 minutes: the router's own timer restores its saved files after 6 s
        with pushing(f, HUB, "--revert-after", "0.1") as proc:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert state(f, HUB) != before  # half applied, and nobody is left to confirm
        poll("the hub restoring itself", lambda: None if state(f, HUB) == before
             else "still changed")
    assert f.run(HUB, f"test -e {frr.ROLLBACK_DIR}/timer.pid").returncode == 1  # it fired
    settled(f)


def test_a_revert_still_pending_from_an_interrupted_run_is_not_overwritten(
        frr_lab: FrrLab) -> None:
    """What a killed run leaves behind (a timer yet to fire) is refused, not saved over:
    arming again would save the half-applied state, and the old timer would then restore
    into the new run."""
    f = frr_lab
    settled(f)
    timer = f"{frr.ROLLBACK_DIR}/timer.pid"
    f.sh(WIFI, f"mkdir -p {frr.ROLLBACK_DIR}\nsetsid sleep 300 </dev/null >/dev/null 2>&1 &\n"
               f"echo $! > {timer}")
    try:
        with edited(f.lab.inventory, *SITE_BANDWIDTH):
            before = state(f, WIFI)
            r = f.lab.cli("apply", "--limit", WIFI, "--json", *REVERT)
            assert r.returncode == 1, r.stdout + r.stderr
            o = outcome(r, WIFI)
            assert o["status"] == "failed" and o["commands_sent"] == 0, o
            assert "still pending" in o["detail"] and "nothing pushed" in o["detail"], o
            assert state(f, WIFI) == before
    finally:
        f.run(WIFI, f"kill $(cat {timer}); rm -rf {frr.ROLLBACK_DIR}")
    settled(f)


def test_a_change_is_applied_then_taken_back_the_same_way(frr_lab: FrrLab) -> None:
    f = frr_lab
    settled(f)
    with edited(f.lab.inventory, *HUB_BANDWIDTH):
        r = f.lab.cli("apply", "--limit", HUB, "--json", *REVERT)
        assert r.returncode == 0, r.stdout + r.stderr
        o = outcome(r, HUB)
        assert o["status"] == "applied" and o["commands_sent"] == 1, o
        assert "rate 20Mbit ceil 30Mbit" in f.sh(HUB, f"tc class show dev {f.wan(HUB)} "
                                                       f"classid {f.site_class(PKM)}")
        assert f.run(HUB, f"test -e {frr.ROLLBACK_DIR}").returncode == 1  # disarmed
    # back to the baseline, the same way (and the second plan of the module fixture has
    # shown that a converged router gets nothing sent)
    r = f.lab.cli("apply", "--limit", HUB, "--json", *REVERT)
    assert r.returncode == 0 and outcome(r, HUB)["status"] == "applied", r.stdout
    assert "rate 10Mbit ceil 30Mbit" in f.sh(HUB, f"tc class show dev {f.wan(HUB)} "
                                                   f"classid {f.site_class(PKM)}")
