"""The Linux routers' host baseline in `pydriver check`: judged from the routers playbook
on rendered configs, and from the files themselves on a router read back."""

from __future__ import annotations

import shutil
from datetime import date
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from pydriver.compliance.model import Report, Status
from pydriver.pipeline import Pipeline
from pydriver.platforms.facts import strong_ssh
from pydriver.platforms.linux_frr import driver as frr
from pydriver.servers.inventory import ServerInventory, generate
from pydriver.servers.provisioned import baseline_facts, for_pipeline
from tests.conftest import ROOT

TODAY = date(2026, 12, 1)
LINUX = ("hub-pusdatin-02", "rtr-pkm-tanjung", "rtr-wifi-alun-alun")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project's inventory, playbooks and roles."""
    for part in ("inventory", "playbooks", "roles"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def _findings(report: Report, rule: str, host: str) -> list[tuple[Status, str]]:
    return [(f.status, f.message) for f in report.findings
            if f.rule == rule and f.router == host]


def test_every_linux_router_names_the_provisioned_servers() -> None:
    pipe = Pipeline(ROOT / "inventory")
    facts = for_pipeline(pipe)
    assert sorted(facts) == list(LINUX)
    for host in LINUX:
        base = pipe.intents[host].baseline
        f = facts[host]
        assert f.facts["ntp.servers"].value == base.ntp == (
            IPv4Address("10.10.10.11"), IPv4Address("10.20.10.11"))
        assert f.facts["syslog.servers"].value == base.syslog
        assert f.facts["aaa.radius"].value == base.radius
        assert set(f.facts["admin.named"].value) == {a.name for a in base.admins}
        assert f.facts["login.lockout"].value is True
        assert f.facts["snmp.integrity"].value == {"sha256"}
        assert f.facts["ntp.servers"].first is not None
        assert f.facts["ntp.servers"].first.file == "playbooks/routers.yml"
    report = pipe.check(today=TODAY, provisioned=facts)
    for host in LINUX:
        for rule in ("JIP-05", "JIP-06", "JIP-09", "JIP-13", "JIP-20"):
            got = _findings(report, rule, host)
            assert got and all(s is Status.PASS for s, _ in got), (host, rule, got)
    # without the playbook's facts the same routers' time and logs cannot be judged
    bare = pipe.check(today=TODAY)
    assert {s for s, _ in _findings(bare, "JIP-13", "rtr-pkm-tanjung")} == \
        {Status.NOT_ASSESSED}


def test_a_role_missing_from_the_playbook_fails_its_rule(project: Path) -> None:
    book = project / "playbooks" / "routers.yml"
    text = book.read_text()
    book.write_text(text.replace("    - role: chrony\n      tags: [routers, ntp, chrony]\n",
                                 ""))
    pipe = Pipeline(project / "inventory")
    report = pipe.check(today=TODAY, provisioned=for_pipeline(pipe))
    ntp = [f for f in report.findings if f.rule == "JIP-13" and f.router == "hub-pusdatin-02"
           and f.status is Status.FAIL]
    assert ntp and "NTP servers missing" in ntp[0].message
    assert ntp[0].evidence is not None and ntp[0].evidence.file == "playbooks/routers.yml"
    # a playbook for another group provisions nothing on the routers: every rule fails
    book.write_text(text.replace("hosts: linux_routers", "hosts: servers"))
    report = pipe.check(today=TODAY, provisioned=baseline_facts(project, _generated(pipe)))
    for rule in ("JIP-05", "JIP-06", "JIP-13", "JIP-20"):
        assert {s for s, _ in _findings(report, rule, "rtr-wifi-alun-alun")} == \
            {Status.FAIL}, rule
    # no routers playbook at all: provisioned elsewhere, so nothing is claimed either way
    book.unlink()
    assert baseline_facts(project, _generated(pipe)) == {}
    report = pipe.check(today=TODAY, provisioned=for_pipeline(pipe, project))
    assert {s for s, _ in _findings(report, "JIP-13", "rtr-wifi-alun-alun")} == \
        {Status.NOT_ASSESSED}


def _generated(pipe: Pipeline) -> ServerInventory:
    return generate(pipe.network, pipe.intents, pipe.inventory.resolve())


def test_a_weakened_role_default_fails_where_it_is_written(project: Path) -> None:
    defaults = project / "roles" / "baseline" / "defaults" / "main.yml"
    text = defaults.read_text()
    defaults.write_text(text.replace("  - aes128-ctr\n", "  - aes128-ctr\n  - aes256-cbc\n")
                        .replace("baseline_faillock_deny: 5", "baseline_faillock_deny: 0"))
    pipe = Pipeline(project / "inventory")
    report = pipe.check(today=TODAY, provisioned=for_pipeline(pipe))
    weak = [f for f in report.findings if f.rule == "JIP-06" and f.router == "rtr-pkm-tanjung"
            and f.status is Status.FAIL]
    assert weak and weak[0].evidence is not None
    assert weak[0].evidence.file == "roles/baseline/defaults/main.yml"
    lines = defaults.read_text().splitlines()
    assert lines[weak[0].evidence.line - 1] == "baseline_ssh_ciphers:"
    lockout = _findings(report, "JIP-20", "rtr-pkm-tanjung")
    assert (Status.FAIL, "no login lockout") in lockout


# -- a Linux router read back: its own baseline files --------------------------------------

CHRONY = """# Managed by pydriver from the source of truth; local changes are overwritten.
# Client of the intranet's NTP servers.
server 10.10.10.11 iburst
server 10.20.10.11 iburst
bindacqaddress 10.255.0.44
driftfile /var/lib/chrony/chrony.drift
makestep 1 3
"""
RSYSLOG = """*.* action(type="omfwd" target="10.10.10.31" port="514" protocol="udp" \
address="10.255.0.44"
          template="RSYSLOG_ForwardFormat")
"""
SSHD = """PermitRootLogin prohibit-password
ClientAliveInterval 300
ClientAliveCountMax 2
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr
AllowUsers *@10.250.10.0/24 *@10.250.20.0/24
"""
PAM = """/etc/pam.d/sshd:auth requisite pam_faillock.so preauth
/etc/pam.d/sshd:auth [success=done new_authtok_reqd=done authinfo_unavail=2 ignore=2 \
default=ignore] pam_radius_auth.so localifdown
/etc/pam.d/sshd:auth [default=die] pam_faillock.so authfail
/etc/pam.d/common-auth:auth\trequisite pam_faillock.so preauth
/etc/pam.d/common-auth:auth\t[default=die] pam_faillock.so authfail
"""
SNMPD = """agentaddress udp:10.255.0.44:161
createUser jip-monitor SHA-256 (passphrases not read)
rouser jip-monitor priv
"""


def test_a_router_read_back_is_judged_by_its_own_files(example: Path) -> None:
    pipe = Pipeline(example)
    host = "rtr-pkm-tanjung"
    good = frr.join({**dict(pipe.rendered[host].files), "chrony.conf": CHRONY,
                     "rsyslog.conf": RSYSLOG, "sshd_config": SSHD, "snmpd.conf": SNMPD,
                     "pam_radius_auth.conf": "10.10.10.21:1812\n",
                     "faillock.conf": "deny = 5\nunlock_time = 900\n",
                     "pam.d": PAM, "admins": "jip-admins:x:1001:lalu.ahmad,baiq.nurul\n",
                     "timeout.sh": "TMOUT=600\nreadonly TMOUT\nexport TMOUT\n"})
    kept = frr.split(frr.normalise(good))  # the observed files survive a backup
    assert kept["chrony.conf"] == CHRONY and kept["snmpd.conf"] == SNMPD
    report = pipe.check({host: (good, f"backups/{host}.txt")}, "backups", today=TODAY)
    for rule in ("JIP-05", "JIP-06", "JIP-09", "JIP-13", "JIP-20"):
        got = _findings(report, rule, host)
        assert got and all(s is Status.PASS for s, _ in got), (rule, got)
    # drifted: NTP file gone, SNMP back to SHA-1, RADIUS and lockout removed
    bad = frr.join({**dict(pipe.rendered[host].files), "chrony.conf": "",
                    "rsyslog.conf": RSYSLOG, "sshd_config": SSHD,
                    "snmpd.conf": SNMPD.replace("SHA-256", "SHA"),
                    "pam_radius_auth.conf": "10.10.10.21:1812\n",
                    "faillock.conf": "deny = 5\n",
                    "pam.d": "\n".join(line for line in PAM.splitlines()
                                       if "common-auth" not in line and "radius" not in line),
                    "admins": "jip-admins:x:1001:lalu.ahmad,intruder\n",
                    "timeout.sh": "# TMOUT=600\n"})
    report = pipe.check({host: (bad, f"backups/{host}.txt")}, "backups", today=TODAY)
    failed = {f.rule: f for f in report.findings if f.router == host
              and f.status is Status.FAIL}
    assert {"JIP-05", "JIP-09", "JIP-13", "JIP-20"} <= set(failed), sorted(failed)
    assert "NTP servers missing" in failed["JIP-13"].message
    assert "intruder" in failed["JIP-05"].message or "RADIUS" in failed["JIP-05"].message
    snmp = failed["JIP-09"].evidence
    assert snmp is not None and snmp.file == f"backups/{host}.txt"
    assert bad.split("\n")[snmp.line - 1].startswith(("agentaddress", "createUser"))


def test_apply_keeps_what_it_did_not_push(example: Path) -> None:
    """The observed files pass through the offline model of a push unchanged."""
    pipe = Pipeline(example)
    host = "rtr-pkm-tanjung"
    running = frr.join({**dict(pipe.rendered[host].files), "chrony.conf": CHRONY})
    after = frr.apply_text(running, ("replace /etc/nftables.conf",),
                           (("nftables.conf", "table inet filter {}\n"),))
    assert frr.split(after)["chrony.conf"] == CHRONY
    assert frr.split(after)["nftables.conf"] == "table inet filter {}\n"


def test_pydriver_logs_in_to_a_linux_router_with_a_key_when_given_one() -> None:
    """After the playbook, sshd refuses root's password: the key file is passed to Netmiko."""
    drv = frr.FRRDriver()
    assert drv.connection_extras({}, {}) == {}
    assert drv.connection_extras({}, {"PYDRIVER_SSH_KEY_FILE": "/k/id_ed25519"}) == {
        "use_keys": True, "key_file": "/k/id_ed25519"}
    assert drv.connection_extras({"key_file": "/lab/key"}, {"PYDRIVER_SSH_KEY_FILE": "/k"})[
        "key_file"] == "/lab/key"


def test_ssh_strength_is_one_rule_for_the_playbook_and_the_router() -> None:
    """The same test judges the role defaults and a router's sshd drop-in: a SHA-1 MAC or
    an unnamed cipher list is weak on both."""
    assert strong_ssh(["aes256-gcm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"])
    assert not strong_ssh(["aes256-gcm@openssh.com"], ["hmac-sha1"])
    assert not strong_ssh([], ["hmac-sha2-256"])
    pipe = Pipeline(ROOT / "inventory")
    host = "rtr-pkm-tanjung"
    text = frr.join({**dict(pipe.rendered[host].files),
                     "sshd_config": SSHD + "MACs hmac-sha2-256-etm@openssh.com,hmac-sha1\n"})
    report = pipe.check({host: (text, f"backups/{host}.txt")}, "backups", today=TODAY)
    assert {s for s, _ in _findings(report, "JIP-06", host)} == {Status.FAIL}
