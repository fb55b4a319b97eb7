"""How IOS-XE prints secrets: ``service password-encryption``'s forms, as data.

IOS prints a secret after its keyword, often behind an encryption type: ``0`` (clear), ``7``
(reversible, decoded before these forms apply), ``5``/``8``/``9`` (hashes) or ``6`` (AES).
Where IOS takes a LINE the secret runs to the end of the line and may hold spaces (a RADIUS
key, a type-7 clear text); where it takes a WORD, other words follow. Every form also
matches the ``no ...`` line a plan prints to remove it. The broad ``password`` and ``key``
forms at the end catch lines no earlier form names (and stay off the lines where a WORD
secret is followed by more words, which they would hide too); the keep forms protect what
only looks like a secret (a key chain's key number, ``crypto key generate``).
"""

from __future__ import annotations

from pydriver.platforms.cisco_ios.type7 import reveal_type7
from pydriver.platforms.scrub import Dialect, SecretForm

_NO = r"^\s*(?:no\s+)?"  # a configuration line, or the plan's negation of it
_AT = r"(?:^|\s)(?:no\s+)?"  # a keyword anywhere on the line
_TYPE = r"(?:\d )?"  # the encryption type before a value
_REST = r"(?P<value>\S.*?)\s*$"  # LINE: the rest of the line, spaces and all
_WORD = r"(?P<value>\S+)"

FORMS: tuple[SecretForm, ...] = (
    SecretForm("key chain key number (not a secret)", rf"{_NO}key \d+\s*$",
               within=r"key chain \S+", keep=True),
    SecretForm("key chain name (not a secret)", rf"{_NO}key chain \S+", keep=True),
    SecretForm("crypto key command (not a secret)", rf"{_NO}crypto key .*$", keep=True),
    SecretForm("password encryption aes (not a secret)", rf"{_NO}password encryption aes",
               keep=True),
    SecretForm("username secret", rf"{_NO}username \S+ (?:.* )?secret {_TYPE}{_REST}"),
    SecretForm("username password", rf"{_NO}username \S+ (?:.* )?password {_TYPE}{_REST}"),
    SecretForm("enable secret", rf"{_NO}enable secret (?:level \d+ )?{_TYPE}{_REST}"),
    SecretForm("enable password", rf"{_NO}enable password (?:level \d+ )?{_TYPE}{_REST}"),
    SecretForm("line password", rf"{_NO}password {_TYPE}{_REST}", within=r"line .*"),
    SecretForm("crypto isakmp key", rf"{_NO}crypto isakmp key {_TYPE}{_WORD} (?:address|hostname)"),
    SecretForm("crypto keyring pre-shared-key", rf"{_NO}pre-shared-key (?:address|hostname) "
                                                rf"(?:.* )?key {_TYPE}{_WORD}"),
    SecretForm("IKEv2 keyring pre-shared-key",
               rf"{_NO}pre-shared-key (?:local |remote )?{_TYPE}{_REST}",
               unless=r"pre-shared-key (?:address|hostname) "),
    SecretForm("IKEv2 profile pre-share key",
               rf"{_NO}authentication (?:local|remote) pre-share key {_TYPE}{_REST}"),
    SecretForm("radius/tacacs server key", rf"{_NO}key {_TYPE}{_REST}",
               within=r"(?:radius|tacacs) server \S+"),
    SecretForm("radius-server/tacacs-server key",
               rf"{_NO}(?:radius|tacacs)-server (?:host \S+ (?:.* )?)?key {_TYPE}{_REST}"),
    SecretForm("RADIUS dynamic-author server-key", rf"{_AT}server-key {_TYPE}{_REST}"),
    SecretForm("snmp-server community", rf"{_NO}snmp-server community {_WORD}"),
    SecretForm("snmp-server host community (v1/v2c)",
               rf"{_NO}snmp-server host \S+(?: vrf \S+)?(?: (?:traps|informs))?"
               rf"(?: version (?:1|2c))? {_WORD}", unless=r"\sversion 3\s"),
    SecretForm("snmp-server user auth/priv passwords",
               rf"{_NO}snmp-server user \S+ \S+ (?:.* )?v3 (?:encrypted )?auth \S+ {_WORD}"
               r"(?: priv (?:des|3des|aes(?: \d+)?) (?P<value2>\S+))?"),
    SecretForm("ntp authentication-key",
               rf"{_NO}ntp authentication-key \d+ \S+ {_REST}"),
    SecretForm("key-string", rf"{_AT}key-string {_TYPE}{_REST}"),
    SecretForm("ip ospf authentication-key", rf"{_AT}authentication-key {_TYPE}{_REST}",
               unless=r"^\s*(?:no\s+)?ntp "),
    SecretForm("ip ospf message-digest-key",
               rf"{_AT}message-digest-key \d+ md5 {_TYPE}{_REST}"),
    SecretForm("OSPFv3 IPsec authentication key",
               rf"{_AT}authentication ipsec spi \d+ (?:md5|sha1) {_TYPE}{_WORD}"),
    SecretForm("BGP neighbor password", rf"{_NO}neighbor \S+ password {_TYPE}{_REST}"),
    SecretForm("wpa-psk", rf"{_NO}wpa-psk (?:ascii|hex) {_TYPE}{_REST}"),
    SecretForm("ppp chap/pap password", rf"{_NO}ppp (?:chap|pap) (?:.* )?password {_TYPE}{_REST}"),
    SecretForm("HSRP/VRRP text authentication",
               rf"{_NO}(?:standby|vrrp) (?:\d+ )?authentication (?:text )?(?!md5 )"
               rf"{_TYPE}{_WORD}"),
    SecretForm("IS-IS password",
               rf"{_NO}(?:isis password|area-password|domain-password) {_WORD}"),
    SecretForm("password-encryption master key",
               rf"{_NO}key config-key password-encrypt {_REST}"),
    SecretForm("any other password", rf"{_AT}password {_TYPE}{_REST}",
               unless=r"^\s*(?:no\s+)?isis password "),
    SecretForm("any other key", rf"{_AT}key {_TYPE}{_REST}",
               unless=r"^\s*(?:no\s+)?(?:crypto isakmp key|key config-key) "),
)

DIALECT = Dialect(forms=FORMS, reveal=reveal_type7)
