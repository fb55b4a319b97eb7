"""Exec commands NAPALM and Netmiko build on: files, MD5, Tcl, archive diffs, routing views."""

from __future__ import annotations

import hashlib

from pydriver.platforms.cisco_ios.engine import IOSEngine, IOSSession
from pydriver.platforms.emulation import NoTimers

CARET = "% Invalid input detected at '^' marker."


def router() -> tuple[IOSEngine, IOSSession]:
    engine = IOSEngine("r1", scheduler=NoTimers())
    engine.load_config(
        "hostname r1\n"
        "ip domain name lab.example\n"
        "ip name-server 10.0.0.53\n"
        "ip host ntp.lab.example 10.0.0.123\n"
        "archive\n"
        " path bootflash:archive\n"
        "vrf definition MGMT\n"
        " address-family ipv4\n"
        " exit-address-family\n"
        "interface GigabitEthernet0/0/1\n"
        " ip address 10.0.0.2 255.255.255.0\n"
        "interface GigabitEthernet0\n"
        " vrf forwarding MGMT\n"
        " ip address 192.168.1.5 255.255.255.0\n"
        "router bgp 65001\n"
        " neighbor 10.0.0.1 remote-as 65000\n"
        " neighbor 10.0.0.1 description upstream\n"
        "ip route 10.9.0.0 255.255.0.0 10.0.0.1\n"
        "ip route 10.8.0.0 255.255.0.0 Null0\n"
    )
    s = engine.open_session("admin")
    s.handle("enable")
    s.handle("lab")
    return engine, s


def test_dir_of_a_file_verify_md5_and_copy_null() -> None:
    engine, s = router()
    assert s.handle("dir bootflash:/nothere.txt") == (
        "%Error opening bootflash:/nothere.txt (No such file or directory)\n"
    )
    engine.write_file("bootflash:/cand.txt", "hostname x\n")
    listing = s.handle("dir bootflash:/cand.txt")
    assert listing.startswith("Directory of bootflash:/cand.txt\n\n")
    assert " -rw- " in listing and listing.split("\n")[2].split()[2] == "11"
    assert "cand.txt" not in s.handle("dir bootflash:/other.txt")
    digest = hashlib.md5(b"hostname x\n", usedforsecurity=False).hexdigest()
    assert s.handle("verify /md5 bootflash:/cand.txt").endswith(
        f"verify /md5 (bootflash:/cand.txt) = {digest}\n"
    )
    assert s.handle("copy null: bootflash:/cand.txt") == ""
    assert s.prompt() == "Destination filename [cand.txt]? "
    s.handle("")
    assert engine.read_file("cand.txt") == ""
    assert s.handle("dir nvram:") == "%Error opening nvram: (No such device)\n"


def test_tclsh_writes_a_file_and_passes_exec_commands_on() -> None:
    engine, s = router()
    s.handle("tclsh")
    assert s.prompt() == "r1(tcl)#"
    assert "Directory of bootflash:/" in s.handle("dir bootflash:")
    s.handle('puts [open "bootflash:/t.cfg" w+] {interface Loopback9')
    assert s.prompt() == "+>"
    s.handle(" description tcl}")
    assert s.prompt() == "r1(tcl)#"
    s.handle("tclquit")
    assert s.prompt() == "r1#"
    assert engine.read_file("bootflash:/t.cfg") == "interface Loopback9\n description tcl\n"


def test_archive_diffs_for_replace_and_merge() -> None:
    engine, s = router()
    candidate = engine.running_text().replace(
        " neighbor 10.0.0.1 description upstream\n", " neighbor 10.0.0.1 description isp\n"
    )
    engine.write_file(
        "bootflash:/cand.txt", candidate.replace("\nend\n", "\ninterface Loopback7\n")
    )
    diff = s.handle("show archive config differences system:/running-config bootflash:/cand.txt")
    assert diff == (
        "!Contextual Config Diffs:\n"
        "+interface Loopback7\n"
        " +no ip address\n"
        "router bgp 65001\n"
        " -neighbor 10.0.0.1 description upstream\n"
        " +neighbor 10.0.0.1 description isp\n"
    )
    engine.write_file(
        "bootflash:/merge.txt",
        "interface GigabitEthernet0/0/1\n ip address 10.0.0.2 255.255.255.0\n"
        " description new\nip route 10.9.0.0 255.255.0.0 10.0.0.1\nend\n",
    )
    assert s.handle("show archive config incremental-diffs bootflash:/merge.txt ignorecase") == (
        "!List of Commands:\ninterface GigabitEthernet0/0/1\n description new\nend\n"
    )
    engine.write_file("bootflash:/same.txt", "ip route 10.9.0.0 255.255.0.0 10.0.0.1\n")
    assert s.handle("show archive config incremental-diffs bootflash:/same.txt").endswith(
        "!No changes were found\n"
    )


