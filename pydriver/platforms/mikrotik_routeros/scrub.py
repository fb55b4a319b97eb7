"""How RouterOS prints secrets: the properties ``/export`` hides without ``show-sensitive``.

pydriver reads ``/export show-sensitive`` (RouterOS 7 leaves secrets out otherwise, and a
diff needs them), so every property RouterOS counts as sensitive is here, as (menu,
property) data, and the engine hides its value wherever the menu's lines print it: in an
export (menus on their own line, long lines wrapped), in ``/export terse`` and in a plan's
commands (the full path on every line, ``/`` or space separated). A property whose name says
it is a secret (``...password``, ``...secret``, ``...key``, ``...passphrase``, ``...psk``,
``...community``) is hidden on every menu, known or not, so a menu this list does not name
(a newer package, a container registry) still never reaches a backup in clear; the keep
forms protect the few such names that are not secrets (a WireGuard public key, the names
of IPsec RSA keys, the static key a wireless profile sends with). The SNMP community's name
is its v1/v2c secret unless the community is v3-only (``security=authorized|private``),
where it is the user name pydriver diffs on.
"""

from __future__ import annotations

import re

from pydriver.platforms.mikrotik_routeros import script
from pydriver.platforms.scrub import Dialect, SecretForm

#: Secret properties by menu (the ``/export show-sensitive`` set, RouterOS 6 and 7).
SENSITIVE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/user", ("password",)),
    ("/user-manager user", ("password",)),
    ("/user-manager router", ("shared-secret",)),
    ("/ppp secret", ("password",)),
    ("/interface l2tp-server server", ("ipsec-secret",)),
    ("/interface l2tp-client", ("password", "ipsec-secret")),
    ("/interface pptp-client", ("password",)),
    ("/interface sstp-client", ("password",)),
    ("/interface ovpn-client", ("password",)),
    ("/interface pppoe-client", ("password",)),
    ("/interface lte apn", ("password",)),
    ("/interface eoip", ("ipsec-secret",)),
    ("/interface gre", ("ipsec-secret",)),
    ("/interface ipip", ("ipsec-secret",)),
    ("/interface 6to4", ("ipsec-secret",)),
    ("/interface vrrp", ("password",)),
    ("/interface wireless security-profiles",
     ("wpa-pre-shared-key", "wpa2-pre-shared-key", "static-key-[0-3]",
      "static-sta-private-key", "management-protection-key", "mschapv2-password")),
    ("/interface wireless access-list", ("private-pre-shared-key", "private-key")),
    ("/interface wifi", ("security.passphrase", "security.eap-password")),
    ("/interface wifi configuration", ("security.passphrase", "security.eap-password")),
    ("/interface wifi security", ("passphrase", "eap-password")),
    ("/interface wifi access-list", ("passphrase",)),
    ("/interface wifiwave2", ("security.passphrase", "security.eap-password")),
    ("/interface wifiwave2 configuration", ("security.passphrase", "security.eap-password")),
    ("/interface wifiwave2 security", ("passphrase", "eap-password")),
    ("/interface wifiwave2 access-list", ("passphrase",)),
    ("/caps-man security", ("passphrase",)),
    ("/caps-man configuration", ("security.passphrase",)),
    ("/caps-man access-list", ("private-passphrase",)),
    ("/interface wireguard", ("private-key",)),
    ("/interface wireguard peers", ("preshared-key", "private-key")),
    ("/ip ipsec identity", ("secret", "password")),
    ("/ip ipsec peer", ("secret",)),
    ("/ip ipsec user", ("password",)),
    ("/ip hotspot user", ("password",)),
    ("/ip smb users", ("password",)),
    ("/radius", ("secret",)),
    ("/snmp community", ("authentication-password", "encryption-password")),
    ("/snmp", ("trap-community",)),
    ("/certificate", ("passphrase", "export-passphrase")),
    ("/routing bgp connection", ("tcp-md5-key",)),
    ("/routing bgp template", ("tcp-md5-key",)),
    ("/routing bgp peer", ("tcp-md5-key",)),
    ("/routing ospf interface-template", ("auth-key",)),
    ("/routing ospf interface", ("authentication-key",)),
    ("/tool e-mail", ("password",)),
    ("/tool romon", ("secrets",)),
    ("/tool sms", ("secret",)),
)

#: A property named like a secret, on any menu (``static-key-0``, ``security.passphrase``).
SECRET_NAME = r"[\w.-]*?(?:secrets?|password|passphrase|psk|key|community)(?:-\d+)?"


# text outside quoted values: a ``security=private`` inside one is no setting
_UNQUOTED = r"""(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")"""


def _menu(path: str) -> str:
    return re.escape(path)


FORMS: tuple[SecretForm, ...] = (
    SecretForm("a public key (not a secret)", prop="public-key", keep=True),
    SecretForm("/ip ipsec identity key names (not secrets)", prop="key|remote-key",
               within=_menu("/ip ipsec identity"), keep=True),
    SecretForm("which static key a profile sends with (not a secret)",
               prop="static-transmit-key", keep=True),
    SecretForm("/snmp community name (v1/v2c community)", prop="name",
               within=_menu("/snmp community"),
               unless=rf"^{_UNQUOTED}*?\ssecurity=(?:authorized|private)(?:\s|$)"),
    *(SecretForm(f"{menu} {prop}", prop=prop, within=_menu(menu))
      for menu, props in SENSITIVE for prop in props),
    SecretForm("any property named like a secret", prop=SECRET_NAME),
)

#: ``name=value``: the value quoted (with escapes) or bare, up to a space, ``;`` or bracket.
PROP = r"""(?:^|(?<=[\s\[]))(?:{prop})=(?P<value>(?:"(?:[^"\\]|\\.)*"|\\.|[^\s"\\;\[\]{}])+)"""


def lines(text: str) -> list[str]:
    """Logical lines: a value wrapped by ``/export`` is one value again."""
    return [line for _, line in script.logical_lines(text)]


def menus(lines: list[str]) -> list[tuple[str, ...]]:
    """The menu each line acts on: its own path (terse export, plan commands) or the last
    ``/menu`` line above it."""
    current = ""
    out: list[tuple[str, ...]] = []
    for line in lines:
        body = line.strip()
        if not body.startswith("/"):
            out.append((current,) if current else ())
            continue
        words: list[str] = []
        command = False
        for token in body.split():
            if token in script.VERBS or "=" in token or token[0] in "[{(":
                command = True
                break
            words.extend(w for w in token.split("/") if w)
        path = "/" + " ".join(words)
        if not command:
            current = path
        out.append((path,))
    return out


DIALECT = Dialect(forms=FORMS, lines=lines, sections=menus, prop_pattern=PROP,
                  unquote=script.unquote)
