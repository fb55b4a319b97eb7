"""What a RouterOS 7 router looks like out of the box: built-in items plus ``defconf``.

RouterOS builds its default configuration by running a script at first boot, so the
emulator does the same: the script below goes through the console interpreter, and every
item it creates carries ``comment=defconf`` exactly as on a real router. ``no-defaults``
(``defaults=False``) skips it, which is the blank router an export is imported into.
"""

from __future__ import annotations

import hashlib

from pydriver.platforms.mikrotik_routeros.schema import model_ports


def mac_for(name: str, index: int = 0) -> str:
    """A stable MikroTik-looking MAC for ``name`` (48:A9:8A is a MikroTik prefix)."""
    digest = hashlib.sha256(f"{name}/{index}".encode()).digest()
    return "48:A9:8A:" + ":".join(f"{b:02X}" for b in digest[:3])


def serial_for(name: str) -> str:
    return "HE" + hashlib.sha256(name.encode()).hexdigest()[:10].upper()


def software_id_for(name: str) -> str:
    code = hashlib.sha256(("sid/" + name).encode()).hexdigest()[:8].upper()
    return f"{code[:4]}-{code[4:]}"


_FILTER = (
    'add action=accept chain=input comment="defconf: accept established,related,untracked"'
    " connection-state=established,related,untracked",
    'add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid',
    'add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp',
    'add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)"'
    " dst-address=127.0.0.1",
    'add action=drop chain=input comment="defconf: drop all not coming from LAN"'
    " in-interface-list=!LAN",
    'add action=accept chain=forward comment="defconf: accept in ipsec policy"'
    " ipsec-policy=in,ipsec",
    'add action=accept chain=forward comment="defconf: accept out ipsec policy"'
    " ipsec-policy=out,ipsec",
    'add action=fasttrack-connection chain=forward comment="defconf: fasttrack"'
    " connection-state=established,related hw-offload=yes",
    'add action=accept chain=forward comment="defconf: accept established,related, untracked"'
    " connection-state=established,related,untracked",
    'add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid',
    'add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed"'
    " connection-nat-state=!dstnat connection-state=new in-interface-list=WAN",
)


def defconf(name: str, model: str) -> str:
    """The default-configuration script for ``model`` (ether1 WAN, the rest bridged)."""
    ports = model_ports(model)
    lan = [p for p in ports if p != ports[0]]
    lines = [
        "/interface bridge",
        f"add admin-mac={mac_for(name)} auto-mac=no comment=defconf name=bridge",
        "/interface list",
        "add comment=defconf name=WAN",
        "add comment=defconf name=LAN",
        "/ip pool",
        "add name=default-dhcp ranges=192.168.88.10-192.168.88.254",
        "/ip dhcp-server",
        "add address-pool=default-dhcp interface=bridge name=defconf",
        "/interface bridge port",
        *(f"add bridge=bridge comment=defconf interface={p}" for p in lan),
        "/ip neighbor discovery-settings",
        "set discover-interface-list=LAN",
        "/interface list member",
        "add comment=defconf interface=bridge list=LAN",
        f"add comment=defconf interface={ports[0]} list=WAN",
        "/ip address",
        "add address=192.168.88.1/24 comment=defconf interface=bridge",
        "/ip dhcp-client",
        f"add comment=defconf interface={ports[0]}",
        "/ip dhcp-server network",
        "add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1"
        " gateway=192.168.88.1",
        "/ip dns",
        "set allow-remote-requests=yes",
        "/ip dns static",
        "add address=192.168.88.1 comment=defconf name=router.lan",
        "/ip firewall filter",
        *_FILTER,
        "/ip firewall nat",
        'add action=masquerade chain=srcnat comment="defconf: masquerade"'
        " ipsec-policy=out,none out-interface-list=WAN",
        "/tool mac-server",
        "set allowed-interface-list=LAN",
        "/tool mac-server mac-winbox",
        "set allowed-interface-list=LAN",
    ]
    return "\n".join(lines) + "\n"


BANNER = """

  MMM      MMM       KKK                          TTTTTTTTTTT      KKK
  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK
  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK
  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK
  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK
  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK

  MikroTik RouterOS {version} (c) 1999-2024       https://www.mikrotik.com/

Press F1 for help

"""
