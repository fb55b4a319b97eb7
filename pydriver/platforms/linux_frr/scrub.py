"""How a Linux router prints secrets: FRR's frr.conf and strongSwan's configuration, as data.

FRR takes most keys as a single word (other words may follow: an OSPF key's interface
address, an IS-IS ``authenticate snp`` option); a BGP password and a key chain's key-string
are LINEs and run to the end of the line. ``service password-encryption`` prints ``password 8
<hash>``. strongSwan keeps every secret of swanctl.conf (IKE, EAP, XAuth, NTLM, PPK, private
key passphrases) as ``secret = ...`` and smartcard PINs as ``pin = ...``, quoted or not, in
its ``secrets`` section; the legacy ipsec.secrets writes ``: PSK "..."`` and its kin.
nftables.conf and the tc script carry no secrets.
"""

from __future__ import annotations

import re

from pydriver.platforms.scrub import Dialect, SecretForm

_NO = r"^\s*(?:no\s+)?"
_AT = r"(?:^|\s)(?:no\s+)?"
_REST = r"(?P<value>\S.*?)\s*$"
_WORD = r"(?P<value>\S+)"
# a quoted value (a comment may follow it), else everything to the end of the line
_SWAN = r"""(?:(?P<value>"(?:[^"\\]|\\.)*")\s*(?:\#.*)?$|(?P<value2>\S.*?)\s*$)"""

FORMS: tuple[SecretForm, ...] = (
    SecretForm("password", rf"{_NO}password (?:8 )?{_WORD}"),
    SecretForm("enable password", rf"{_NO}enable password (?:8 )?{_WORD}"),
    SecretForm("BGP/LDP neighbor password", rf"{_NO}neighbor \S+ password {_REST}"),
    SecretForm("ip ospf authentication-key", rf"{_AT}authentication-key {_WORD}"),
    SecretForm("ip ospf message-digest-key", rf"{_AT}message-digest-key \d+ md5 {_WORD}"),
    SecretForm("ipv6 ospf6 authentication key",
               rf"{_NO}ipv6 ospf6 authentication keyid \d+ hash-algo \S+ key {_WORD}"),
    SecretForm("key-string", rf"{_NO}key-string {_REST}"),
    SecretForm("IS-IS area-password/domain-password",
               rf"{_NO}(?:area|domain)-password (?:clear|md5) {_WORD}"),
    SecretForm("IS-IS/OpenFabric interface password",
               rf"{_NO}(?:isis|openfabric) password (?:clear|md5) {_WORD}"),
    SecretForm("ip rip authentication string", rf"{_NO}ip rip authentication string {_REST}"),
    SecretForm("ip nhrp authentication", rf"{_NO}ip nhrp authentication {_WORD}"),
    SecretForm("strongSwan secret/pin", rf"^\s*(?:secret|pin)\s*=\s*{_SWAN}"),
    SecretForm("ipsec.secrets PSK/EAP/XAUTH/NTLM/PIN/PPK",
               r"""(?:^|\s):\s*(?:PSK|EAP|XAUTH|NTLM|PIN(?:\s+%\S+)?|PPK\s+\S+)\s+"""
               r"""(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|\S+)"""),
    SecretForm("ipsec.secrets private key passphrase",
               r"""(?:^|\s):\s*(?:RSA|ECDSA|BLISS|PKCS8|P12|PKCS12)\s+\S+\s+"""
               r"""(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|\S+)"""),
)

_ESCAPE = re.compile(r"\\(.)")


def unquote(printed: str) -> str:
    """The secret in a strongSwan quoted string; anything else as printed."""
    if len(printed) > 1 and printed[0] == printed[-1] == '"':
        return _ESCAPE.sub(r"\1", printed[1:-1])
    if len(printed) > 1 and printed[0] == printed[-1] == "'":
        return printed[1:-1]
    return printed


DIALECT = Dialect(forms=FORMS, unquote=unquote)
