"""Named changes as an operator makes them: edit the source of truth (or a secret), plan,
apply the saved plan, and check the network, on a lab of emulated IOS-XE and RouterOS
routers that is up and converged for a few sites.

The scenarios share one lab and run in any order, each starting from it converged on the
source of truth as the ones before left it: a new OPD joins (its twin added to the running
lab), a site's bandwidth changes, a site's pre-shared key is rotated, and a change that
failed on one router is retried on it alone.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from pydriver.deploy import audit
from pydriver.intent.model import DeviceIntent
from pydriver.lab import manage
from pydriver.pipeline import Pipeline
from tests.lab.conftest import Lab, lab_env, make_inventory, secret_env

pytestmark = pytest.mark.lab

SITES = ("dishub", "kec-ampenan", "kec-gunungsari")
HUBS = {"hub-drc-01", "hub-pusdatin-01"}
NEW = "rtr-dispar"
# a new OPD: RouterOS on two internet links, primary to the IOS-XE hub, backup to the
# RouterOS hub (ids, transit and underlay addresses unused in the example region)
NEW_SITE = """\
# Dinas Pariwisata
id: 17
code: dispar
name: Dinas Pariwisata
kind: opd_office
address: "Jl. Langko No. 70, Mataram"
router:
  hostname: rtr-dispar
  platform: mikrotik_routeros
  model: hEX RB750Gr3
links:
  - name: inet-pusdatin
    medium: internet_vpn
    hub: hub-pusdatin-01
    role: primary
    capacity_mbps: 50
    interface: ether1
    provider: Indibiz
    address: 192.0.2.38/30
    gateway: 192.0.2.37
  - name: inet-drc
    medium: internet_vpn
    hub: hub-drc-01
    role: backup
    capacity_mbps: 20
    interface: ether2
    provider: Biznet
    address: 198.51.100.18/30
    gateway: 198.51.100.17
zones:
  - kind: staff
    interface: ether3
bandwidth:
  uplink: inet-telkom
  guaranteed_mbps: 10
  max_mbps: 30
  priority: 5
"""
# a line that would touch a tunnel, its crypto or a BGP session, on either platform
SESSION_LINE = re.compile(
    r"^\s*(?:no )?(?:interface Tunnel|tunnel |crypto |router bgp|neighbor |ip prefix-list )"
    r"|^/(?:interface gre|ip ipsec|routing|ip address) ", re.M)


@pytest.fixture(scope="module")
def running_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Hubs and three sites (IOS-XE and RouterOS; linux_frr left out), brought up and
    applied through the CLI."""
    base = tmp_path_factory.mktemp("scenarios")
    inv = make_inventory(base, SITES)
    state = base / ".pydriver"
    the_lab = Lab(inv, state, lab_env(inv, state), base)
    try:
        up(the_lab)
        outcomes(the_lab.cli("apply", "--no-canary", "--wave-size", "100%", "--json"))
        converged(the_lab)
        yield the_lab
    finally:
        manage.down(state)


@pytest.fixture
def lab(running_lab: Lab) -> Lab:
    """The running lab, converged on the source of truth as the scenarios before this one
    left it (each runs once, in any order; one that failed half-way is finished here)."""
    outcomes(running_lab.cli("apply", "--no-canary", "--wave-size", "100%", "--json"))
    converged(running_lab)
    return running_lab


