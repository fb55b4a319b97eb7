"""Archive, configure replace and the Rollback Confirmed Change timer, in virtual time."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pydriver.platforms.cisco_ios.engine import LAB_ENABLE_SECRET, IOSEngine, IOSSession

MINUTE = 60.0


@dataclass
class _Timer:
    when: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeScheduler:
    """Virtual time: callbacks run only when a test advances the clock past them."""

    now: float = 1_700_740_800.0  # Thu Nov 23 2023 12:00:00 UTC
    timers: list[_Timer] = field(default_factory=list)

    def call_later(self, delay: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def clock(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        target = self.now + seconds
        while True:
            due = [t for t in self.timers if not t.cancelled and t.when <= target]
            if not due:
                break
            timer = min(due, key=lambda t: t.when)
            self.timers.remove(timer)
            self.now = timer.when
            timer.callback()
        self.now = target


def make(archive: bool = True) -> tuple[IOSEngine, FakeScheduler, IOSSession]:
    sched = FakeScheduler()
    engine = IOSEngine("r1", scheduler=sched, clock=sched.clock)
    s = engine.open_session("lab")
    s.handle("enable")
    s.handle(LAB_ENABLE_SECRET)
    if archive:
        config(s, "archive", " path bootflash:archive", " maximum 3")
    return engine, sched, s


def config(s: IOSSession, *lines: str) -> str:
    out = s.handle("configure terminal")
    for line in lines:
        out += s.handle(line)
    return out + s.handle("end")


def test_archive_config_names_rotates_and_lists() -> None:
    engine, sched, s = make()
    assert s.handle("archive config") == ""
    sched.advance(61.25)
    s.handle("archive config")
    assert engine.archive == [
        "bootflash:archive-Nov-23-12-00-00.000-0",
        "bootflash:archive-Nov-23-12-01-01.250-1",
    ]
    out = s.handle("show archive")
    assert out.splitlines()[:4] == [
        "The maximum archive configurations allowed is 3.",
        "There are currently 2 archive configurations saved.",
        "The next archive file will be named bootflash:archive-<timestamp>-2",
        " Archive #  Name",
    ]
    assert re.search(r"^   2 +bootflash:archive-Nov-23-12-01-01\.250-1 <- Most Recent$", out, re.M)
    s.handle("archive config")
    s.handle("archive config")
    assert len(engine.archive) == 3 and engine.archive[0].endswith("-1")
    assert "archive-Nov-23-12-00-00.000-0" not in s.handle("dir bootflash:")
    assert "hostname Router" in s.handle(f"more {engine.archive[-1]}")


def test_archive_name_carries_the_configured_time_zone() -> None:
    engine, _sched, s = make()
    config(s, "clock timezone WITA 8 0")
    s.handle("archive config")
    assert engine.archive[-1] == "bootflash:archive-Nov-23-20-00-00.000-WITA-0"


def test_archive_without_a_path() -> None:
    _engine, _sched, s = make(archive=False)
    assert s.handle("show archive") == "Archive feature not enabled\n"
    out = s.handle("configure terminal revert timer 5")
    assert out.startswith("%Archive path not specified")
    assert s.prompt() == "Router#"


def test_write_memory_archives_when_asked() -> None:
    engine, _sched, s = make()
    config(s, "archive", " write-memory")
    s.handle("write memory")
    assert len(engine.archive) == 1


def test_configure_replace_asks_and_replaces() -> None:
    engine, _sched, s = make()
    s.handle("copy running-config bootflash:base.cfg")
    s.handle("")
    config(s, "hostname changed", "interface Loopback9", "ntp server 10.1.1.1")
    assert s.handle("configure replace bootflash:base.cfg") == ""
    assert s.prompt().endswith("Enter Y if you are sure you want to proceed. ? [no]: ")
    assert "This will apply all necessary additions and deletions" in s.prompt()
    assert s.handle("n") == ""
    assert engine.hostname == "changed"
    s.handle("configure replace bootflash:base.cfg")
    assert s.handle("y") == "Total number of passes: 1\nRollback Done\n"
    assert s.prompt() == "Router#"
    running = s.handle("show running-config")
    assert "Loopback9" not in running and "ntp server" not in running
    assert s.handle("configure replace bootflash:base.cfg force") == (
        "Total number of passes: 0\nRollback Done\n"
    )


def test_configure_replace_errors() -> None:
    engine, _sched, s = make()
    out = s.handle("configure replace bootflash:nope.cfg force")
    assert out == "%Error opening bootflash:nope.cfg (No such file or directory)\n"
    engine.write_file("bootflash:bad.cfg", "hostname good\nfrobnicate now\nend\n")
    out = s.handle("configure replace bootflash:bad.cfg force")
    assert "Rollback aborted after 5 passes" in out and "Command:  frobnicate now" in out
    assert engine.hostname == "Router"


def test_replace_with_revert_timer_reverts_when_not_confirmed() -> None:
    engine, sched, s = make()
    engine.write_file("bootflash:next.cfg", engine.running_text().replace("Router", "next"))
    out = s.handle("configure replace bootflash:next.cfg force revert trigger error timer 2")
    assert out.startswith(
        "Rollback Confirmed Change: Backing up current running config to "
        "bootflash:archive-Nov-23-12-00-00.000-0\n"
    )
    assert out.endswith("Total number of passes: 1\nRollback Done\n")
    assert engine.hostname == "next"
    sched.advance(2 * MINUTE - 1)
    assert engine.hostname == "next"
    sched.advance(1)
    assert engine.hostname == "Router"
    assert "ROLLBK_CNFMD_CHG_ROLLBACK_START" in s.handle("show logging")
    assert s.handle("configure confirm") == "%No Rollback Confirmed Change pending\n"


def test_confirmed_change_stays() -> None:
    engine, sched, s = make()
    out = s.handle("configure terminal revert timer 1")
    assert out.startswith("Rollback Confirmed Change: Backing up current running config to ")
    assert out.endswith("Enter configuration commands, one per line.  End with CNTL/Z.\n")
    s.handle("hostname confirmed")
    s.handle("end")
    sched.advance(30)
    assert s.handle("configure confirm") == ""
    sched.advance(10 * MINUTE)
    assert engine.hostname == "confirmed"
    assert not engine.revert_pending


def test_unconfirmed_terminal_change_reverts_even_mid_session() -> None:
    engine, sched, s = make()
    s.handle("configure terminal revert timer 1")
    s.handle("hostname risky")
    s.handle("interface Loopback7")
    generation = engine.generation
    sched.advance(MINUTE)
    assert engine.hostname == "Router" and engine.generation > generation
    s.handle("description after the rollback")  # the sub-mode node is gone: back to global
    assert "Loopback7" not in s.handle("do show running-config")


def test_revert_now_and_timer_reset() -> None:
    engine, sched, s = make()
    s.handle("configure terminal revert timer 1")
    s.handle("hostname later")
    s.handle("end")
    assert s.handle("configure revert timer 5") == ""
    sched.advance(4 * MINUTE)
    assert engine.hostname == "later"
    assert s.handle("configure revert now") == ""
    assert engine.hostname == "Router" and not engine.revert_pending


def test_reboot_cancels_a_pending_revert() -> None:
    engine, sched, s = make()
    s.handle("write memory")
    s.handle("configure terminal revert timer 1")
    s.handle("end")
    engine.reboot()
    generation = engine.generation
    sched.advance(5 * MINUTE)
    assert engine.generation == generation


def test_archive_time_period_runs_on_the_scheduler() -> None:
    engine, sched, s = make()
    config(s, "archive", " time-period 10")
    sched.advance(25 * MINUTE)
    assert len(engine.archive) == 2
    config(s, "archive", " no time-period")
    sched.advance(60 * MINUTE)
    assert len(engine.archive) == 2


def test_configure_replace_list_shows_the_commands() -> None:
    engine, _sched, s = make()
    s.handle("copy running-config bootflash:base.cfg")
    s.handle("")
    config(s, "ntp server 10.1.1.1")
    out = s.handle("configure replace bootflash:base.cfg list force")
    assert "!List of Commands:\nno ntp server 10.1.1.1\n" in out
    assert engine.running.value("ntp server") is None
