"""RouterOS v7 configuration menus as data: kinds, properties, defaults, identity, order.

Two consumers read the same table: the emulated router (which must accept, reject, print and
export exactly what RouterOS does) and pydriver's RouterOS diff (which must know which menus
are lists and which are settings, what identifies an item, and which values RouterOS leaves
out of ``/export`` because they equal the default). Keeping one table means the diff cannot
drift from the device it is tested against.

Values are kept as RouterOS prints them (canonical strings, e.g. ``1d`` not ``24h``); use
:func:`canonical` to bring an input value to that form before comparing.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from enum import Enum

ROUTEROS_VERSION = "7.16.2"


class Kind(Enum):
    """How a menu holds its configuration."""

    LIST = "list"  # add / set / remove items
    SINGLETON = "singleton"  # one set of settings: ``set prop=value``
    FIXED = "fixed"  # a fixed set of named items, ``set <name> prop=value`` only


class Type(Enum):
    """Value types, as far as parsing, canonical form and error texts differ."""

    STR = "str"
    BOOL = "bool"  # yes / no
    INT = "int"
    DURATION = "duration"  # 1w2d3h4m5s
    ENUM = "enum"  # one (or with multi, several) of choices
    IP = "ip"  # a.b.c.d
    IP_PREFIX = "ip-prefix"  # a.b.c.d/len, host part kept (an interface address)
    PREFIX = "prefix"  # a.b.c.d/len, host part cleared, length always shown
    ADDRESS = "address"  # ip, prefix (host part cleared, /32 dropped), range or name
    REF = "ref"  # the name of an item in another menu
    RATE = "rate"  # 50M/50M
    TEXT = "text"  # free text, kept verbatim (scripts, notes, filter rules)


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a menu."""

    name: str
    type: Type = Type.STR
    default: str | None = None  # None: no default, always exported when set
    choices: tuple[str, ...] = ()
    multi: bool = False  # a comma-separated list
    negatable: bool = False  # values may start with "!"
    ref: tuple[str, ...] | None = None  # menu path the value names an item of
    ref_extra: tuple[str, ...] = ()  # names accepted besides the referenced items
    sensitive: bool = False  # hidden by export unless show-sensitive
    derived: bool = False  # computed by the router (e.g. /ip address network)
    read_only: bool = False  # shown by print, never set or exported
    flag: bool = False  # may be given without a value (``fib``), meaning yes


@dataclass(frozen=True, slots=True)
class Unique:
    """Properties that together must be unique among a menu's items, and the complaint."""

    keys: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class FixedItem:
    """A built-in item: its identity value and the defaults that differ from the menu's."""

    name: str
    defaults: tuple[tuple[str, str], ...] = ()
    id: int | None = None  # the item's fixed id (``*FFFFFFFE``), when RouterOS gives it one


@dataclass(frozen=True, slots=True)
class Menu:
    """One configuration menu (``/ip address``)."""

    path: tuple[str, ...]
    kind: Kind
    props: tuple[Prop, ...]
    identity: tuple[str, ...] = ()  # what pydriver's diff matches items on
    unique: tuple[Unique, ...] = ()
    required: tuple[str, ...] = ()
    builtin: tuple[FixedItem, ...] = ()  # items every router has, even reset with no-defaults
    builtin_key: str = "name"  # property naming built-in items (ethernet: default-name)
    exported: bool = True  # /user is never exported (passwords)
    ordered: bool = False  # item order is meaning (firewall, queues)
    interface: bool = False  # items are interfaces: names unique across all such menus
    auto_name: str | None = None  # name given when ``add`` has none (``queue`` -> queue1)
    disable: bool = True  # items can be disabled
    builtin_style: str = ""  # how export names built-in items: index, default, id ("": name)
    open: bool = False  # takes any property name (hardware menus no catalog lists)
    # props by name (the first of a name wins): the diff and the engine ask for a property
    # of every value they read, millions of times on a hub
    _by_name: dict[str, Prop] = field(init=False, default_factory=dict, compare=False,
                                      repr=False)

    def __post_init__(self) -> None:
        for p in self.props:
            self._by_name.setdefault(p.name, p)

    @property
    def title(self) -> str:
        return "/" + " ".join(self.path)

    def prop(self, name: str) -> Prop | None:
        found = self._by_name.get(name)
        return found if found is not None else (Prop(name) if self.open else None)

    def default(self, name: str, item: str | None = None) -> str | None:
        """The default of ``name`` (for a built-in item ``item`` when its default differs)."""
        if item is not None:
            for fixed in self.builtin:
                if fixed.name == item:
                    for key, value in fixed.defaults:
                        if key == name:
                            return value
        found = self.prop(name)
        return found.default if found else None


# ---------------------------------------------------------------------------- helpers


def _p(name: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.STR, default, **kw)  # type: ignore[arg-type]


def _b(name: str, default: str | None = "no", **kw: object) -> Prop:
    return Prop(name, Type.BOOL, default, **kw)  # type: ignore[arg-type]


def _i(name: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.INT, default, **kw)  # type: ignore[arg-type]


def _d(name: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.DURATION, default, **kw)  # type: ignore[arg-type]


def _e(name: str, choices: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.ENUM, default, tuple(choices.split()), **kw)  # type: ignore[arg-type]


def _r(name: str, menu: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.REF, default, ref=tuple(menu.split()), **kw)  # type: ignore[arg-type]


def _t(name: str, default: str | None = None, **kw: object) -> Prop:
    return Prop(name, Type.TEXT, default, **kw)  # type: ignore[arg-type]


