"""``/import``, scripts and the scheduler of the emulated RouterOS, in virtual time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine


@dataclass
class _Timer:
    when: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class VirtualTime:
    """Callbacks run only when a test advances the clock past them."""

    now: float = 1_795_428_000.0  # 2026-11-23 10:00:00 UTC
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


def make(defaults: bool = True) -> tuple[RouterOSEngine, VirtualTime]:
    time = VirtualTime()
    return RouterOSEngine("r1", scheduler=time, clock=time.clock, defaults=defaults), time


def body(export: str) -> list[str]:
    return [line for line in export.splitlines() if not line.startswith("#")]


# ------------------------------------------------------------------ import


def test_import_runs_file_with_menu_context_and_continuations() -> None:
    ros, _ = make()
    ros.write_file("push.rsc", "# a comment\n/ip address\nadd address=10.1.1.1/24 \\\n"
                   "    interface=ether5 comment=pushed\n/system identity set name=r-push\n")
    out = ros.run("/import file-name=push.rsc")
    assert out == "\nScript file loaded and executed successfully\n"
    assert ros.identity == "r-push"
    assert "add address=10.1.1.1/24 comment=pushed interface=ether5 network=10.1.1.0" in \
        body(ros.export())
    again = ros.run("/import push.rsc")
    assert again.startswith("Script Error: failure: already have such address")


def test_import_stops_at_first_error_and_keeps_earlier_lines() -> None:
    ros, _ = make()
    ros.write_file("bad.rsc", "/system identity set name=first\n"
                   "/ip address add address=192.168.88.1/24 interface=bridge\n"
                   "/system identity set name=never\n")
    out = ros.run("/import file-name=bad.rsc")
    assert out == "Script Error: failure: already have such address (line 2 column 1)\n"
    assert ros.identity == "first"


def test_import_reports_syntax_errors_with_file_position() -> None:
    ros, _ = make()
    ros.write_file("typo.rsc", "/ip address\nadd address=10.1.1.1/24 interface=ether5 bogus=1\n")
    assert ros.run("/import file-name=typo.rsc") == \
        "Script Error: expected end of command (line 2 column 42)\n"
    ros.write_file("cmd.rsc", "/ip adress add\n")
    assert ros.run("/import file-name=cmd.rsc") == \
        "Script Error: bad command name adress (line 1 column 5)\n"
    assert ros.run("/import file-name=missing.rsc") == "failure: no such file\n"


def test_import_dry_run_checks_syntax_only_and_changes_nothing() -> None:
    ros, _ = make()
    before = ros.export()
    ros.write_file("ok.rsc", "/system identity set name=changed\n"
                   "/ip address add address=192.168.88.1/24 interface=bridge\n")
    assert ros.run("/import file-name=ok.rsc dry-run") == "\nScript file loaded successfully\n"
    ros.write_file("bad.rsc", "/system identity set name=changed\n/ip firewall filter add "
                   "chain=input protocol=nope\n")
    assert ros.run("/import file-name=bad.rsc dry-run") == \
        "Script Error: input does not match any value of protocol (line 2 column 1)\n"
    assert ros.export() == before


def test_import_verbose_echoes_lines() -> None:
    ros, _ = make()
    ros.write_file("v.rsc", "/system identity set name=v\n")
    out = ros.run("/import file-name=v.rsc verbose=yes")
    assert "#line 1: /system identity set name=v" in out
    assert out.endswith("Script file loaded and executed successfully\n")


# ------------------------------------------------------------------ scripts


def test_script_run_put_and_do_on_error() -> None:
    ros, _ = make()
    ros.run('/system script add name=hello source=":put \\"hi from script\\""')
    assert ros.run("/system script run hello") == "hi from script\n"
    ros.run('/system script add name=safe source=":do { /ip address add '
            'address=192.168.88.1/24 interface=bridge } on-error={ :put recovered }"')
    assert ros.run("/system script run safe") == "recovered\n"
    assert ros.run(":put [:len [/ip address find]]") == "1\n"


# ------------------------------------------------------------------ scheduler


def test_interval_job_runs_script_and_repeats() -> None:
    ros, time = make()
    ros.run('/system script add name=tick source="/ip firewall address-list add list=ticks '
            'address=10.0.0.1 comment=[/system identity get name]"')
    ros.run("/system scheduler add name=job interval=5m on-event=tick")
    exported = body(ros.export())
    assert "add interval=5m name=job on-event=tick start-date=2026-11-23 start-time=10:00:00" \
        in exported
    time.advance(299)
    assert "ticks" not in ros.run("/ip firewall address-list print")
    time.advance(1)
    assert "ticks" in ros.run("/ip firewall address-list print")
    assert ros.run("/system scheduler get job run-count") == "1\n"
    time.advance(300)  # the second run fails (duplicate entry) but the job keeps its schedule
    assert ros.run("/system scheduler get job run-count") == "2\n"


def test_job_reverts_a_change_and_removes_itself() -> None:
    ros, time = make()
    ros.write_file("revert.rsc", "/system identity set name=MikroTik\n")
    ros.run("/system scheduler add name=revert interval=2s "
            'on-event="/system scheduler remove [find name=revert]; /import file-name=revert.rsc"')
    ros.run("/system identity set name=changed")
    time.advance(2)
    assert ros.identity == "MikroTik"
    assert "revert" not in ros.run("/system scheduler print")
    assert not [t for t in time.timers if not t.cancelled]


def test_confirmed_change_cancels_the_job() -> None:
    ros, time = make()
    ros.run('/system scheduler add name=revert interval=1m on-event="/system identity set '
            'name=reverted"')
    ros.run("/system identity set name=new")
    ros.run("/system scheduler remove [find name=revert]")
    time.advance(120)
    assert ros.identity == "new"


def test_absolute_start_time_disabled_and_startup_jobs() -> None:
    ros, time = make()
    ros.run("/system clock set time-zone-name=Asia/Makassar")  # UTC+8: local 18:00
    ros.run('/system scheduler add name=at start-date=2026-11-23 start-time=18:30:00 '
            'on-event="/system identity set name=at-time"')
    ros.run('/system scheduler add name=off interval=1s disabled=yes '
            'on-event="/system identity set name=disabled-ran"')
    time.advance(29 * 60)
    assert ros.identity == "MikroTik"
    time.advance(60)
    assert ros.identity == "at-time"
    ros.run('/system scheduler add name=boot start-time=startup '
            'on-event="/system identity set name=booted"')
    time.advance(3600)
    assert ros.identity == "at-time"
    ros.reboot()
    time.advance(1)
    assert ros.identity == "booted"


def test_reboot_rearms_interval_jobs() -> None:
    ros, time = make()
    ros.run('/system scheduler add name=j interval=10s on-event=":log info tick"')
    time.advance(5)
    ros.reboot()
    time.advance(5)
    assert ros.run("/system scheduler get j run-count") == "1\n"
