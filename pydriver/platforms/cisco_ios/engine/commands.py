"""The IOS-XE configuration language the emulator understands, one table per mode.

A command's entry says how IOS stores it: which words identify it (so a second
``ip address`` replaces the first while a second ``ntp server`` adds a line), which sub-mode
it opens, and whether IOS shows it only in its ``no`` form (``no ip domain lookup``). Keeping
this as data, not code, is what lets one interpreter cover several hundred command shapes.
"""

from __future__ import annotations

from functools import cache

from pydriver.platforms.cisco_ios.engine import vocab
from pydriver.platforms.cisco_ios.engine.grammar import Grammar
from pydriver.platforms.cisco_ios.engine.spec import Cmd, Mode, Words

__all__ = ["MODES", "Cmd", "Mode", "Words", "grammar"]

# ---------------------------------------------------------------- canonical rewrites


def _domain_name(w: Words) -> Words:
    return ("ip", "domain", "name", w[-1])


def _domain_lookup(w: Words) -> Words:
    return ("ip", "domain", "lookup")


def _af(w: Words) -> Words:
    return w[:2]


def _class_map(w: Words) -> Words:
    return w if len(w) == 3 else (w[0], "match-all", w[1])


def _route_map(w: Words) -> Words:
    name = w[1]
    action = w[2] if len(w) > 2 and w[2] in ("permit", "deny") else "permit"
    seq = w[-1] if len(w) > 2 and w[-1].isdigit() else "10"
    return ("route-map", name, action, seq)


def _ntp_server(w: Words) -> Words:
    """``ntp server ip X`` is stored as ``ntp server X`` (``ip`` only forces IPv4)."""
    return (*w[:2], *w[3:]) if len(w) > 2 and w[2] == "ip" else w


def _drop_zero(w: Words) -> Words:
    """``key 0 secret`` is stored as ``key secret``: type 0 is clear text."""
    out = list(w)
    for i, word in enumerate(out[:-1]):
        if (
            word == "0"
            and i > 0
            and out[i - 1] in ("key", "pre-shared-key", "password", "local", "remote")
        ):
            del out[i]
            break
    return tuple(out)


IFACE = Mode(
    "config-if",
    (
        Cmd("description <line>", 1),
        Cmd("vrf forwarding <word>", 2),
        Cmd("encapsulation dot1Q <1-4094> [ native ]", 1, only="sub"),
        Cmd("ip address <ip> <mask>", 2, action="ip-address"),
        Cmd("ip address <ip> <mask> secondary", None),
        Cmd("ip redirects", 2, flavor="default_on"),
        Cmd("ip unreachables", 2, flavor="default_on"),
        Cmd("ip proxy-arp", 2, flavor="default_on"),
        Cmd("ip mtu <68-9216>", 2),
        Cmd("ip nat ( inside | outside )", 2),
        Cmd("ip access-group <word> ( in | out )", (0, 1, 3)),
        Cmd("ip tcp adjust-mss <500-1460>", 3),
        Cmd("ip verify unicast source reachable-via ( rx | any )", 4),
        Cmd("load-interval <30-600>", 1),
        Cmd("bandwidth <1-100000000>", 1),
        Cmd("delay <1-16777215>", 1),
        Cmd("mtu <64-9216>", 1),
        Cmd("keepalive [ <0-32767> [ <1-255> ] ]", 1),
        Cmd("shutdown", 1),
        Cmd("negotiation auto", 1, only="phys"),
        Cmd("speed ( 10 | 100 | 1000 | 10000 | auto )", 1, only="phys"),
        Cmd("duplex ( full | half | auto )", 1, only="phys"),
        Cmd("cdp enable", 2),
        Cmd("tunnel source ( <if> | <ip> )", 2, only="tunnel"),
        Cmd("tunnel destination <ip>", 2, only="tunnel"),
        Cmd(
            "tunnel mode ( gre ( ip | multipoint | ipv6 ) | ipsec ( ipv4 | ipv6 ) | ipip "
            "| mpls traffic-eng | ipv6ip )",
            2,
            only="tunnel",
            default="tunnel mode gre ip",
        ),
        Cmd("tunnel key <0-4294967295>", 2, only="tunnel"),
        Cmd("tunnel protection ipsec profile <word> [ shared ]", 2, only="tunnel"),
        Cmd("service-policy ( input | output ) <word>", 2),
    ),
    order=(
        "description",
        "switchport",
        "vrf forwarding",
        "ip vrf forwarding",
        "encapsulation",
        "bandwidth",
        "delay",
        "mtu",
        "ip dhcp",
        "ip address",
        "no ip address",
        "ip unnumbered",
        "ip helper-address",
        "ip access-group",
        "no ip redirects",
        "ip redirects",
        "no ip unreachables",
        "ip unreachables",
        "no ip proxy-arp",
        "ip proxy-arp",
        "ip mtu",
        "ip verify",
        "ip flow",
        "ip pim",
        "ip igmp",
        "ip nhrp",
        "ip nat",
        "ip policy",
        "ip tcp adjust-mss",
        "ip ospf",
        "ip router",
        "ipv6",
        "standby",
        "vrrp",
        "load-interval",
        "keepalive",
        "carrier-delay",
        "shutdown",
        "negotiation",
        "speed",
        "duplex",
        "cdp",
        "mop",
        "lldp",
        "channel-group",
        "spanning-tree",
        "bfd",
        "tunnel source",
        "tunnel mode",
        "tunnel destination",
        "tunnel key",
        "tunnel protection",
        "ip virtual-reassembly",
        "crypto map",
        "zone-member",
        "service-policy input",
        "service-policy output",
    ),
)