def _words(*chunks: str) -> tuple[str, ...]:
    return tuple(" ".join(chunks).split())


_COMMENT = _t("comment")
_DISABLED = _b("disabled")
_NAME = _p("name")
_INTERFACE_REF = "interface"  # pseudo menu: every interface of every interface menu
_LISTS = ("all", "none", "dynamic", "static")
_IFLIST = ("interface", "list")


def _iflist(name: str, default: str | None) -> Prop:
    return Prop(name, Type.REF, default, ref=_IFLIST, negatable=True)


_DH = "modp768 modp1024 modp1536 modp2048 modp3072 modp4096 modp6144 modp8192 ecp256 ecp384 ecp521"
_TOPICS = (
    "account async backup bfd bgp bridge calc caps certificate critical ddns debug dhcp dns "
    "dot1x e-mail error event firewall gsm hotspot igmp-proxy interface ipsec iscsi isdn "
    "l2tp ldp lte manager mme mpls natpmp netwatch ntp ospf ovpn packet pim poe-out ppp "
    "pppoe pptp radius radvd raw read rip route rpki rsvp script sertcp simulator sms "
    "snmp ssh sstp state system telephony tftp timer upnp ups vrrp warning watchdog web-proxy "
    "wireguard wireless write info amt bth calea container disk dude fetch gps health "
    "isis kvm led lora mqtt netinstall ptp queue socksify smb stp tr069 update wifi zerotier "
    "dhcpv6 ipv6 l2tp-client ovpn-client pppoe-client sstp-client vpls vxlan"
)
_POLICIES = (
    "local telnet ssh ftp reboot read write policy test winbox password web "
    "sniff sensitive api romon rest-api"
)
_DEFAULT_POLICY = "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"
_READ = "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,sensitive,api,romon,rest-api"
_WRITE = _READ.replace("read,", "read,write,")
_IKE_ENC = _words(
    "3des aes-128 aes-192 aes-256 blowfish des", "camellia-128 camellia-192 camellia-256"
)
_ESP_ENC = _words(
    "3des aes-128-cbc aes-128-ctr aes-128-gcm aes-192-cbc aes-192-ctr aes-192-gcm aes-256-cbc",
    "aes-256-ctr aes-256-gcm blowfish camellia-128 camellia-192 camellia-256 chacha20poly1305",
    "des null twofish",
)
_FW_COMMON = "accept add-dst-to-address-list add-src-to-address-list jump log passthrough return"
_FW_ACTIONS = {
    "filter": _FW_COMMON + " drop fasttrack-connection reject tarpit",
    "nat": _FW_COMMON + " dst-nat masquerade netmap redirect same src-nat endpoint-independent-nat",
    "mangle": _FW_COMMON
    + " change-dscp change-mss change-ttl clear-df fasttrack-connection mark-connection"
    + " mark-packet mark-routing route set-priority sniff-pc sniff-tzsp strip-ipv4-options",
}
_PROTOCOLS = (
    "dccp ddp egp encap etherip ggp gre hmp icmp icmpv6 idpr-cmtp igmp ipencap ipip "
    "ipsec-ah ipsec-esp ipv6-encap ipv6-frag ipv6-nonxt ipv6-opts ipv6-route iso-tp4 l2tp "
    "ospf pim pup rdp rspf rsvp sctp st tcp udp udp-lite vmtp vrrp xns-idp xtp"
)


def _firewall(table: str) -> Menu:
    props = [
        _p("chain"),
        _e("action", _FW_ACTIONS[table]),  # accept when not given, but always exported
        Prop("protocol", Type.ENUM, None, tuple(_PROTOCOLS.split()), negatable=True),
        Prop("src-address", Type.ADDRESS, negatable=True),
        Prop("dst-address", Type.ADDRESS, negatable=True),
        _r("src-address-list", "ip firewall address-list", negatable=True),
        _r("dst-address-list", "ip firewall address-list", negatable=True),
        _r("in-interface", _INTERFACE_REF, negatable=True),
        _r("out-interface", _INTERFACE_REF, negatable=True),
        _iflist("in-interface-list", None),
        _iflist("out-interface-list", None),
        _p("src-port"),
        _p("dst-port"),
        _p("port"),
        Prop(
            "connection-state",
            Type.ENUM,
            None,
            ("established", "invalid", "new", "related", "untracked"),
            multi=True,
            negatable=True,
        ),
        _e("connection-nat-state", "srcnat dstnat", negatable=True, multi=True),
        _p("ipsec-policy"),
        _p("connection-mark"),
        _p("dscp"),  # matcher: the packet's DSCP (0-63)
        _p("packet-mark"),
        _p("routing-mark"),
        _p("tcp-flags"),
        _p("icmp-options"),
        _p("dst-address-type"),
        _p("src-address-type"),
        _p("limit"),
        _p("jump-target"),
        _p("reject-with"),
        _p("address-list"),
        _d("address-list-timeout"),
        _b("log"),
        _p("log-prefix", ""),
        _b("hw-offload"),
        _p("to-addresses"),
        _p("to-ports"),
        _COMMENT,
        _DISABLED,
    ]
    if table == "mangle":
        props += [
            _i("new-dscp"),
            _b("passthrough", "yes"),
            _p("new-routing-mark"),
            _p("new-connection-mark"),
            _p("new-packet-mark"),
            _p("new-mss"),
        ]
    return Menu(
        ("ip", "firewall", table),
        Kind.LIST,
        tuple(props),
        identity=("comment",),
        required=("chain",),
        ordered=True,
    )