def test_rollback_timer_names_who_armed_it() -> None:
    _engine, s = router()
    assert s.handle("show archive config rollback timer") == (
        "%No Rollback Confirmed Change pending\n"
    )
    s.handle("configure terminal revert timer 5")
    s.handle("end")
    out = s.handle("show archive config rollback timer")
    assert "Timer value: 5 min\n" in out and out.endswith("User: admin\n")


def test_copy_onto_running_config_is_quiet_when_file_prompt_quiet() -> None:
    engine, s = router()
    engine.write_file("bootflash:/m.txt", "interface Loopback3\n frobnicate\n")
    assert s.handle("copy bootflash:/m.txt running-config") == ""
    assert s.prompt() == "Destination filename [running-config]? "
    out = s.handle("")
    assert " frobnicate\n" in out and CARET in out  # IOS's own error for the refused line
    s.handle("configure terminal")
    s.handle("file prompt quiet")
    s.handle("end")
    out = s.handle("copy bootflash:/m.txt running-config")
    assert out.endswith("bytes/sec)\n") and "interface Loopback3" in engine.running_text()


def test_route_detail_vrfs_and_protocols() -> None:
    _engine, s = router()
    assert s.handle("show ip route 10.9.1.1") == (
        "Routing entry for 10.9.0.0/16\n"
        '  Known via "static", distance 1, metric 0\n'
        "  Routing Descriptor Blocks:\n"
        "  * 10.0.0.1\n"
        "      Route metric is 0, traffic share count is 1\n"
    )
    assert "* directly connected, via Null0" in s.handle("show ip route 10.8.0.0 255.255.0.0")
    assert s.handle("show ip route 10.0.0.2").startswith("Routing entry for 10.0.0.2/32\n")
    assert s.handle("show ip route 192.168.1.0 255.255.255.0") == "% Subnet not in table\n"
    assert "via GigabitEthernet0" in s.handle("show ip route vrf MGMT 192.168.1.7")
    assert s.handle("show ip route vrf NOPE 1.1.1.1").startswith("% IP routing table NOPE")
    assert "  MGMT " in s.handle("show vrf") and " Gi0\n" in s.handle("show vrf")
    assert s.handle("show ip protocols | include bgp") == 'Routing Protocol is "bgp 65001"\n'


def test_bgp_views_arp_hosts_and_users() -> None:
    engine, s = router()
    summary = s.handle("show bgp all summary")
    assert summary.startswith("For address family: IPv4 Unicast\n")
    assert "10.0.0.1        4        65000" in summary and summary.endswith(" never    Idle\n")
    detail = s.handle("show bgp ipv4 unicast neighbors 10.0.0.1")
    assert detail.startswith("BGP neighbor is 10.0.0.1,  remote AS 65000, external link\n")
    assert "  Description: upstream\n" in detail and "  BGP state = Idle\n" in detail
    assert s.handle("show bgp ipv4 unicast neighbors 10.0.0.9") == (
        "% No such neighbor or address family\n"
    )
    arp = s.handle("show arp").splitlines()
    assert arp[1].split() == [
        "Internet",
        "10.0.0.2",
        "-",
        arp[1].split()[3],
        "ARPA",
        "GigabitEthernet0/0/1",
    ]
    assert len(arp) == 2  # the VRF's interface is in another table
    hosts = s.handle("show hosts")
    assert hosts.startswith("Default domain is lab.example\n")
    assert "Name servers are 10.0.0.53\n" in hosts and "ntp.lab.example" in hosts
    other = engine.open_session("noc")
    users = s.handle("show users").splitlines()
    assert [u.split()[:4] for u in users[1:3]] == [
        ["*", "2", "vty", "0"],
        ["3", "vty", "1", "noc"],
    ]
    assert other.handle("exit") == ""
    assert len(s.handle("show users").splitlines()) == 5  # header, one session, interface table


def test_unknown_exec_commands_get_the_caret() -> None:
    _engine, s = router()
    assert s.handle("show bgp all neighbors bogus").endswith(CARET + "\n\n")
    assert s.handle("show platform software status").endswith(CARET + "\n\n")
    s.handle("tclsh")
    assert s.handle("show frobnicate").endswith(CARET + "\n\n")
