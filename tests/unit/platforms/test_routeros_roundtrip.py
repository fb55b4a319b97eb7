"""Property: for any change of intent on a router with local additions, the remediation
converges, never touches what the site added, and its rollback restores the exact
canonical export after the whole script or after any prefix of it (RouterOS ``/import``
stops at the first failing line with the lines before it applied)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydriver.pipeline import Pipeline
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import users
from pydriver.platforms.mikrotik_routeros.diff import remediation
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.offline import apply_text
from pydriver.render.render import RenderedConfig

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"
HOST = "rtr-bpbd"
TUNNELS = ("gre-inet-pusdatin", "gre-metro-drc")
LOCAL = (  # what a site's own staff add by hand: pydriver must leave all of it alone
    '/ip firewall filter add chain=input action=accept src-address=192.168.88.10 '
    'comment="site: admin pc" place-before=0',
    "/ip address add address=172.16.6.1/24 interface=ether6 comment=site-lab",
    "/ip firewall address-list add list=site-local address=172.16.6.0/24",
    "/ip firewall filter add chain=forward action=drop dst-address=172.16.6.0/24",
    "/queue simple add name=site-lab target=172.16.6.0/24 max-limit=10M/10M",
    "/ip route add dst-address=172.16.0.0/16 gateway=172.16.6.254",
)




@dataclass(frozen=True)
class Intent:
    """One variant of the site's intent."""

    tunnels: frozenset[str]
    mbps: int
    psk: str
    second_mgmt: bool
    swap_rules: bool

    def render(self, base: RenderedConfig) -> RenderedConfig:
        lines = []
        for line in base.main.splitlines():
            if any(t in line for t in TUNNELS if t not in self.tunnels):
                continue
            if not self.second_mgmt and "mgmt/10.250.20.0/24" in line:
                continue
            lines.append(line.replace("max-limit=100M/100M", f"max-limit={self.mbps}M/{self.mbps}M")
                         .replace("JIP_PSK_BPBD@@", f"JIP_PSK_BPBD{self.psk}@@"))
        if self.swap_rules:
            a = next(i for i, ln in enumerate(lines) if "pydriver:in/icmp" in ln)
            b = next(i for i, ln in enumerate(lines) if "pydriver:in/invalid" in ln)
            lines[a], lines[b] = lines[b], lines[a]
        text = "\n".join(lines) + "\n"
        return RenderedConfig(base.hostname, base.platform, (("config.rsc", text),))


intents = st.builds(
    Intent,
    tunnels=st.frozensets(st.sampled_from(TUNNELS)),
    mbps=st.sampled_from([50, 100, 200]),
    psk=st.sampled_from(["", "_2026"]),
    second_mgmt=st.booleans(),
    swap_rules=st.booleans(),
)

_BASE: list[RenderedConfig] = []
_FACTORY: list[str] = []


def base() -> RenderedConfig:
    if not _BASE:
        _BASE.append(Pipeline(INVENTORY).rendered[HOST])
    return _BASE[0]


def factory() -> str:
    if not _FACTORY:
        engine = RouterOSEngine(HOST, "RB4011iGS+", scheduler=NoTimers())
        _FACTORY.append(users.with_users(engine.export("show-sensitive"),
                                         engine.run(users.PRINT)))
    return _FACTORY[0]


def lines_of(text: str, owned: bool) -> set[str]:
    out, menu = set(), ""
    for line in normalise(text).splitlines():
        if line.startswith("/"):
            menu = line
        elif line.startswith("add ") and ("comment=pydriver:" in line) == owned:
            out.add(f"{menu} {line.split(' password=')[0]}")
    return out


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=intents, after=intents, local=st.sets(st.sampled_from(LOCAL)),
       cut=st.floats(0.0, 1.0))
def test_any_change_converges_spares_local_items_and_undoes_exactly(
        before: Intent, after: Intent, local: set[str], cut: float) -> None:
    start = factory()
    running = apply_text(start, remediation(start, before.render(base())).commands)
    running = apply_text(running, tuple(sorted(local)))
    intended = after.render(base())
    rem = remediation(running, intended)
    done = apply_text(running, rem.commands)
    assert lines_of(done, owned=True) == lines_of(intended.main, owned=True)
    assert lines_of(done, owned=False) == lines_of(running, owned=False)
    assert remediation(done, intended).empty
    assert normalise(apply_text(done, rem.rollback)) == normalise(running)
    k = int(cut * len(rem.commands))
    partial = apply_text(running, rem.commands[:k])
    assert normalise(apply_text(partial, rem.rollback)) == normalise(running)