def _ethernet_props() -> tuple[Prop, ...]:
    return (
        _NAME,
        _p("default-name", read_only=True),
        _i("mtu", "1500"),
        _i("l2mtu", "1598"),
        _b("arp-enabled", read_only=True),
        _e("arp", "disabled enabled local-proxy-arp proxy-arp reply-only", "enabled"),
        _p("mac-address", derived=True),
        _b("auto-negotiation", "yes"),
        _p("speed"),
        _COMMENT,
        _DISABLED,
    )


# ---------------------------------------------------------------------------- the menus

MENUS: tuple[Menu, ...] = (
    Menu(
        ("interface", "bridge"),
        Kind.LIST,
        (
            _NAME,
            _e("protocol-mode", "none rstp stp mstp", "rstp"),
            _p("admin-mac", ""),
            _b("auto-mac", "yes"),
            _p("mtu", "auto"),
            _b("vlan-filtering"),
            _e("arp", "disabled enabled local-proxy-arp proxy-arp reply-only", "enabled"),
            _b("igmp-snooping"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        required=("name",),
        interface=True,
        auto_name="bridge",
    ),
    Menu(
        ("interface", "ethernet"),
        Kind.FIXED,
        _ethernet_props(),
        identity=("default-name",),
        builtin_key="default-name",
        interface=True,
    ),
    Menu(
        ("interface", "gre"),
        Kind.LIST,
        (
            _NAME,
            Prop("local-address", Type.IP, "0.0.0.0"),
            Prop("remote-address", Type.IP),
            _b("allow-fast-path", "yes"),
            _p("keepalive", "10s,10"),
            _p("mtu", "auto"),
            _p("dscp", "inherit"),
            _p("ipsec-secret", sensitive=True),
            _b("clamp-tcp-mss", "yes"),
            _b("dont-fragment"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        required=("remote-address",),
        interface=True,
        auto_name="gre-tunnel",
    ),
    Menu(
        ("interface", "vlan"),
        Kind.LIST,
        (
            _NAME,
            _i("vlan-id"),
            _r("interface", _INTERFACE_REF),
            _i("mtu", "1500"),
            _e("arp", "disabled enabled local-proxy-arp proxy-arp reply-only", "enabled"),
            _b("use-service-tag"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        required=("vlan-id", "interface"),
        interface=True,
        auto_name="vlan",
    ),
    Menu(
        ("interface", "list"),
        Kind.LIST,
        (
            _NAME,
            _p("include", ""),
            _p("exclude", ""),
            _COMMENT,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: list with such name already exists"),),
        required=("name",),
        builtin=tuple(FixedItem(n) for n in _LISTS),
        disable=False,
    ),
    Menu(
        ("interface", "bridge", "port"),
        Kind.LIST,
        (
            _r("bridge", "interface bridge"),
            _r("interface", _INTERFACE_REF),
            _i("pvid", "1"),
            _p("horizon", "none"),
            _b("hw", "yes"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("interface",),
        unique=(Unique(("interface",), "failure: device already added as bridge port"),),
        required=("bridge", "interface"),
    ),
    Menu(
        ("interface", "list", "member"),
        Kind.LIST,
        (
            _r("list", "interface list"),
            _r("interface", _INTERFACE_REF),
            _COMMENT,
            _DISABLED,
        ),
        identity=("list", "interface"),
        unique=(Unique(("list", "interface"), "failure: already have such entry"),),
        required=("list", "interface"),
    ),
    Menu(
        ("ip", "pool"),
        Kind.LIST,
        (_NAME, _p("ranges"), _p("next-pool", "none"), _COMMENT),
        identity=("name",),
        unique=(Unique(("name",), "failure: pool with such name exists"),),
        required=("name", "ranges"),
        disable=False,
    ),
    Menu(
        ("ip", "dhcp-server"),
        Kind.LIST,
        (
            _NAME,
            _r("interface", _INTERFACE_REF),
            _r("address-pool", "ip pool", "static-only", ref_extra=("static-only",)),
            _d("lease-time", "30m"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: already have such name"),),
        required=("interface",),
        auto_name="dhcp",
    ),
    Menu(
        ("ip", "dhcp-server", "network"),
        Kind.LIST,
        (
            Prop("address", Type.PREFIX),
            _p("gateway", ""),
            _p("dns-server", ""),
            _p("domain", ""),
            _COMMENT,
        ),
        identity=("address",),
        required=("address",),
        disable=False,
    ),
    Menu(
        ("ip", "neighbor", "discovery-settings"),
        Kind.SINGLETON,
        (
            _iflist("discover-interface-list", "!dynamic"),
            _e("protocol", "cdp lldp mndp", "cdp,lldp,mndp", multi=True),
            _e("mode", "rx-only tx-only tx-and-rx", "tx-and-rx"),
            _p("lldp-med-net-policy-vlan", "disabled"),
        ),
    ),
    Menu(
        ("ip", "address"),
        Kind.LIST,
        (
            Prop("address", Type.IP_PREFIX),
            _r("interface", _INTERFACE_REF),
            Prop("network", Type.IP, derived=True),
            _COMMENT,
            _DISABLED,
        ),
        identity=("address", "interface"),
        unique=(Unique(("address", "interface"), "failure: already have such address"),),
        required=("address", "interface"),
    ),
    Menu(
        ("ip", "dhcp-client"),
        Kind.LIST,
        (
            _r("interface", _INTERFACE_REF),
            _b("add-default-route", "yes"),
            _i("default-route-distance", "1"),
            _b("use-peer-dns", "yes"),
            _b("use-peer-ntp", "yes"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("interface",),
        unique=(Unique(("interface",), "failure: dhcp-client on that interface already exists"),),
        required=("interface",),
    ),
    Menu(
        ("ip", "dns"),
        Kind.SINGLETON,
        (
            _p("servers", ""),
            _b("allow-remote-requests"),
            _p("cache-size", "2048KiB"),
            _d("cache-max-ttl", "1w"),
            _i("max-udp-packet-size", "4096"),
            _p("doh-server", ""),
        ),
    ),
    Menu(
        ("ip", "dns", "static"),
        Kind.LIST,
        (
            _NAME,
            Prop("address", Type.IP),
            _e("type", "A AAAA CNAME FWD MX NS NXDOMAIN SRV TXT", "A"),
            _d("ttl", "1d"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name", "type"),
        required=("name",),
    ),
    Menu(
        ("ip", "firewall", "address-list"),
        Kind.LIST,
        (
            _p("list"),
            Prop("address", Type.ADDRESS),
            _d("timeout"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("list", "address"),
        unique=(Unique(("list", "address"), "failure: already have such entry"),),
        required=("list", "address"),
    ),
    _firewall("filter"),
    _firewall("nat"),
    _firewall("mangle"),
    Menu(
        ("ip", "ipsec", "profile"),
        Kind.LIST,
        (
            _NAME,
            _e("hash-algorithm", "md5 sha1 sha256 sha512", "sha1"),
            Prop(
                "enc-algorithm",
                Type.ENUM,
                "aes-128,aes-192,aes-256",
                _IKE_ENC,
                multi=True,
            ),
            Prop("dh-group", Type.ENUM, "modp1024,modp2048", tuple(_DH.split()), multi=True),
            _d("lifetime", "1d"),
            _p("lifebytes", "0"),
            _e("prf-algorithm", "auto sha1 sha256 sha384 sha512", "auto"),
            _b("nat-traversal", "yes"),
            _p("dpd-interval", "8s"),
            _i("dpd-maximum-failures", "4"),
            _e("proposal-check", "claim exact obey strict", "obey"),
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: profile with the same name already exists"),),
        required=("name",),
        builtin=(FixedItem("default"),),
        disable=False,
    ),
    Menu(
        ("ip", "ipsec", "peer"),
        Kind.LIST,
        (
            _NAME,
            Prop("address", Type.PREFIX),
            Prop("local-address", Type.IP),
            _r("profile", "ip ipsec profile", "default"),
            _e("exchange-mode", "aggressive base ike2 main", "main"),
            _b("send-initial-contact", "yes"),
            _b("passive"),
            _i("port", "500"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: peer with such name already exists"),),
        auto_name="peer",
    ),
    Menu(
        ("ip", "ipsec", "proposal"),
        Kind.LIST,
        (
            _NAME,
            Prop(
                "auth-algorithms",
                Type.ENUM,
                "sha1",
                ("md5", "null", "sha1", "sha256", "sha512"),
                multi=True,
            ),
            Prop(
                "enc-algorithms",
                Type.ENUM,
                "aes-256-cbc,aes-192-cbc,aes-128-cbc",
                _ESP_ENC,
                multi=True,
            ),
            _e("pfs-group", "none " + _DH, "modp1024"),
            _d("lifetime", "30m"),
            _p("lifebytes", "0"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: proposal with the same name already exists"),),
        required=("name",),
        builtin=(FixedItem("default"),),
    ),
    Menu(
        ("ip", "ipsec", "identity"),
        Kind.LIST,
        (
            _r("peer", "ip ipsec peer"),
            _e(
                "auth-method",
                (
                    "digital-signature eap eap-radius pre-shared-key pre-shared-key-xauth "
                    "rsa-key rsa-signature-hybrid"
                ),
                "pre-shared-key",
            ),
            _p("secret", "", sensitive=True),
            _e("generate-policy", "no port-override port-strict", "no"),
            _p("my-id", "auto"),
            _p("remote-id", "auto"),
            _p("policy-template-group", "default"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("peer",),
        required=("peer",),
    ),
    Menu(
        ("ip", "ipsec", "policy"),
        Kind.LIST,
        (
            _r("peer", "ip ipsec peer"),
            Prop("src-address", Type.PREFIX, "0.0.0.0/0"),
            Prop("dst-address", Type.PREFIX, "0.0.0.0/0"),
            _p("src-port", "any"),
            _p("dst-port", "any"),
            Prop("protocol", Type.ENUM, "all", ("all", *_PROTOCOLS.split())),
            _b("tunnel"),
            _r("proposal", "ip ipsec proposal", "default"),
            _e("action", "discard encrypt none", "encrypt"),
            _e("level", "require unique use", "require"),
            _e("ipsec-protocols", "ah esp", "esp"),
            _b("template"),
            _p("group", "default"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("peer", "src-address", "dst-address", "protocol"),
    ),
    Menu(
        ("ip", "route"),
        Kind.LIST,
        (
            Prop("dst-address", Type.PREFIX, "0.0.0.0/0"),
            _p("gateway", ""),
            _i("distance", "1"),
            _r("routing-table", "routing table", "main"),
            _i("scope", "30"),
            _i("target-scope", "10"),
            _e("check-gateway", "arp bfd bfd-multihop none ping", "none"),
            Prop("blackhole", Type.BOOL, "no", flag=True),
            _p("pref-src", ""),
            _b("suppress-hw-offload"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("dst-address", "gateway", "routing-table"),
    ),
    Menu(
        ("ip", "service"),
        Kind.FIXED,
        (
            _NAME,
            _i("port"),
            _p("address", ""),
            _p("certificate", "none"),
            _e("tls-version", "any only-1.2", "any"),
            _p("vrf", "main"),
            _DISABLED,
        ),
        identity=("name",),
        builtin=(
            FixedItem("telnet", (("port", "23"),)),
            FixedItem("ftp", (("port", "21"),)),
            FixedItem("www", (("port", "80"),)),
            FixedItem("ssh", (("port", "22"),)),
            FixedItem("www-ssl", (("port", "443"), ("disabled", "yes"))),
            FixedItem("api", (("port", "8728"),)),
            FixedItem("winbox", (("port", "8291"),)),
            FixedItem("api-ssl", (("port", "8729"),)),
        ),
    ),
    Menu(
        ("ip", "ssh"),
        Kind.SINGLETON,
        (
            _b("strong-crypto"),
            _e("host-key-type", "ed25519 rsa", "rsa"),
            _i("host-key-size", "2048"),
            _b("allow-none-crypto"),
            _b("always-allow-password-login"),
            _e("forwarding-enabled", "both local no remote", "no"),
        ),
    ),
    Menu(("ip", "proxy"), Kind.SINGLETON, (_b("enabled"), _i("port", "8080"))),
    Menu(
        ("ip", "socks"),
        Kind.SINGLETON,
        (_b("enabled"), _i("port", "1080"), _e("version", "4 5", "4")),
    ),
    Menu(
        ("ip", "upnp"),
        Kind.SINGLETON,
        (_b("enabled"), _b("allow-disable-external-interface"), _b("show-dummy-rule", "yes")),
    ),
    Menu(
        ("ip", "cloud"),
        Kind.SINGLETON,
        (
            _e("ddns-enabled", "auto no yes", "no"),
            _b("update-time", "yes"),
            _d("ddns-update-interval", "none"),
            _e("back-to-home-vpn", "enabled revoked-and-disabled", "revoked-and-disabled"),
        ),
    ),
    Menu(
        ("routing", "table"),
        Kind.LIST,
        (_NAME, Prop("fib", Type.BOOL, "no", flag=True), _COMMENT, _DISABLED),
        identity=("name",),
        unique=(Unique(("name",), "failure: table with such name exists"),),
        required=("name",),
        builtin=(FixedItem("main", (("fib", "yes"),)),),
    ),
    Menu(
        ("routing", "bgp", "template"),
        Kind.LIST,
        (_NAME, _p("as"), _p("router-id"), _COMMENT, _DISABLED),
        identity=("name",),
        unique=(Unique(("name",), "failure: template with such name exists"),),
        required=("name",),
        builtin=(FixedItem("default"),),
    ),
    Menu(
        ("routing", "bgp", "connection"),
        Kind.LIST,
        (
            _NAME,
            _p("as"),
            Prop("router-id", Type.IP),
            _e(
                "local.role",
                (
                    "ebgp ebgp-customer ebgp-peer ebgp-provider ebgp-rs ebgp-rs-client ibgp "
                    "ibgp-rr ibgp-rr-client"
                ),
            ),
            Prop("local.address", Type.IP),
            Prop("remote.address", Type.ADDRESS),
            _p("remote.as"),
            _i("remote.port", "179"),
            _r("output.network", "ip firewall address-list"),
            _e("output.default-originate", "always if-installed never", "never"),
            _p("output.filter-chain"),
            _p("input.filter"),
            _i("input.limit-process-routes-ipv4"),  # max-prefix: the session stops past it
            _p("output.redistribute"),  # connected,static,... (a list of route kinds)
            _d("hold-time", "3m"),
            _d("keepalive-time", "1m"),
            _b("multihop"),
            _b("connect", "yes"),
            _b("listen", "yes"),
            _p("address-families", "ip"),
            _r("templates", "routing bgp template", "default", multi=True),
            _r("routing-table", "routing table", "main"),
            _p("tcp-md5-key", "", sensitive=True),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: connection with such name exists"),),
        required=("name", "local.role"),
    ),
    Menu(
        ("routing", "filter", "rule"),
        Kind.LIST,
        (_p("chain"), _t("rule"), _COMMENT, _DISABLED),
        identity=("comment",),
        required=("chain",),
        ordered=True,
    ),
    Menu(
        ("queue", "type"),
        Kind.LIST,
        (
            _NAME,
            _e("kind", "bfifo cake fq-codel mq-pfifo none pcq pfifo red sfq", "pfifo"),
            _i("pfifo-limit", "50"),
            _p("pcq-classifier", ""),
            _p("pcq-rate", "0"),
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: queue type with such name already exists"),),
        required=("name", "kind"),
        disable=False,
    ),
    Menu(
        ("queue", "simple"),
        Kind.LIST,
        (
            _NAME,
            _p("target"),
            _p("dst", ""),
            Prop("max-limit", Type.RATE, "0/0"),
            Prop("limit-at", Type.RATE, "0/0"),
            Prop("burst-limit", Type.RATE, "0/0"),
            _p("priority", "8/8"),
            _r("parent", "queue simple", "none", ref_extra=("none",)),
            _p("queue", "default-small/default-small"),
            _p("packet-marks", ""),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: queue with such name already exists"),),
        required=("target",),
        ordered=True,
        auto_name="queue",
    ),
    Menu(
        ("queue", "tree"),
        Kind.LIST,
        (
            _NAME,
            _p("parent"),
            _p("packet-mark", ""),
            Prop("max-limit", Type.RATE, "0"),
            Prop("limit-at", Type.RATE, "0"),
            _i("priority", "8"),
            _p("queue", "default-small"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: queue with such name already exists"),),
        required=("name", "parent"),
        auto_name="queue",
    ),
    Menu(
        ("snmp", "community"),
        Kind.LIST,
        (
            _NAME,
            _e("security", "authorized none private", "none"),
            _e("authentication-protocol", "MD5 SHA1 SHA256 SHA384 SHA512", "MD5"),
            _p("authentication-password", "", sensitive=True),
            _e("encryption-protocol", "AES AES192 AES256 DES", "DES"),
            _p("encryption-password", "", sensitive=True),
            _p("addresses", "::/0"),
            _b("read-access", "yes"),
            _b("write-access"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: community with such name already exists"),),
        required=("name",),
        builtin=(FixedItem("public"),),
    ),
    Menu(
        ("snmp",),
        Kind.SINGLETON,
        (
            _b("enabled"),
            _p("contact", ""),
            _p("location", ""),
            _e("trap-version", "1 2 3", "1"),
            _p("trap-community", "public"),
            _p("trap-target", ""),
            _p("trap-generators", "temp-exception"),
            _p("src-address", "::"),
            _p("engine-id-suffix", ""),
            _p("vrf", "main"),
        ),
    ),
    Menu(
        ("radius",),
        Kind.LIST,
        (
            Prop("address", Type.IP),
            _p("secret", "", sensitive=True),
            _e("service", "dhcp dot1x hotspot ipsec login ppp wireless", "", multi=True),
            Prop("src-address", Type.IP, "0.0.0.0"),
            _p("timeout", "300ms"),
            _i("authentication-port", "1812"),
            _i("accounting-port", "1813"),
            _e("protocol", "radsec udp", "udp"),
            _COMMENT,
            _DISABLED,
        ),
        identity=("address", "service"),
        required=("address",),
        ordered=True,
    ),
    Menu(
        ("system", "clock"),
        Kind.SINGLETON,
        (_p("time-zone-name", "manual"), _b("time-zone-autodetect", "yes")),
    ),
    Menu(("system", "identity"), Kind.SINGLETON, (_p("name", "MikroTik"),)),
    Menu(
        ("system", "logging", "action"),
        Kind.LIST,
        (
            _NAME,
            _e("target", "disk echo email memory remote", "memory"),
            _p("remote", "0.0.0.0"),  # an address or a DNS name
            _i("remote-port", "514"),
            Prop("src-address", Type.IP, "0.0.0.0"),
            _b("bsd-syslog"),
            _p("syslog-facility", "daemon"),
            _p("syslog-severity", "auto"),
            _i("memory-lines", "1000"),
            _p("disk-file-name", "log"),
            _COMMENT,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: action with such name already exists"),),
        required=("name",),
        builtin=(
            FixedItem("memory"),
            FixedItem("disk", (("target", "disk"),)),
            FixedItem("echo", (("target", "echo"),)),
            FixedItem("remote", (("target", "remote"),)),
        ),
        disable=False,
    ),
    Menu(
        ("system", "logging"),
        Kind.LIST,
        (
            _r("action", "system logging action", "memory"),
            Prop("topics", Type.ENUM, None, tuple(_TOPICS.split()), multi=True, negatable=True),
            _p("prefix", ""),
            _p("regex", ""),
            _COMMENT,
            _DISABLED,
        ),
        identity=("comment",),
        ordered=True,
    ),
    Menu(
        ("system", "note"),
        Kind.SINGLETON,
        (_t("note", ""), _b("show-at-login", "yes")),
    ),
    Menu(
        ("system", "ntp", "client"),
        Kind.SINGLETON,
        (
            _b("enabled"),
            _p("servers", ""),
            _e("mode", "broadcast manycast multicast unicast", "unicast"),
            _p("vrf", "main"),
        ),
    ),
    Menu(
        ("system", "script"),
        Kind.LIST,
        (
            _NAME,
            _t("source", ""),
            _e("policy", _POLICIES, _DEFAULT_POLICY, multi=True),
            _b("dont-require-permissions"),
            _p("owner", read_only=True),
            _COMMENT,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: script with such name already exists"),),
        auto_name="script",
        disable=False,
    ),
    Menu(
        ("system", "scheduler"),
        Kind.LIST,
        (
            _NAME,
            _p("start-date", ""),
            _p("start-time", ""),
            _d("interval", "0s"),
            _t("on-event", ""),
            _e("policy", _POLICIES, _DEFAULT_POLICY, multi=True),
            _p("owner", read_only=True),
            _p("run-count", read_only=True),
            _p("next-run", read_only=True),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: item with such name already exists"),),
        required=("name",),
    ),
    Menu(
        ("tool", "bandwidth-server"),
        Kind.SINGLETON,
        (
            _b("enabled", "yes"),
            _b("authenticate", "yes"),
            _i("allocate-udp-ports-from", "2000"),
            _i("max-sessions", "100"),
        ),
    ),
    Menu(
        ("tool", "mac-server"),
        Kind.SINGLETON,
        (_iflist("allowed-interface-list", "all"),),
    ),
    Menu(
        ("tool", "mac-server", "mac-winbox"),
        Kind.SINGLETON,
        (_iflist("allowed-interface-list", "all"),),
    ),
    Menu(("tool", "mac-server", "ping"), Kind.SINGLETON, (_b("enabled", "yes"),)),
    Menu(
        ("tool", "romon"),
        Kind.SINGLETON,
        (_b("enabled"), _p("id", "00:00:00:00:00:00"), _p("secrets", "", sensitive=True)),
    ),
    Menu(
        ("user", "group"),
        Kind.LIST,
        (
            _NAME,
            Prop("policy", Type.ENUM, "", tuple(_POLICIES.split()), multi=True, negatable=True),
            _p("skin", "default"),
            _COMMENT,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: group with the same name already exists"),),
        required=("name",),
        builtin=(
            FixedItem("read", (("policy", _READ + ",!ftp,!write,!policy"),)),
            FixedItem("write", (("policy", _WRITE + ",!ftp,!policy"),)),
            FixedItem("full", (("policy", _POLICIES.replace(" ", ",")),)),
        ),
        disable=False,
    ),
    Menu(
        ("user", "aaa"),
        Kind.SINGLETON,
        (
            _b("use-radius"),
            _r("default-group", "user group", "read"),
            _b("accounting", "yes"),
            _d("interim-update", "0s"),
            _p("exclude-groups", ""),
        ),
    ),
    Menu(
        ("user",),
        Kind.LIST,
        (
            _NAME,
            _r("group", "user group"),
            _p("password", "", sensitive=True),
            _p("address", ""),
            _COMMENT,
            _DISABLED,
        ),
        identity=("name",),
        unique=(Unique(("name",), "failure: user with the same name already exists"),),
        required=("name", "group"),
        builtin=(FixedItem("admin", (("group", "full"),)),),
        exported=False,
    ),
)

#: The order of menus in ``/export``: items that others refer to come first (so an export
#: imports in one pass), then the rest, as RouterOS orders them.
EXPORT_ORDER: tuple[str, ...] = (
    "interface bridge", "interface ethernet", "interface gre", "interface vlan",
    "interface list", "ip ipsec profile", "ip ipsec peer", "ip ipsec proposal", "ip pool",
    "ip dhcp-server", "queue type", "queue simple", "queue tree", "routing bgp template",
    "routing table", "snmp community", "system logging action", "user group",
    "interface bridge port", "ip neighbor discovery-settings", "interface list member",
    "ip address", "ip cloud", "ip dhcp-client", "ip dhcp-server network", "ip dns",
    "ip dns static", "ip firewall address-list", "ip firewall filter", "ip firewall mangle",
    "ip firewall nat", "ip ipsec identity", "ip ipsec policy", "ip proxy", "ip route",
    "ip service", "ip socks", "ip ssh", "ip upnp", "radius", "routing bgp connection",
    "routing filter rule", "snmp", "system clock", "system identity", "system logging",
    "system note", "system ntp client", "system scheduler", "system script",
    "tool bandwidth-server", "tool mac-server", "tool mac-server mac-winbox",
    "tool mac-server ping", "tool romon", "user aaa", "user",
)
MENUS = tuple(sorted(MENUS, key=lambda m: EXPORT_ORDER.index(" ".join(m.path))))

_BY_PATH: dict[tuple[str, ...], Menu] = {m.path: m for m in MENUS}

#: Ethernet ports of each model (the emulator creates them; unknown models get ether1-8).
MODEL_PORTS: dict[str, tuple[str, ...]] = {
    "RB4011iGS+": (*(f"ether{n}" for n in range(1, 11)), "sfp-sfpplus1"),
    "RB5009UG+S+": (*(f"ether{n}" for n in range(1, 9)), "sfp-sfpplus1"),
    "CCR2004-16G-2S+": (*(f"ether{n}" for n in range(1, 17)), "sfp-sfpplus1", "sfp-sfpplus2"),
    "RB750Gr3": tuple(f"ether{n}" for n in range(1, 6)),
}
_MODEL_ALIASES = {"hEX": "RB750Gr3", "hEX RB750Gr3": "RB750Gr3"}


def model_ports(model: str) -> tuple[str, ...]:
    unknown = tuple(f"ether{n}" for n in range(1, 9))
    return MODEL_PORTS.get(_MODEL_ALIASES.get(model, model), unknown)


def menu(path: tuple[str, ...] | str) -> Menu | None:
    """The menu at ``path`` (``("ip", "address")`` or ``"/ip address"``), if RouterOS has it."""
    key = tuple(path.strip("/").replace("/", " ").split()) if isinstance(path, str) else path
    return _BY_PATH.get(key)


def export_order() -> tuple[tuple[str, ...], ...]:
    """Menu paths in the order ``/export`` prints them."""
    return tuple(m.path for m in MENUS if m.exported)


# ---------------------------------------------------------------------------- values

_DURATION_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|w|d|h|m|s)?")
_RATE_PART = re.compile(r"^(\d+(?:\.\d+)?)([kKMG]?)$")
_RATE_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 1_000_000, "G": 1_000_000_000}


class ValueRejected(ValueError):
    """A value RouterOS would refuse; ``str()`` is RouterOS's complaint."""


def parse_duration(text: str) -> float:
    """Seconds in a RouterOS duration (``1d2h``, ``30s``, ``500ms``, ``00:05:00``, ``90``)."""
    text = text.strip()
    if re.fullmatch(r"\d+:\d{1,2}:\d{1,2}", text):
        h, m, s = (int(x) for x in text.split(":"))
        return float(h * 3600 + m * 60 + s)
    pos, total = 0, 0.0
    if not text:
        raise ValueRejected("invalid time value")
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if not match or match.end() == pos:
            raise ValueRejected("invalid time value")
        number, unit = float(match.group(1)), match.group(2) or "s"
        total += number / 1000 if unit == "ms" else number * dict(_DURATION_UNITS)[unit]
        pos = match.end()
    return total


def format_duration(seconds: float) -> str:
    """RouterOS's own spelling of a duration (``1d``, ``1h30m``, ``0s``, ``300ms``), to the
    millisecond: rounded as a whole, so ``1999.6ms`` is ``2s``, never ``1s1000ms`` (which
    would read back as another spelling of itself)."""
    whole, millis = divmod(round(seconds * 1000), 1000)
    parts = []
    for unit, size in _DURATION_UNITS:
        if whole >= size:
            parts.append(f"{whole // size}{unit}")
            whole %= size
    if millis:
        parts.append(f"{millis}ms")
    return "".join(parts) or "0s"


def _rate(text: str) -> str:
    match = _RATE_PART.match(text)
    if not match:
        raise ValueRejected("invalid value")
    value = round(float(match.group(1)) * _RATE_UNITS[match.group(2)])
    for unit, size in (("G", 1_000_000_000), ("M", 1_000_000), ("k", 1000)):
        if value and value % size == 0:
            return f"{value // size}{unit}"
    return str(value)


def _address(text: str, strip_host_len: bool) -> str:
    if "-" in text and not re.search(r"[a-zA-Z]", text):  # a range a.b.c.d-e.f.g.h
        low, high = text.split("-", 1)
        return f"{ipaddress.IPv4Address(low)}-{ipaddress.IPv4Address(high)}"
    if re.fullmatch(r"[\d.]+(/\d+)?", text):
        net = ipaddress.IPv4Network(text, strict=False)
        if strip_host_len and net.prefixlen == 32:
            return str(net.network_address)
        return str(net)
    if re.fullmatch(r"[A-Za-z0-9.-]+", text):  # a DNS name (address lists resolve it)
        return text
    if ":" in text:  # IPv6 (BGP, IPsec and DNS take both families)
        net6 = ipaddress.IPv6Network(text, strict=False)
        if strip_host_len and net6.prefixlen == 128:
            return str(net6.network_address)
        return str(net6)
    raise ValueError(text)


def canonical(prop: Prop, raw: str, argument: str | None = None) -> str:
    """``raw`` in the form RouterOS prints it; raises :class:`ValueRejected` if refused."""
    arg = argument or prop.name
    if prop.flag and raw == "":
        return "yes"
    if prop.multi:
        parts = list(raw.split(",")) if raw else []
        single = Prop(
            prop.name, prop.type, None, prop.choices, negatable=prop.negatable, ref=prop.ref
        )
        return ",".join(canonical(single, p, arg) for p in parts)
    neg = ""
    if prop.negatable and raw.startswith("!"):
        neg, raw = "!", raw[1:]
    try:
        return neg + _canonical_one(prop, raw, arg)
    except ValueRejected:
        raise
    except ValueError:
        raise ValueRejected(f"invalid value for argument {arg}") from None


def _canonical_one(prop: Prop, raw: str, arg: str) -> str:
    kind = prop.type
    if kind is Type.BOOL:
        mapped = {"yes": "yes", "no": "no", "true": "yes", "false": "no"}.get(raw)
        if mapped is None:
            if prop.default in ("disabled", "enabled") and raw in ("disabled", "enabled"):
                return raw
            raise ValueRejected(f"input does not match any value of {arg}")
        return mapped
    if kind is Type.ENUM:
        if raw in prop.choices or (raw.isdigit() and prop.name == "protocol"):
            return raw
        raise ValueRejected(f"input does not match any value of {arg}")
    if kind is Type.INT:
        if not re.fullmatch(r"-?\d+", raw):
            raise ValueRejected(f"invalid value for argument {arg}")
        return str(int(raw))
    if kind is Type.DURATION:
        if raw in ("none", "never", "none-dynamic", "none-static"):
            return raw
        return format_duration(parse_duration(raw))
    if kind is Type.IP:
        if raw == "":
            return raw
        return str(ipaddress.ip_address(raw))
    if kind is Type.IP_PREFIX:
        iface = ipaddress.IPv4Interface(raw)
        return f"{iface.ip}/{iface.network.prefixlen}"
    if kind is Type.PREFIX:
        return str(ipaddress.ip_network(raw, strict=False))
    if kind is Type.ADDRESS:
        return _address(raw, strip_host_len=True)
    if kind is Type.RATE:
        return "/".join(_rate(p) for p in raw.split("/"))
    return raw


def is_default(menu_: Menu, name: str, value: str, item: str | None = None) -> bool:
    """Would ``/export`` leave ``name=value`` out of this item?"""
    default = menu_.default(name, item)
    return default is not None and value == default


_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:/,@*+!<>-]+")
#: a secret's placeholder stands bare for the whole value (the value is written as one
#: quoted token in its place at push time), so it is printed bare as well
PLACEHOLDER_VALUE = re.compile(r"@@secret:[A-Za-z0-9_.:/,*+!<>#=-]+@@")
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "?": "\\?",
                  "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TO_ESCAPE = re.compile(r'[\\"$?\x00-\x1f\x7f]')


def escape(value: str) -> str:
    """The inside of a quoted RouterOS string: ``\\`` ``"`` ``$`` (variables) and ``?``
    (the console's inline help) escaped, line ends as ``\\n``/``\\r``/``\\t``, any other
    control character as its ``\\XX`` hex escape, so no value can end the string, the
    command or the line it stands in."""
    return _TO_ESCAPE.sub(
        lambda m: _NAMED_ESCAPES.get(m[0]) or f"\\{ord(m[0]):02X}", value)


def quote(value: str) -> str:
    """A value as the console prints it: bare when safe, else quoted with escapes."""
    if value and (_SAFE_VALUE.fullmatch(value) or PLACEHOLDER_VALUE.fullmatch(value)):
        return value
    return f'"{escape(value)}"'