SUBIF = Mode("config-subif", IFACE.cmds, IFACE.order)
IF_RANGE = Mode("config-if-range", IFACE.cmds, IFACE.order)

_NEIGHBOR_SESSION = (
    Cmd("neighbor <ip> remote-as <1-4294967295>", (0, 1, 2), no_min=2, action="neighbor"),
    Cmd("neighbor <ip> description <line>", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> ebgp-multihop [ <1-255> ]", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> password [ ( 0 | 7 ) ] <word>", (0, 1, 2), action="neighbor-password"),
    Cmd("neighbor <ip> update-source <if>", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> timers <0-65535> <0-65535> [ <0-65535> ]", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> shutdown", (0, 1, 2), action="neighbor"),
)

_NEIGHBOR_AF = (
    Cmd("neighbor <ip> activate", (0, 1, 2), no_min=2, action="neighbor"),
    Cmd("neighbor <ip> next-hop-self [ all ]", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> default-originate [ route-map <word> ]", (0, 1, 2), action="neighbor"),
    Cmd(
        "neighbor <ip> send-community [ ( both | standard | extended ) ]",
        (0, 1, 2),
        action="neighbor",
    ),
    Cmd("neighbor <ip> soft-reconfiguration inbound", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> prefix-list <word> ( in | out )", (0, 1, 2, 4), action="neighbor"),
    Cmd("neighbor <ip> route-map <word> ( in | out )", (0, 1, 2, 4), action="neighbor"),
    Cmd("neighbor <ip> maximum-prefix <1-2147483647> [ <1-100> ]", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> allowas-in [ <1-10> ]", (0, 1, 2), action="neighbor"),
    Cmd("neighbor <ip> as-override", (0, 1, 2), action="neighbor"),
)

_BGP_NETWORK = (
    Cmd("network <ip> [ mask <mask> ] [ route-map <word> ]", (0, 1, 2, 3)),
    Cmd("redistribute ( connected | static ) [ route-map <word> ]", 2),
    Cmd("maximum-paths <1-32>", 1),
    Cmd("aggregate-address <ip> <mask> [ summary-only ]", 3),
)

ROUTER_AF = Mode(
    "config-router-af",
    (*_BGP_NETWORK, *_NEIGHBOR_AF),
    exit_words=("exit-address-family",),
    closer="exit-address-family",
)

ROUTER = Mode(
    "config-router",
    (
        Cmd("bgp router-id <ip>", 2),
        Cmd("bgp log-neighbor-changes", 2),
        Cmd("bgp default ipv4-unicast", 3, flavor="default_on"),
        Cmd("bgp graceful-restart", 2),
        Cmd("bgp bestpath as-path multipath-relax", 4),
        Cmd("timers bgp <0-65535> <0-65535> [ <0-65535> ]", 2),
        *_NEIGHBOR_SESSION,
        *_NEIGHBOR_AF,
        *_BGP_NETWORK,
        Cmd("address-family ipv4 [ unicast ]", 2, enter="config-router-af", canon=_af),
    ),
)

LINE = Mode(
    "config-line",
    (
        Cmd("access-class <word> ( in | out ) [ vrf-also ]", (0, 2)),
        Cmd("exec-timeout <0-35791> [ <0-2147483> ]", 1),
        Cmd("session-timeout <0-35791>", 1),
        Cmd("transport input { ( ssh | telnet | none | all ) }", 2),
        Cmd("transport output { ( ssh | telnet | none | all ) }", 2),
        Cmd("transport preferred ( none | ssh | telnet )", 2),
        Cmd("login [ ( local | authentication <word> ) ]", 1),
        Cmd("logging synchronous", 2),
        Cmd("privilege level <0-15>", 2),
        Cmd("password [ ( 0 | 7 ) ] <word>", 1, action="type7"),
        Cmd("stopbits ( 1 | 1.5 | 2 )", 1),
        Cmd("length <0-512>", 1),
        Cmd("width <0-512>", 1),
    ),
)

STD_ACL = Mode(
    "config-std-nacl",
    (
        Cmd(
            "[ <1-2147483647> ] ( permit | deny ) ( any | host <ip> | <ip> [ <wild> ] ) [ log ]",
            action="acl-std",
        ),
        Cmd("remark <line>", action="acl-remark"),
        Cmd("<1-2147483647>", action="acl-seq-only", no_syntax_ok=True),
    ),
)

_ACL_ADDR = "( any | host <ip> | <ip> <wild> )"
_ACL_PORT = "[ ( eq | neq | gt | lt ) <word> | range <word> <word> ]"
EXT_ACL = Mode(
    "config-ext-nacl",
    (
        Cmd(
            f"[ <1-2147483647> ] ( permit | deny ) ( ip | esp | gre | ahp | ospf | <0-255> ) "
            f"{_ACL_ADDR} {_ACL_ADDR} [ dscp <word> ] [ log ]",
            action="acl-ext",
        ),
        Cmd(
            f"[ <1-2147483647> ] ( permit | deny ) ( tcp | udp ) {_ACL_ADDR} {_ACL_PORT} "
            f"{_ACL_ADDR} {_ACL_PORT} [ established ] [ dscp <word> ] [ log ]",
            action="acl-ext",
        ),
        Cmd(
            f"[ <1-2147483647> ] ( permit | deny ) icmp {_ACL_ADDR} {_ACL_ADDR} "
            f"[ ( echo | echo-reply | unreachable | time-exceeded | packet-too-big ) ] [ log ]",
            action="acl-ext",
        ),
        Cmd("remark <line>", action="acl-remark"),
        Cmd("<1-2147483647>", action="acl-seq-only"),
    ),
)

IKEV2_PROPOSAL = Mode(
    "config-ikev2-proposal",
    (
        Cmd(
            "encryption { ( aes-cbc-128 | aes-cbc-192 | aes-cbc-256 "
            "| aes-gcm-128 | aes-gcm-256 | 3des ) }",
            1,
            flavor="accumulate",
        ),
        Cmd("integrity { ( sha1 | sha256 | sha384 | sha512 | md5 ) }", 1, flavor="accumulate"),
        Cmd("prf { ( sha1 | sha256 | sha384 | sha512 | md5 ) }", 1, flavor="accumulate"),
        Cmd("group { ( 1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 | 24 ) }", 1, flavor="accumulate"),
    ),
    order=("encryption", "integrity", "prf", "group"),
)

IKEV2_POLICY = Mode(
    "config-ikev2-policy",
    (
        Cmd("proposal <word>", None, no_min=2),
        Cmd("match address local <ip>", None),
        Cmd("match fvrf ( any | <word> )", 2),
    ),
)

IKEV2_KEYRING_PEER = Mode(
    "config-ikev2-keyring-peer",
    (
        Cmd("description <line>", 1),
        Cmd("address <ip> [ <mask> ]", 1),
        Cmd("hostname <word>", 1),
        Cmd("identity address <ip>", 1),
        Cmd("identity fqdn <word>", 1),
        Cmd(
            "pre-shared-key [ ( local | remote ) ] [ ( 0 | 6 | 7 ) ] <word>",
            1,
            action="psk",
            canon=_drop_zero,
        ),
    ),
    order=("description", "address", "hostname", "identity", "pre-shared-key"),
)

IKEV2_KEYRING = Mode(
    "config-ikev2-keyring",
    (Cmd("peer <word>", 2, enter="config-ikev2-keyring-peer"),),
)

IKEV2_PROFILE = Mode(
    "config-ikev2-profile",
    (
        Cmd("description <line>", 1),
        Cmd("match fvrf ( any | <word> )", 2),
        Cmd("match identity remote address <ip> [ <mask> ]", None, no_min=3),
        Cmd("match identity remote fqdn <word>", None, no_min=3),
        Cmd("identity local address <ip>", 2),
        Cmd("identity local fqdn <word>", 2),
        Cmd("authentication ( local | remote ) pre-share", 2),
        Cmd("keyring local <word>", 1),
        Cmd("lifetime <120-86400>", 1),
        Cmd("dpd <10-3600> <2-60> ( periodic | on-demand )", 1),
    ),
    order=(
        "description",
        "match fvrf",
        "match identity",
        "identity local",
        "authentication remote",
        "authentication local",
        "keyring",
        "lifetime",
        "dpd",
    ),
)

TRANSFORM_SET = Mode(
    "cfg-crypto-trans",
    (Cmd("mode ( transport | tunnel ) [ require ]", 1),),
    initial=("mode tunnel",),
)

IPSEC_PROFILE = Mode(
    "ipsec-profile",
    (
        Cmd("description <line>", 1),
        Cmd(
            "set security-association lifetime "
            "( seconds <120-2592000> | kilobytes <2560-4294967295> )",
            4,
        ),
        Cmd("set transform-set { <word> }", 2),
        Cmd("set pfs ( group14 | group15 | group16 | group19 | group20 | group21 | group24 )", 2),
        Cmd("set ikev2-profile <word>", 2),
    ),
    order=(
        "description",
        "set security-association lifetime seconds",
        "set security-association lifetime kilobytes",
        "set transform-set",
        "set pfs",
        "set ikev2-profile",
    ),
)

RADIUS_SERVER = Mode(
    "config-radius-server",
    (
        Cmd("address ipv4 <ip> [ auth-port <0-65535> ] [ acct-port <0-65535> ]", 1),
        Cmd("key [ ( 0 | 7 ) ] <word>", 1, action="type7"),
        Cmd("timeout <1-1000>", 1),
        Cmd("retransmit <0-100>", 1),
    ),
    order=("address", "timeout", "retransmit", "key"),
)

SG_RADIUS = Mode(
    "config-sg-radius",
    (
        Cmd("server name <word>", None, no_min=3),
        Cmd("ip radius source-interface <if>", 3),
        Cmd("deadtime <1-1440>", 1),
    ),
)

CMAP = Mode(
    "config-cmap",
    (
        Cmd("description <line>", 1),
        Cmd("match access-group name <word>", None),
        Cmd("match access-group <1-2799>", None),
        Cmd("match dscp { <word> }", None),
        Cmd("match any", None),
        Cmd("match protocol <word>", None),
    ),
)

PMAP_C = Mode(
    "config-pmap-c",
    (
        Cmd(
            "bandwidth ( <8-100000000> | percent <1-100> "
            "| remaining ( percent | ratio ) <1-1000> )",
            1,
        ),
        Cmd("priority [ level <1-2> ] [ ( percent <1-100> | <8-100000000> ) ]", 1),
        Cmd("shape average ( <8000-100000000000> | percent <1-100> ) [ <256-154400000> ]", 2),
        Cmd("police <line>", 1),
        Cmd("set dscp <word>", 2),
        Cmd("service-policy <word>", 1),
        Cmd("fair-queue", 1),
        Cmd("random-detect [ dscp-based ]", 1),
        Cmd("queue-limit <1-8192> [ packets ]", 1),
    ),
    order=(
        "shape",
        "bandwidth",
        "priority",
        "police",
        "set",
        "fair-queue",
        "random-detect",
        "queue-limit",
        "service-policy",
    ),
)

PMAP = Mode(
    "config-pmap",
    (
        Cmd("description <line>", 1),
        Cmd("class <word>", 2, enter="config-pmap-c"),
    ),
)

ROUTE_MAP = Mode(
    "config-route-map",
    (
        Cmd("description <line>", 1),
        Cmd("match ip address prefix-list { <word> }", 3),
        Cmd("match ip address { <word> }", 3),
        Cmd("match as-path <1-500>", 2),
        Cmd("match community <word>", 2),
        Cmd("set local-preference <0-4294967295>", 2),
        Cmd("set metric <0-4294967295>", 2),
        Cmd("set weight <0-65535>", 2),
        Cmd("set as-path prepend { <1-4294967295> }", 3),
        Cmd("set community <line>", 2),
        Cmd("set ip next-hop <ip>", 3),
    ),
    order=("description", "match", "set"),
)

ARCHIVE_LOG = Mode(
    "config-archive-log-cfg",
    (
        Cmd("logging enable", 2),
        Cmd("logging size <1-1000>", 2),
        Cmd("logging persistent [ auto ]", 2),
        Cmd("notify syslog [ contenttype ( plaintext | xml ) ]", 2),
        Cmd("hidekeys", 1),
    ),
    order=("logging enable", "logging size", "logging persistent", "notify", "hidekeys"),
)

ARCHIVE = Mode(
    "config-archive",
    (
        Cmd("path <word>", 1),
        Cmd("maximum <1-14>", 1),
        Cmd("write-memory", 1),
        Cmd("time-period <1-525600>", 1),
        Cmd("log config", 2, enter="config-archive-log-cfg"),
        Cmd("rollback filter adaptive", 3),
    ),
    order=("log config", "path", "maximum", "write-memory", "time-period", "rollback"),
)

CONTROL_PLANE = Mode(
    "config-cp",
    (Cmd("service-policy input <word>", 2),),
)

REDUNDANCY = Mode("config-red", (Cmd("mode ( none | sso | rpr )", 1),))

VRF = Mode(
    "config-vrf",
    (
        Cmd("description <line>", 1),
        Cmd("rd <word>", 1),
        Cmd("address-family ( ipv4 | ipv6 )", 2, enter="config-vrf-af"),
    ),
)

VRF_AF = Mode(
    "config-vrf-af", (), exit_words=("exit-address-family",), closer="exit-address-family"
)

_SERVICE_TS = (
    "service timestamps ( debug | log ) "
    "( uptime | datetime [ msec ] [ localtime ] [ show-timezone ] [ year ] )"
)
_LEVELS = (
    "( emergencies | alerts | critical | errors | warnings "
    "| notifications | informational | debugging )"
)

GLOBAL = Mode(
    "config",
    (
        Cmd("version <word>", 1),
        Cmd("boot-start-marker", 1),
        Cmd("boot-end-marker", 1),
        Cmd("boot system <line>", None, no_min=2),
        Cmd(_SERVICE_TS, 3),
        Cmd("service password-encryption", 2, action="password-encryption"),
        Cmd("service pad", 2, flavor="default_on"),
        Cmd("service tcp-keepalives-in", 2),
        Cmd("service tcp-keepalives-out", 2),
        Cmd("service call-home", 2, flavor="both"),
        Cmd("service config", 2),
        Cmd("platform punt-keepalive disable-kernel-core", 3, flavor="both"),
        Cmd("platform qfp utilization monitor load <1-100>", 5),
        Cmd("hostname <word>", 1),
        Cmd("file prompt quiet", 2),
        Cmd(
            f"logging buffered [ <4096-2147483647> ] [ {_LEVELS} ]",
            2,
        ),
        Cmd(
            f"logging console [ {_LEVELS} ]",
            2,
            flavor="both",
        ),
        Cmd(
            "logging host <ip> [ vrf <word> ] [ transport ( udp | tcp ) [ port <1-65535> ] ]",
            None,
            no_min=3,
        ),
        Cmd("logging source-interface <if>", 2),
        Cmd(
            f"logging trap {_LEVELS}",
            2,
        ),
        Cmd("enable secret [ ( 0 | 5 | 8 | 9 ) ] <word>", 2, action="secret"),
        Cmd("aaa new-model", 2, flavor="both"),
        Cmd("aaa group server radius <word>", 4, enter="config-sg-radius"),
        Cmd("aaa authentication login ( default | <word> ) <line>", 4),
        Cmd("aaa authorization exec ( default | <word> ) <line>", 4),
        Cmd("aaa accounting exec ( default | <word> ) <line>", 4),
        Cmd("aaa session-id ( common | unique )", 2),
        Cmd("clock timezone <word> <word> [ <0-59> ]", 2),
        Cmd("ip domain name <word>", 3),
        Cmd("ip domain-name <word>", 3, canon=_domain_name),
        Cmd("ip domain lookup", 3, flavor="default_on"),
        Cmd("ip domain-lookup", 3, flavor="default_on", canon=_domain_lookup),
        Cmd("ip name-server { <ip> }", 2, flavor="accumulate"),
        Cmd("login block-for <1-65535> attempts <1-65535> within <1-65535>", 2),
        Cmd("login on-failure log", 2),
        Cmd("login on-success log", 2),
        Cmd(
            "username <word> [ privilege <0-15> ] "
            "( secret [ ( 0 | 5 | 8 | 9 ) ] <word> | password [ ( 0 | 7 ) ] <word> )",
            2,
            action="secret",
        ),
        Cmd("redundancy", 1, enter="config-red"),
        Cmd("vrf definition <word>", 3, enter="config-vrf"),
        Cmd("crypto ikev2 proposal <word>", 4, enter="config-ikev2-proposal"),
        Cmd("crypto ikev2 policy <word>", 4, enter="config-ikev2-policy"),
        Cmd("crypto ikev2 keyring <word>", 4, enter="config-ikev2-keyring"),
        Cmd("crypto ikev2 profile <word>", 4, enter="config-ikev2-profile"),
        Cmd(
            "crypto ipsec transform-set <word> "
            "( ( esp-gcm | esp-gmac ) [ ( 128 | 192 | 256 ) ] "
            "| ( esp-aes [ ( 128 | 192 | 256 ) ] | esp-3des | esp-des | esp-null | esp-seal ) "
            "[ ( esp-sha-hmac | esp-sha256-hmac | esp-sha384-hmac | esp-sha512-hmac "
            "| esp-md5-hmac ) ] [ comp-lzs ] "
            "| ( ah-sha-hmac | ah-md5-hmac | ah-sha256-hmac | ah-sha384-hmac | ah-sha512-hmac ) "
            "[ ( esp-aes [ ( 128 | 192 | 256 ) ] | esp-3des | esp-des ) ] "
            "[ ( esp-sha-hmac | esp-sha256-hmac | esp-md5-hmac ) ] )",
            4,
            enter="cfg-crypto-trans",
            no_min=4,
        ),
        Cmd("crypto ipsec profile <word>", 4, enter="ipsec-profile"),
        Cmd("cdp run", 2, flavor="default_on"),
        Cmd("lldp run", 2),
        Cmd(
            "class-map [ ( match-any | match-all ) ] <word>",
            (0, 2),
            enter="config-cmap",
            canon=_class_map,
            no_min=2,
        ),
        Cmd("policy-map <word>", 2, enter="config-pmap"),
        Cmd("interface <if>", 2, action="interface"),
        Cmd("router bgp <1-4294967295>", 3, enter="config-router", action="router-bgp"),
        Cmd("ip forward-protocol nd", 3),
        Cmd("ip http server", 3, flavor="both"),
        Cmd("ip http secure-server", 3, flavor="both"),
        Cmd("ip http authentication local", 3),
        Cmd(
            "ip nat inside source ( list <word> | route-map <word> ) ( interface <if> "
            "| pool <word> ) [ vrf <word> ] [ overload ]",
            None,
            no_min=5,
        ),
        Cmd(
            "ip route <ip> <mask> ( <ip> | <if> [ <ip> ] | dhcp [ <1-255> ] ) [ <1-255> ] "
            "[ tag <1-4294967295> ] [ name <word> ] [ ( permanent | track <1-1000> ) ]",
            (0, 1, 2, 3, 4),
            no_min=4,
            action="ip-route",
        ),
        Cmd(
            "ip route vrf <word> <ip> <mask> ( <ip> | <if> [ <ip> ] | dhcp [ <1-255> ] ) "
            "[ <1-255> ] [ tag <1-4294967295> ] [ name <word> ] [ ( permanent | global "
            "| track <1-1000> ) ]",
            (0, 1, 2, 3, 4, 5, 6),
            no_min=6,
            action="ip-route",
        ),
        Cmd("ip ssh version ( 1 | 2 )", 3),
        Cmd("ip ssh time-out <1-120>", 3),
        Cmd("ip ssh authentication-retries <0-5>", 3),
        Cmd("ip ssh source-interface <if>", 3),
        Cmd("ip ssh dh min size ( 1024 | 2048 | 4096 )", 5),
        Cmd(
            "ip ssh server algorithm ( encryption | mac | kex | hostkey | authentication "
            "| publickey ) { <word> }",
            5,
        ),
        Cmd("ip scp server enable", 4),
        Cmd("ip access-list standard <word>", 4, enter="config-std-nacl"),
        Cmd("ip access-list extended <word>", 4, enter="config-ext-nacl"),
        Cmd(
            "ip prefix-list <word> [ seq <1-4294967294> ] ( permit | deny ) <prefix> "
            "[ ge <1-32> ] [ le <1-32> ]",
            (0, 1, 2, 4),
            no_min=3,
            action="prefix-list",
        ),
        Cmd("ip prefix-list <word> description <line>", 4),
        Cmd(
            "route-map <word> [ ( permit | deny ) ] [ <0-65535> ]",
            (0, 1, 3),
            enter="config-route-map",
            canon=_route_map,
            no_min=2,
        ),
        Cmd(
            "snmp-server group <word> v3 ( auth | noauth | priv ) [ access <word> ]",
            (0, 1, 2, 3, 4),
        ),
        Cmd("snmp-server user <word> <word> v3 <line>", 3, flavor="hidden"),
        Cmd("snmp-server location <line>", 2),
        Cmd("snmp-server contact <line>", 2),
        Cmd("snmp-server trap-source <if>", 2),
        Cmd("snmp-server enable traps [ <line> ]", None, no_min=3),
        Cmd("snmp-server host <ip> <line>", None, no_min=3, action="snmp-host"),
        Cmd("radius server <word>", 3, enter="config-radius-server"),
        Cmd("control-plane", 1, enter="config-cp"),
        Cmd(
            "banner ( login | motd | exec | incoming | slip-ppp | prompt-timeout | config-save ) "
            "<line>",
            2,
            action="banner",
            no_min=2,
        ),
        Cmd(
            "line ( con 0 | aux 0 )",
            None,
            enter="config-line",
            no_syntax_ok=False,
        ),
        # extra vty lines can be removed again (``no line vty 5 15``); 0 4 always exist
        Cmd("line vty <0-15> [ <0-15> ]", None, enter="config-line"),
        Cmd(
            "ntp server [ ip ] ( <ip> | <name> ) [ { ( version <1-4> | key <0-4294967295> "
            "| source <if> | prefer | burst | iburst | maxpoll <4-17> | minpoll <4-17> ) } ]",
            3,
            canon=_ntp_server,
        ),
        Cmd("ntp source <if>", 2),
        Cmd("ntp authenticate", 2),
        Cmd("archive", 1, enter="config-archive"),
    ),
)

_STRICT: tuple[Mode, ...] = (
    GLOBAL,
    IFACE,
    SUBIF,
    IF_RANGE,
    ROUTER,
    ROUTER_AF,
    LINE,
    STD_ACL,
    EXT_ACL,
    IKEV2_PROPOSAL,
    IKEV2_POLICY,
    IKEV2_KEYRING,
    IKEV2_KEYRING_PEER,
    IKEV2_PROFILE,
    TRANSFORM_SET,
    IPSEC_PROFILE,
    RADIUS_SERVER,
    SG_RADIUS,
    CMAP,
    PMAP,
    PMAP_C,
    ROUTE_MAP,
    ARCHIVE,
    ARCHIVE_LOG,
    CONTROL_PLANE,
    REDUNDANCY,
    VRF,
    VRF_AF,
)


def _with_vocabulary(mode: Mode) -> Mode:
    """The strict mode with the generic vocabulary appended (strict commands match first)."""
    extra = vocab.EXTRA.get(mode.name, ())
    if not extra:
        return mode
    return Mode(
        mode.name,
        (*mode.cmds, *extra),
        mode.order,
        mode.exit_words,
        mode.prompt,
        mode.closer,
        mode.initial,
    )


MODES: dict[str, Mode] = {
    m.name: m for m in (*(_with_vocabulary(m) for m in _STRICT), *vocab.MODES)
}


@cache
def grammar(mode: str) -> Grammar[Cmd]:
    """The compiled grammar of ``mode`` (built once per process)."""
    return Grammar([(c.syntax, c) for c in MODES[mode].cmds])