def up(lab: Lab) -> subprocess.CompletedProcess[str]:
    r = lab.cli("lab", "up", "--inventory", str(lab.inventory), "--skip-platform", "linux_frr")
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def plan(lab: Lab, name: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``pydriver plan --out <name>.json``: what it printed, and the routers it changes."""
    path = lab.cwd / f"{name}.json"
    r = lab.cli("plan", "--out", str(path))
    assert r.returncode == 2, r.stdout + r.stderr
    saved = json.loads(path.read_text())
    return r, {p["host"]: p for p in saved["routers"] if p["action"] in ("create", "update")}


def outcomes(r: subprocess.CompletedProcess[str], code: int = 0) -> dict[str, dict[str, Any]]:
    """``apply --json``'s routers (the ones the lab leaves out are dropped)."""
    assert r.returncode == code, r.stdout + r.stderr
    return {o["host"]: o for o in json.loads(r.stdout)
            if not o["detail"].startswith("lab skips platform")}


def converged(lab: Lab) -> None:
    r = lab.cli("plan")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No changes." in r.stdout


def hubs_first(result: dict[str, dict[str, Any]], site: str) -> None:
    assert {h for h, o in result.items() if o["status"] == "applied"} >= HUBS | {site}
    assert max(result[h]["wave"] for h in HUBS) < result[site]["wave"]


def tunnels_up(lab: Lab, intents: dict[str, DeviceIntent], site: str) -> None:
    """The fabric has an IKE SA and a working tunnel at both ends of each of the site's
    tunnels (its SAs need both ends' keys and proposals to agree)."""
    for t in intents[site].tunnels:
        far = next(x.name for x in intents[t.peer].tunnels if x.peer == site and x.link == t.link)
        for host, name in ((site, t.name), (t.peer, far)):
            assert lab.fabric("ipsec_up", host, name), (host, name)
            assert lab.fabric("tunnel_up", host, name), (host, name)


def other_region(lab: Lab, host: str, check: dict[str, Any]) -> bool:
    """Whether ``check`` is about one of ``host``'s interconnects, whose far end is in a
    region this lab does not hold (its name carries the tunnel or the far inner address)."""
    intents = Pipeline(lab.inventory).intents
    return any(t.name in check["name"] or f" {t.remote_inner} " in f" {check['name']} "
               for t in intents[host].tunnels if t.peer not in intents)


def all_required_passed(outcome: dict[str, Any], lab: Lab | None = None) -> None:
    """Every post-check of the router passed, none excused as waiting for another end (but
    the interconnects to a region this lab does not hold, which wait for it)."""
    assert outcome["checks"], outcome
    for check in outcome["checks"]:
        if lab is not None and other_region(lab, outcome["host"], check):
            assert check["excused"], check
            continue
        assert check["ok"] and not check["excused"], check


def test_new_site_joins_the_running_lab_and_the_network(lab: Lab) -> None:
    ports = {r.name: r.port for r in manage.status(lab.state)}
    (lab.inventory / "sites" / "dispar.yml").write_text(NEW_SITE)
    for key, value in secret_env(lab.inventory).items():  # its key, as the pull request
        lab.env.setdefault(key, value)  # adds it to CI (a key rotated before is kept)
    assert f"twins added: {NEW}" in up(lab).stdout
    now = {r.name: r.port for r in manage.status(lab.state)}
    assert set(now) - set(ports) == {NEW}
    assert {h: now[h] for h in ports} == ports  # the running twins were kept, not rebuilt
    assert "pydriver:" not in lab.running(NEW)  # factory default

    printed, changes = plan(lab, "new-site")
    assert set(changes) == HUBS | {NEW}
    assert changes[NEW]["action"] == "create"  # nothing of pydriver's on it yet
    assert {changes[h]["action"] for h in HUBS} == {"update"}
    assert "hubs:  hub-drc-01, hub-pusdatin-01\n  sites: dispar\n" in printed.stdout
    _pipe = Pipeline(lab.inventory)
    intents, whole = _pipe.intents, _pipe.rendered[NEW].main
    owned = set(re.findall(r"comment=(pydriver:\S+)", whole))
    sent = "\n".join(changes[NEW]["commands"])
    assert len(owned) > 30 and {o for o in owned if o not in sent} == set()
    for hub in HUBS:
        sent = "\n".join(changes[hub]["commands"])
        tunnels = [t.name for t in intents[hub].tunnels if t.site == "dispar"]
        peers = [nb for nb in intents[hub].bgp.neighbors if nb.description.startswith("dispar ")]
        assert tunnels and peers
        for name in tunnels:
            assert re.search(rf"^(?:interface {name}$|/interface gre add .*name={name} )",
                             sent, re.M), (hub, name)
        for nb in peers:
            assert re.search(rf"^\s*neighbor {nb.address} remote-as |remote\.address="
                             rf"{nb.address} ", sent, re.M), (hub, nb.address)
            assert nb.filter_name.lower() in sent.lower(), (hub, nb.filter_name)
        assert not re.search(r"^\s*no (?!shutdown$)|\bremove\b", sent, re.M), hub  # adds only

    result = outcomes(lab.cli("apply", str(lab.cwd / "new-site.json"), "--json"))
    hubs_first(result, NEW)
    all_required_passed(result[NEW])
    tunnels_up(lab, intents, NEW)
    site = intents[NEW]
    for nb in site.bgp.neighbors:
        assert lab.fabric("bgp_established", NEW, str(nb.address))
    for hub in HUBS:
        for nb in intents[hub].bgp.neighbors:
            if nb.description.startswith("dispar "):
                assert lab.fabric("bgp_established", hub, str(nb.address))
        assert lab.fabric("ping", hub, str(site.zones[0].gateway.ip), str(intents[hub].loopback))
    converged(lab)


def test_changed_bandwidth_touches_only_the_shaping(lab: Lab) -> None:
    site = lab.inventory / "sites" / "kec-gunungsari.yml"
    text = site.read_text()
    assert "guaranteed_mbps: 10\n" in text and "max_mbps: 30\n" in text
    site.write_text(text.replace("guaranteed_mbps: 10\n", "guaranteed_mbps: 25\n")
                    .replace("max_mbps: 30\n", "max_mbps: 45\n"))

    _, changes = plan(lab, "bandwidth")
    assert set(changes) == HUBS | {"rtr-kec-gunungsari"}
    for host, change in changes.items():
        assert change["sections"] == ["qos"], host
        assert not any(SESSION_LINE.search(c) for c in change["commands"]), host
    assert [c for c in changes["hub-pusdatin-01"]["commands"] if not c.startswith(" ")] == \
        ["policy-map SITE-KEC-GUNUNGSARI"]
    assert all(c.startswith("/queue simple set ") for c in changes["hub-drc-01"]["commands"])

    result = outcomes(lab.cli("apply", str(lab.cwd / "bandwidth.json"), "--json"))
    assert {h for h, o in result.items() if o["status"] == "applied"} == set(changes)
    for host in changes:  # queues only: every session stays required, and up
        all_required_passed(result[host], lab)
    assert re.search(r"^policy-map SITE-KEC-GUNUNGSARI\n class class-default\n(?:  .*\n)*"
                     r"  shape average 45000000\n", lab.running("hub-pusdatin-01"), re.M)
    assert re.search(r"comment=pydriver:shape/kec-gunungsari/gre-kec-gunungsari-0 "
                     r"limit-at=25M/25M max-limit=45M/45M ", lab.running("hub-drc-01"))
    for queue in ("total", "other"):
        assert re.search(rf"comment=pydriver:qos/{queue} max-limit=45M/45M ",
                         lab.running("rtr-kec-gunungsari"))
    converged(lab)


def test_rotated_pre_shared_key_never_leaves_the_routers(lab: Lab) -> None:
    name, site = "JIP_PSK_KEC_GUNUNGSARI", "rtr-kec-gunungsari"
    old, new = lab.env[name], "rotated-" + secrets.token_hex(8)
    backups = str(lab.cwd / "backups")
    shown = [lab.cli("backup", "--backups", backups)]  # the old key still in use
    assert shown[-1].returncode == 0, shown[-1].stderr
    lab.env[name] = new

    printed, changes = plan(lab, "psk")
    shown.append(printed)
    assert set(changes) == HUBS | {site}
    for host, change in changes.items():
        assert change["sections"] == ["crypto"], host
        assert f"@@secret:env:{name}@@" in "\n".join(change["commands"]), host
    assert re.search(r"^\s+no pre-shared-key @@redacted:\w+@@\n\s+pre-shared-key @@secret:",
                     "\n".join(changes["hub-pusdatin-01"]["commands"]), re.M)

    shown.append(lab.cli("apply", str(lab.cwd / "psk.json"), "--json"))
    result = outcomes(shown[-1])
    hubs_first(result, site)
    # between the hub waves and the site's, the hubs' sessions to the site are down (the
    # site still has the old key): not required of the hubs, and every other one is
    intents = Pipeline(lab.inventory).intents
    for hub in HUBS:
        tunnel = next(t.name for t in intents[hub].tunnels if t.peer == site)
        for check in result[hub]["checks"]:
            assert check["ok"] or check["excused"], check
            excused = check["excused"]
            about_site = other_region(lab, hub, check) or "kec-gunungsari" in check["name"] or \
                check["name"].endswith(f" over {tunnel}")
            assert excused == about_site, check
            assert not excused or other_region(lab, hub, check) or \
                "changes its end in a later wave" in check["detail"], check
    all_required_passed(result[site])
    tunnels_up(lab, intents, site)
    for host in HUBS | {site}:
        running = lab.running(host)
        assert new in running and old not in running, host

    shown.append(lab.cli("backup", "--backups", backups))
    assert shown[-1].returncode == 0, shown[-1].stderr
    history = subprocess.run(["git", "-C", backups, "log", "-p"], capture_output=True,
                             text=True, check=True).stdout
    assert "@@secret:env:" + name in history
    converged(lab)
    texts = [history, *(r.stdout + r.stderr for r in shown)]
    files = [p for p in lab.cwd.rglob("*") if p.is_file()]
    # the audit log, the lab's state, the backups and the plans are all searched
    assert {"audit.jsonl", "overrides.json", "rtr-kec-gunungsari.rsc", "psk.json"} <= \
        {p.name for p in files}
    for value in (old, new):
        assert not [t for t in texts if value in t]
        assert not [p for p in files if value.encode() in p.read_bytes()]


def test_retry_failed_touches_only_the_router_that_failed(lab: Lab) -> None:
    region = lab.inventory / "region.yml"
    text = region.read_text()
    assert 'location_prefix: "Provinsi NTB"' in text
    region.write_text(text.replace('location_prefix: "Provinsi NTB"',
                                   'location_prefix: "Prov. NTB"'))
    routers = {r.name for r in manage.status(lab.state)}
    bad = "rtr-kec-ampenan"
    before = lab.running(bad)
    lab.faults(bad, reject_pattern=r"^/import file-name=pydriver-change")
    try:
        result = outcomes(lab.cli("apply", "--wave-size", "100%", "--json"), code=1)
    finally:
        lab.faults(bad, reject_pattern=None)
    assert result[bad]["status"] == "rolled-back", result[bad]
    # the import of the uploaded change is what the router refused (the driver names the
    # script's first line): nothing of the change is in, the revert job and files must go
    assert "router rejected: " in result[bad]["detail"]
    assert "restored byte-identical" in result[bad]["detail"]
    assert lab.running(bad) == before
    assert {h for h, o in result.items() if o["status"] == "applied"} == routers - {bad}
    last = list(audit.records(lab.state))[-1]
    assert last["routers"][bad]["status"] == "rolled-back"
    assert "router rejected" in last["routers"][bad]["detail"]
    left_out = {h for h, o in last["routers"].items() if o["detail"].startswith("lab skips")}
    assert set(audit.last_failed(lab.state, lab.inventory)) - left_out == {bad}

    for host in routers:
        lab.control("reset_counters", name=host)
    retried = outcomes(lab.cli("apply", "--retry-failed", "--json"))
    assert {h: o["status"] for h, o in retried.items()} == {bad: "applied"}
    assert lab.faults(bad)["commands_seen"] > 0
    assert {h: lab.faults(h)["commands_seen"] for h in routers - {bad}} == \
        dict.fromkeys(routers - {bad}, 0)
    assert 'location="Prov. NTB, Kantor Camat Ampenan"' in lab.running(bad)
    converged(lab)
