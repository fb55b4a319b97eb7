"""The injections found in review, one by one, each shown refused or inert.

The values are put into the network behind validation's back, line breaks included:
validation will refuse control characters, but the templates must be safe on their own.
Each rendered file is then read by the platform's own parser (the emulated RouterOS and
IOS-XE engines, the shell, the strict swanctl reader)."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from pydriver.deploy.apply import fill
from pydriver.errors import RenderError
from pydriver.intent.build import build
from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import script
from pydriver.platforms.mikrotik_routeros.offline import OfflineRouter
from pydriver.platforms.registry import driver
from pydriver.render.render import RenderedConfig, render
from pydriver.sot.models import Network, Site
from pydriver.sot.secrets import PLACEHOLDER

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"
TC_PAYLOAD = "X\ntouch /tmp/pwned"
ROS_PAYLOAD = 'x"\n/user add name=backdoor group=full password=x\n# '
IOS_PAYLOAD = "x\nusername backdoor privilege 15 secret 0 x\n!"
VTY_PAYLOAD = "x\nline vty 0 15\n transport input telnet\n!"


@cache
def _network() -> Network:
    return Pipeline(INVENTORY).network


def _render(hosts: tuple[str, ...], change: Callable[[Network], Network]
            ) -> dict[str, RenderedConfig]:
    intents = build(change(_network()), Pipeline.driver)
    return render({h: intents[h] for h in hosts}, Pipeline.driver)


def _sites(net: Network, change: Callable[[Site], Site]) -> Network:
    return net.model_copy(update={"sites": tuple(change(s) for s in net.sites)})


def _named(name: str) -> Callable[[Network], Network]:
    def change(net: Network) -> Network:
        snmp = net.baseline.snmp.model_copy(update={"location_prefix": name})
        region = net.region.model_copy(update={"csirt": net.region.csirt.model_copy(
            update={"name": name})})
        dcs = tuple(dc.model_copy(update={"name": name}) for dc in net.datacenters)
        net = net.model_copy(update={
            "region": region, "datacenters": dcs,
            "baseline": net.baseline.model_copy(update={"snmp": snmp, "banner": name})})
        return _sites(net, lambda s: s.model_copy(update={"name": name}))
    return change


def _filled(config: RenderedConfig, text: str) -> str:
    embed = driver(config.platform.value).embed_secret
    values = {m["ref"]: "secret-value" for m in PLACEHOLDER.finditer(text)}
    return "\n".join(fill(tuple(text.split("\n")), values, {}, embed))


def _routeros(config: RenderedConfig) -> script.RosConfig:
    router = OfflineRouter("")
    router.run(_filled(config, config.main), config.hostname)
    return script.parse(router.export())


def _ios(config: RenderedConfig) -> tuple[str, list[str]]:
    """(show running-config, the top-level lines of the configuration tree)."""
    engine = IOSEngine("r", "ISR4451-X/K9", scheduler=NoTimers())
    result = engine.load(_filled(config, config.main))
    assert result.failed == (), result.failed
    engine.replace_running(result.config)
    session = engine.open_session("admin")
    for line in ("enable", engine.enable_secret, "terminal length 0"):
        session.handle(line)
    return session.handle("show running-config"), [n.text for n in result.config.root.children]


def test_a_site_name_never_becomes_a_command_of_the_root_shell_script() -> None:
    rendered = _render(("rtr-wifi-alun-alun", "hub-pusdatin-02"), _named(TC_PAYLOAD))
    for host, config in rendered.items():
        tc = config.file("tc.sh")
        assert subprocess.run(["bash", "-n"], input=tc, text=True).returncode == 0
        commands = [shlex.split(line, comments=True) for line in tc.split("\n")]
        assert not [c for c in commands if c and c[0] == "touch"], host
        assert all(line.startswith("#") for line in tc.split("\n") if "touch" in line)


def test_names_never_add_a_routeros_user() -> None:
    for host, config in _render(("rtr-bpbd", "hub-drc-01"), _named(ROS_PAYLOAD)).items():
        parsed = _routeros(config)
        assert {c.get("name") for c in parsed.section(("user",))} == \
            {"lalu.ahmad", "baiq.nurul"}, host
        (snmp,) = parsed.section(("snmp",))
        assert snmp.get("location") == f"{ROS_PAYLOAD}, {ROS_PAYLOAD}"  # the text, kept


def test_names_never_add_an_ios_user() -> None:
    for host, config in _render(("rtr-dinkes", "hub-pusdatin-01"), _named(IOS_PAYLOAD)).items():
        running, top = _ios(config)
        users = {line.split()[1] for line in top if line.startswith("username ")}
        assert users == {"lalu.ahmad", "baiq.nurul"}, host
        assert "snmp-server location x username backdoor privilege 15 secret 0 x !, x " \
               "username backdoor privilege 15 secret 0 x !" in running  # the text, one line
        assert "\nusername backdoor privilege 15 secret 0 x\n" in running  # banner text
        # and the plan's diff reads the banner as one: no line of it is a command
        factory = IOSEngine("f", "ISR4451-X/K9", scheduler=NoTimers()).startup
        rem = driver("cisco_ios").remediation(factory, config)
        assert not [c for c in rem.commands if c.startswith("username backdoor")]
        banner = [c for c in rem.commands if c.startswith("banner login ")]
        assert len(banner) == 1 and "\nusername backdoor privilege 15 secret 0 x\n" in banner[0]


def test_a_zone_description_never_opens_telnet_on_ios() -> None:
    def change(net: Network) -> Network:
        return _sites(net, lambda s: s.model_copy(update={"zones": tuple(
            z.model_copy(update={"description": VTY_PAYLOAD}) for z in s.zones)}))

    running, _top = _ios(_render(("rtr-dinkes",), change)["rtr-dinkes"])
    assert "telnet" not in running.replace("description x line vty 0 15 transport input "
                                           "telnet !", "")
    assert " transport input ssh" in running
    assert " description x line vty 0 15 transport input telnet !" in running


def test_an_interface_with_words_after_it_is_one_value_or_refused() -> None:
    def change(net: Network) -> Network:
        return _sites(net, lambda s: s.model_copy(update={"zones": tuple(
            z.model_copy(update={"interface": "ether3 disabled=yes"}) if z.kind == "staff"
            else z for z in s.zones)}))

    bpbd = _render(("rtr-bpbd",), change)["rtr-bpbd"].main
    ports = [c for c in script.parse(bpbd).section(("interface", "bridge", "port"))
             if c.get("bridge") == "br-staff"]
    assert [(c.get("interface"), c.get("disabled")) for c in ports] == \
        [("ether3 disabled=yes", None)]  # one (unknown) interface name: the router refuses it
    with pytest.raises(RenderError, match="one word"):
        _render(("rtr-dinkes",), change)
    with pytest.raises(RenderError, match="one word"):
        _render(("rtr-wifi-alun-alun",), change)
