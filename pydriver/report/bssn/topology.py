"""The topology diagram of the architecture document, drawn from the source of truth.

Graphviz lays it out (``dot``, Debian package ``graphviz``): the data centres with their
hub routers and internet uplinks, then the sites grouped under the hub of their primary
link, every site link drawn in the style of its medium (own fibre bold, ISP metro dashed,
VPN over the internet dotted) and labelled with the tunnel that protects it. Each router
is one node whose name is its hostname, so the SVG can be checked against the inventory.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping

from pydriver.errors import PydriverError
from pydriver.intent.model import DeviceIntent
from pydriver.sot.ipam import FIBRE_VLAN_BASE
from pydriver.sot.models import Medium, Network, Site

STYLE = {
    Medium.OWN_FIBRE: 'style=bold penwidth=2.5 color="#1b5e20"',
    Medium.ISP_METRO: 'style=dashed penwidth=1.6 color="#0d47a1"',
    Medium.INTERNET_VPN: 'style=dotted penwidth=1.8 color="#b71c1c"',
}
FONT = 'fontname="Helvetica" fontsize=10'


def _q(text: str) -> str:
    """A DOT double-quoted string (``\\n`` in ``text`` stays a DOT line break)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _ident(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def link_label(site: Site, index: int, intents: Mapping[str, DeviceIntent],
               t: Callable[[str], str]) -> str:
    """What protects or carries a site link: its tunnel's name, or the fibre VLAN."""
    link = site.links[index]
    if not link.medium.needs_tunnel:
        return t("arch.encap.none").format(vlan=FIBRE_VLAN_BASE + site.id)
    intent = intents.get(site.router.hostname)
    names = [tun.name for tun in (intent.tunnels if intent else ()) if tun.link == link.name]
    return names[0] if names else link.name


def dot_source(network: Network, intents: Mapping[str, DeviceIntent],
               t: Callable[[str], str]) -> str:
    region = network.region
    out = ["graph jip {",
           f"  graph [{FONT} label={_q(region.name + ' - JIP')} labelloc=t rankdir=LR "
           "nodesep=0.25 ranksep=1.4 splines=true newrank=true]",
           f'  node [{FONT} shape=box style="rounded,filled" fillcolor="#ffffff"]',
           '  edge [fontname="Helvetica" fontsize=8]',
           f'  internet [label={_q("Internet")} shape=ellipse fillcolor="#eceff1"]']
    for dc in network.datacenters:
        role = t(f"arch.dc.role.{dc.role}")
        out += [f"  subgraph cluster_dc_{_ident(dc.code)} {{",
                f"    label={_q(f'{dc.name} ({role})')} style=filled fillcolor=\"#e3f2fd\""]
        for hub in dc.hubs:
            label = f"{hub.hostname}\n{hub.model}"
            out.append(f'    {_q(hub.hostname)} [label={_q(label)} fillcolor="#bbdefb"]')
        out.append("  }")
        for hub in dc.hubs:
            uplink = next((u for u in dc.uplinks if u.name == hub.interfaces.wan.uplink), None)
            label = f"{uplink.isp}\n{uplink.mbps} Mbps" if uplink else ""
            out.append(f"  {_q(hub.hostname)} -- internet [label={_q(label)} "
                       'color="#78909c"]')
    hubs = network.hubs()
    for i, a in enumerate(hubs):  # iBGP between the hubs over the data-centre core
        out += [f"  {_q(a.hostname)} -- {_q(b.hostname)} [label=\"iBGP\" color=\"#546e7a\" "
                "constraint=false]" for b in hubs[i + 1:]]
    for hub in hubs:
        sites = [s for s in network.sites if s.links[0].hub == hub.hostname]
        if not sites:
            continue
        out += [f"  subgraph cluster_hub_{_ident(hub.hostname)} {{",
                f'    label={_q(hub.hostname)} style="rounded,dashed" color="#90a4ae"']
        for site in sites:
            kind = t(f"kind.{site.kind.value}")
            label = f"{site.router.hostname}\n{site.name}\n{kind}"
            out.append(f"    {_q(site.router.hostname)} [label={_q(label)}]")
        out.append("  }")
    for site in network.sites:
        for n, link in enumerate(site.links):
            label = link_label(site, n, intents, t)
            if link.role == "backup":
                label += f"\n({t('arch.link.backup')})"
            extra = " constraint=false" if link.role == "backup" else ""
            out.append(f"  {_q(link.hub)} -- {_q(site.router.hostname)} [label={_q(label)} "
                       f"{STYLE[link.medium]}{extra}]")
    out.append("}")
    return "\n".join(out) + "\n"


def svg(dot: str) -> str:
    """Lay ``dot`` out with Graphviz; the SVG text."""
    exe = shutil.which("dot")
    if exe is None:
        raise PydriverError("the topology diagram needs Graphviz's 'dot' "
                            "(Debian package graphviz)")
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True,
                              timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PydriverError(f"Graphviz 'dot' did not run: {exc}") from None
    if done.returncode != 0:
        raise PydriverError("Graphviz 'dot' failed: "
                            + done.stderr.decode(errors="replace").strip())
    return done.stdout.decode()
