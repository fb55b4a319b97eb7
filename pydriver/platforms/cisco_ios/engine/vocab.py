"""The generic IOS-XE vocabulary: well-formed lines the twin keeps verbatim, by mode.

pydriver's own commands have strict shapes in :mod:`.commands` (they drive facts, the fabric
and the push). A twin of a production router must also hold everything else a real IOS-XE
running config carries (PKI, licensing, call-home, OSPF, EIGRP, NAT pools, TACACS+, HSRP,
community lists...) without understanding it. Accepting "any line" would let typos through
that IOS refuses, so each mode lists the keyword paths IOS knows there, the arguments they
take where that matters, and which of them open a sub-mode: a line is placed in the tree the
way IOS places it (by the mode its command enters, not by indentation), a keyword IOS does
not know still gets the caret under it.

One command per line (a line starting with ``|`` continues the one before): a syntax
string (see :mod:`.grammar`; ``<n>`` is any unsigned number), then after `` | `` options:
``@N`` the first N words identify the line (a repeat replaces it; default: the whole line, so
repeats add lines), ``@0,1,3`` those word positions, ``>mode`` the sub-mode it enters, ``~``
only its ``no`` form is ever shown, ``=text`` (``_`` for blanks) the default value IOS hides,
``!action`` an interpreter action, ``^N`` how many words a ``no`` form needs (default: all of
them, or the key).
"""

from __future__ import annotations

from pydriver.platforms.cisco_ios.engine.spec import Cmd, Flavor, Mode

_N = "<0-4294967295>"


def table(spec: str) -> tuple[Cmd, ...]:
    """Commands from the line format described in the module docstring."""
    cmds: list[Cmd] = []
    joined: list[str] = []
    for raw_line in spec.strip().splitlines():
        text = raw_line.strip()
        if text.startswith("|") and joined:
            joined[-1] += " " + text
        elif text and not text.startswith("#"):
            joined.append(text)
    for line in joined:
        if line.startswith(("[ <line> ]", "<line>")):
            raise ValueError(f"vocabulary line {line!r} would accept any line")
        syntax, _, opts = line.rpartition(" | ")
        if not syntax or not all(o[0] in "@>~=!^" for o in opts.split()):
            syntax, opts = line, ""  # the last bar was an alternative, not options
        key: int | tuple[int, ...] | None = None
        enter: str | None = None
        flavor: Flavor = "raw"
        default: str | None = None
        action: str | None = None
        no_min: int | None = None
        for opt in opts.split():
            if opt.startswith("@"):
                parts = tuple(int(p) for p in opt[1:].split(","))
                key = parts[0] if len(parts) == 1 else parts
            elif opt.startswith(">"):
                enter = opt[1:]
            elif opt == "~":
                flavor = "default_on"
            elif opt.startswith("="):
                default = opt[1:].replace("_", " ")
            elif opt.startswith("!"):
                action = opt[1:]
            elif opt.startswith("^"):
                no_min = int(opt[1:])
            else:
                raise ValueError(f"vocabulary line {line!r}: unknown option {opt!r}")
        cmds.append(
            Cmd(
                syntax.strip().replace("<n>", _N),
                key,
                enter=enter,
                flavor=flavor,
                default=default,
                action=action,
                no_min=no_min,
            )
        )
    return tuple(cmds)


# ------------------------------------------------------------------ global configuration

GLOBAL = table(
    """
    aaa authentication ( enable | dot1x | ppp | attempts | password-prompt | username-prompt
        | banner | fail-message | suppress | token ) <line>
    aaa authorization ( commands | config-commands | console | network | auth-proxy
        | reverse-access | configuration | credential-download | subscriber-service | ipmobile
        | cache ) [ <line> ]
    aaa accounting ( commands | network | connection | system | update | send | dot1x
        | delay-start | session-duration | nested | identity | resource | auth-proxy
        | suppress ) <line>
    aaa group server tacacs+ <word> | @4 >config-sg-tacacs+
    aaa group server ldap <word> | @4 >config-ldap-sg
    aaa server radius dynamic-author | @4 >config-locsvr-da-radius
    aaa local authentication <line> | @3
    aaa common-criteria policy <word> | @4 >config-cc-policy
    aaa password restriction | @3
    aaa cache <line>
    aaa attribute list <word> | @4 >config-attr-list
    access-list <1-2799> ( permit | deny ) <line> | !numbered-acl ^2
    access-list <1-2799> remark <line> | ^2
    access-list <1-2799> dynamic <line>
    alias ( exec | configure | interface | line | router | policy-map | class-map | route-map
        | ip-vrf | vrf-af ) <word> <line> | @3
    bfd-template ( single-hop | multi-hop ) <word> | @3 >config-bfd
    bfd slow-timers <n> | @2
    bfd map <line>
    boot ( config | bootstrap | host | network | buffersize | nvram ) <line> | @2
    bridge irb | @2
    call-home | @1 >cfg-call-home
    cdp ( timer | holdtime | source-interface ) <line> | @2
    cdp advertise-v2 | ~ @2
    cdp log mismatch duplex | ~ @4
    cdp tlv <line>
    class-map type ( inspect | control | stack | traffic | appnav | waas | nat
        | multicast-flows ) [ ( match-any | match-all | match-none ) ] <word> | >config-cmap
    clock summer-time <line> | @2
    clock calendar-valid | @2
    crypto pki trustpoint <word> | @4 >ca-trustpoint
    crypto pki certificate chain <word> | @5 >ca-certificate-chain
    crypto pki certificate map <word> <n> | @6 >ca-certificate-map
    crypto pki certificate pool | @4 >ca-certificate-pool
    crypto pki server <word> | @4 >cs-server
    crypto pki profile enrollment <word> | @5 >ca-profile-enroll
    crypto pki token <line>
    crypto pki trustpool policy | @4 >ca-trustpool
    crypto pki trustpool <line>
    crypto key pubkey-chain rsa | @4 >config-pubkey-chain
    crypto key ( generate | zeroize | import | decrypt | encrypt | export ) <line> | !noop
    crypto isakmp policy <n> | @4 >config-isakmp
    crypto isakmp key <line>
    crypto isakmp ( keepalive | invalid-spi-recovery | identity | enable | aggressive-mode
        | fragmentation | diagnose | xauth ) [ <line> ] | @3
    crypto isakmp nat keepalive <n> | @4
    crypto isakmp profile <word> | @4 >conf-isa-prof
    crypto isakmp client configuration group <word> | @6 >crypto-isakmp-group
    crypto keyring <word> [ vrf <word> ] | @3 >conf-keyring
    crypto ipsec security-association ( replay | lifetime | idle-time | dummy | ecn ) <line> | @5
    crypto ipsec df-bit ( clear | set | copy ) | @3
    crypto ipsec fragmentation ( before-encryption | after-encryption ) | @3
    crypto ipsec nat-transparency <line> | @3
    crypto ipsec optional [ <line> ]
    crypto ipsec client ezvpn <word> | @5 >crypto-ezvpn
    crypto map <word> <n> ( ipsec-isakmp | ipsec-manual | gdoi ) [ <line> ] | @4 >crypto-map
    crypto map <word> local-address <if> | @3
    crypto map <word> redundancy <line> | @3
    crypto dynamic-map <word> <n> | @4 >crypto-map
    crypto ikev2 ( dpd | cookie-challenge | limit | fragmentation | diagnose | http-url | window
        | certificate-cache | redirect | reconnect ) [ <line> ] | @3
    crypto ikev2 nat keepalive <n> | @4
    crypto ikev2 authorization policy <word> | @5 >config-ikev2-author-policy
    crypto ikev2 client flexvpn <word> | @5 >config-ikev2-flexvpn
    crypto engine <line>
    crypto logging <line>
    crypto gdoi group <word> | @4 >config-gkm-group
    crypto call admission limit <line>
    device-tracking <line>
    diagnostic bootup level ( minimal | complete | bypass ) | @3
    diagnostic <line>
    dot1x ( system-auth-control | critical | guest-vlan | logging | test | supplicant
        | auth-fail | credentials ) [ <line> ]
    enable password [ ( 0 | 7 ) ] <word> | @2 !enable-password
    enable ( algorithm-type | view | common-criteria-policy ) <line> | @2
    errdisable ( recovery | detect ) <line>
    event manager applet <word> [ <line> ] | @4 >config-applet
    event manager ( environment | directory | session | history | scheduler | policy
        | detector ) <line> | @4
    file verify auto | @3
    flow ( record | exporter | monitor | sampler ) [ type <word> ] <word> | >config-flow
    hw-module <line>
    interface range <line> | !interface-range
    ip access-list ( resequence | logging | log-update | role-based | match ) <line>
    ip admission <line>
    ip arp <line>
    ip as-path access-list <1-500> ( permit | deny ) <line>
    ip bgp-community new-format | @2
    ip bootp server | ~ @3
    ip cef [ ( distributed | load-sharing <line> | optimize <line> | traffic-statistics <line>
        | accounting <line> ) ]
    ip classless | ~ @2
    ip community-list ( standard | expanded ) <word> ( permit | deny ) <line>
    ip community-list <1-500> ( permit | deny ) <line>
    ip device tracking [ <line> ]
    ip default-gateway <ip> | @2
    ip default-network <ip>
    ip dhcp excluded-address [ vrf <word> ] <ip> [ <ip> ]
    ip dhcp pool <word> | @4 >dhcp-config
    ip dhcp class <word> | @4 >config-dhcp-class
    ip dhcp ( snooping | relay | use | conflict | database | ping | bootp | compatibility
        | smart-relay | limit | subscriber-id | route | update | global-options | sip ) [ <line> ]
    ip dns ( server | primary | view | view-list | spoofing | name-list ) [ <line> ]
    ip domain ( list | timeout | retry | round-robin | multiple-lookup ) [ <line> ]
    ip domain-list <word>
    ip domain name vrf <word> <word> | @5
    ip domain lookup source-interface <if> | @4
    ip explicit-path <line> | >config-ip-expl-path
    ip extcommunity-list <line>
    ip finger | ~ @2
    ip flow-export <line>
    ip flow-cache <line> | @3
    ip flow-top-talkers | >config-flow-top-talkers
    ip forward-protocol ( udp | spanning-tree | turbo-flood | any-local-broadcast ) [ <line> ]
    ip ftp <line> | @3
    ip gratuitous-arps [ <line> ] | ~ @2
    ip host [ vrf <word> ] <word> <line>
    ip http ( access-class | max-connections | timeout-policy | client | path | port
        | secure-port | secure-ciphersuite | secure-trustpoint | secure-active-session-modules
        | active-session-modules | session-module-list | secure-server-ciphersuite | tls-version
        | banner | help-path | digest ) <line>
    ip http authentication ( aaa | enable ) [ <line> ] | @3
    ip icmp ( rate-limit | redirect ) <line> | @4
    ip igmp <line>
    ip inspect <line>
    ip ips <line>
    ip local ( pool | policy ) <line> | @4
    ip mfib <line>
    ip msdp <line>
    ip multicast ( route-limit | multipath | rpf | mrinfo-filter | boundary ) [ <line> ]
    ip multicast-routing [ ( distributed | vrf <word> [ distributed ] ) ]
    ip name-server vrf <word> { <ip> }
    ip nat ( pool | translation | log | service | settings | portmap | inside source static
        | outside source static ) <line>
    ip options ( drop | ignore ) | @2
    ip pim <line>
    ip radius source-interface <if> [ vrf <word> ] | @3
    ip rcmd <line>
    ip routing [ protocol purge interface ] | ~ @2
    ip rsvp <line>
    ip sla <1-2147483647> | @3 >config-ip-sla
    ip sla ( schedule | reaction-configuration | group | responder | enable | logging | restart
        | auto | reaction-trigger | server | key-chain | low-memory ) [ <line> ]
    ip source-route | ~ @2
    ip ssh ( logging | rsa | bulk-mode | maxstartups | client | break-string | port
        | stricthostkeycheck | dscp | precedence | window-size | escape-character
        | pubkey-chain-server ) [ <line> ] | @3
    ip ssh pubkey-chain | @3 >conf-ssh-pubkey
    ip ssh server ( certificate | authenticate ) <line>
    ip subnet-zero | ~ @2
    ip tacacs source-interface <if> [ vrf <word> ] | @3
    ip tcp ( synwait-time | path-mtu-discovery | mss | window-size | timestamp | selective-ack
        | ecn | keepalive | queuemax | chunk-size | intercept | async-mobility ) [ <line> ] | @3
    ip telnet <line> | @3
    ip tftp <line> | @3
    ip vrf <word> | @3 >config-ip-vrf
    ip wccp <line>
    ip virtual-reassembly-out <line>
    ipv6 unicast-routing | @2
    ipv6 cef [ <line> ]
    ipv6 multicast-routing [ <line> ]
    ipv6 route <line>
    ipv6 access-list <word> | @3 >config-ipv6-acl
    ipv6 prefix-list <line>
    ipv6 router ( ospf | eigrp | rip ) <word> | @4 >config-router-ospf
    ipv6 dhcp pool <word> | @4 >config-dhcpv6
    ipv6 dhcp <line>
    ipv6 ( nd | general-prefix | local | host | neighbor | icmp | pim | mld | source-route
        | hop-limit | flow | traffic-filter | ospf | snooping ) <line>
    ipv6 ( source-guard | destination-guard | dhcp-ldra ) <line>
    ipv6 nd raguard policy <word> | >config-ra-guard
    key chain <word> | @3 >config-keychain
    key config-key <line>
    license ( udi | boot | smart | accept | feature | solution | call-home | reservation
        | right-to-use | agent | modify ) <line>
    lldp ( timer | holdtime | reinit | tlv-select | management-address | receive
        | transmit ) [ <line> ]
    logging ( userinfo | origin-id | facility | rate-limit | queue-limit | persistent
        | discriminator | alarm | monitor | history | event | snmp-trap | file | exception
        | count | delimiter | reload | message-counter | filter | btrace | cns-events | hostname
        | dmvpn | server-arp | esm | ip | policy-firewall | sequence-numbers | server ) [ <line> ]
    logging <ip> | @2
    login ( delay | quiet-mode | local ) <line> | @2
    mac address-table <line>
    mac access-list extended <word> | @4 >config-ext-macl
    memory ( free low-watermark ( processor | io ) <n> | reserve <line> | lite | sanity <line>
        | chunk <line> ) | @4
    mls <line>
    monitor ( session | capture | event-trace ) <line>
    mpls ( ldp | label | traffic-eng | ip | mtu | oam ) [ <line> ]
    multilink bundle-name <word> | @2
    netconf ( ssh | max-sessions | lock-time | legacy | max-message | beep ) [ <line> ]
    netconf-yang [ <line> ]
    restconf [ <line> ]
    gnxi [ <line> ]
    ntp ( authentication-key | trusted-key | peer | master | update-calendar | logging
        | access-group | clock-period | max-associations | broadcastdelay | allow | orphan
        | panic | refclock ) [ <line> ]
    ntp server vrf <word> <line>
    object-group ( network | service | security | fqdn | v6-network | v6-service ) <word>
        | @3 >config-object-group
    parameter-map type <word> <word> | @4 >config-profile
    parameter-map type <word> <word> <word> | @5 >config-profile
    platform ( console | hardware | ipsec | shell | trace | punt-policer | bfd | resource | ha
        | sslvpn | cpl | tcam | qos | nat | multicast | feature | vnic | mpls | vm | sdwan
        | smartlicense | acl | authentication | ip | memory | install ) [ <line> ]
    platform qfp ( performance | packet-trace | utilization <line> ) [ <line> ]
    policy-map type ( inspect | control | service | performance-monitor | queueing | nat
        | appnav | waas | lan-queuing | packet-service ) [ <word> ] <word> | >config-pmap
    port-channel ( load-balance | min-links | auto ) [ <line> ]
    power ( redundancy-mode | supply | inline ) <line>
    privilege <word> <line>
    process cpu <line>
    pseudowire-class <word> | >config-pw-class
    radius-server ( host | attribute | dead-criteria | deadtime | retransmit | timeout | key
        | vsa | source-ports | load-balance | directed-request | domain-stripping | unique-ident
        | challenge-noecho ) [ <line> ]
    radius dynamic-author | >config-locsvr-da-radius
    router ospf <1-65535> [ vrf <word> ] | >config-router-ospf
    router ospfv3 <1-65535> [ vrf <word> ] | >config-router-ospf
    router eigrp <word> | >config-router-eigrp
    router rip | >config-router-rip
    router isis [ <word> ] | >config-router-isis
    router lisp [ <word> ] | >config-router-lisp
    router odr | >config-router-rip
    scheduler <line>
    service ( nagle | sequence-numbers | compress-config | unsupported-transceiver | internal
        | dhcp | finger | udp-small-servers | tcp-small-servers | slave-log | prompt
        | linenumber | hide-telnet-addresses | exec-wait | private-config-encryption
        | dhcp-relay | alignment | counters | telnet-zeroidle | last-reload-reason
        | disable-ip-fast-frag | import | call-home-sn | remote | ts | cts ) [ <line> ] | @2
    snmp-server community <word> [ <line> ] | @3
    snmp-server ( ifindex | source-interface | view | engineID | trap | system-shutdown
        | chassis-id | queue-length | packetsize | manager | file-transfer | tftp-server-list
        | trap-timeout | inform | context | cache | drop | ip | enable informs | group ) <line>
    snmp ( ifmib | mib | trap ) <line>
    spanning-tree ( mode | extend | portfast | vlan | loopguard | logging | backbonefast
        | uplinkfast | mst | pathcost | etherchannel | bridge | transmit ) [ <line> ]
    subscriber ( templating | aaa | service ) [ <line> ]
    system ( mtu | jumbomtu | ignore ) <line>
    tacacs server <word> | @3 >config-server-tacacs
    tacacs-server <line>
    telemetry ietf subscription <n> | @4 >config-mdt-subs
    template <word> | @2 >config-template
    track <n> ( interface <if> ( line-protocol | ip routing ) | ip sla <n> [ ( reachability
        | state ) ] | ip route <line> | list <line> | stub-object | resolution <line> )
        | @2 >config-track
    track timer <line>
    transceiver type all | >config-xcvr-type
    udld <line>
    username <word> privilege <0-15> nopassword | @2
    username <word> ( nopassword | autocommand | view | one-time | common-criteria-policy
        | user-maxlinks | noescape | nohangup | callback-dialstring | access-class ) <line> | @2
    virtual-service [ <word> ] | >config-virt-serv
    vlan internal allocation policy ( ascending | descending ) | @4
    vlan dot1q tag native | @4
    vlan ( <1-4094> | <word> ) | >config-vlan
    vrf definition <word> | @3 >config-vrf
    vtp <line>
    wsma <line>
    zone security <word> | @3 >config-sec-zone
    zone-pair security <word> [ source <word> destination <word> ] | @3 >config-sec-zone-pair
    """
)

# ------------------------------------------------------------------ interfaces

IFACE = table(
    """
    ip address dhcp [ <line> ] | @2
    ip address negotiated [ previous ] | @2
    ip unnumbered <if> | @2
    ip ospf ( cost | priority | hello-interval | dead-interval | retransmit-interval
        | transmit-delay | network | mtu-ignore | authentication | authentication-key
        | message-digest-key | bfd | demand-circuit | flood-reduction | lls | resync-timeout
        | shutdown | ttl-security | prefix-suppression | database-filter
        | fast-reroute ) [ <line> ] | @3
    ip ospf <1-65535> area <word> [ <line> ] | @2
    ip helper-address <line>
    ip virtual-reassembly [ <line> ]
    ip virtual-reassembly-out [ <line> ]
    ip nhrp ( map | network-id | nhs | authentication | holdtime | redirect | shortcut
        | registration | server-only | max-send | group | interest | responder | record | use
        | cache | trigger-svc | event-publisher | attribute ) [ <line> ]
    ip pim ( sparse-mode | dense-mode | sparse-dense-mode | passive | bsr-border | dr-priority
        | query-interval | nbma-mode | neighbor-filter | join-prune-interval ) [ <line> ]
    ip igmp ( version | join-group | static-group | query-interval | access-group | helper-address
        | snooping | limit | last-member-query-interval | immediate-leave | proxy-service
        | unidirectional-link | mroute-proxy | query-max-response-time | querier-timeout
        | explicit-tracking ) [ <line> ]
    ip flow ( ingress | egress ) | @3
    ip policy route-map <word> | @3
    ip dhcp ( client | relay | snooping | smart-relay | server ) <line>
    ip vrf forwarding <word> | @3
    ip vrf receive <word>
    ip directed-broadcast [ <line> ] | @2
    ip route-cache [ <line> ]
    ip mroute-cache [ <line> ]
    ip split-horizon [ <line> ]
    ip summary-address <line>
    ip authentication <line>
    ip hello-interval <line>
    ip hold-time <line>
    ip bandwidth-percent <line>
    ip router isis [ <word> ] | @3
    ip rip <line>
    ip wccp ( <word> redirect ( in | out ) | redirect exclude in )
    ip local-proxy-arp | @2
    ip load-sharing ( per-packet | per-destination ) | @2
    ip mask-reply | @2
    ip information-reply | @2
    ip accounting ( output-packets | access-violations | precedence | mac-address ) [ <line> ]
    ip arp ( inspection ( trust | limit ) | poll | gratuitous ) [ <line> ]
    ip rsvp ( bandwidth | signalling | authentication ) [ <line> ]
    ip nbar protocol-discovery [ <line> ]
    ip admission <word> | @2
    ip inspect <word> ( in | out )
    ip portbundle <line>
    ip rtp <line>
    ip irdp <line>
    ip multicast ( boundary | ttl-threshold | rate-limit | helper-map | use-functional ) <line>
    ip nat enable | @3
    ip verify unicast ( reverse-path | notification ) [ <line> ]
    ip eigrp <line>
    ip next-hop-self <line>
    ip dns view-group <word>
    ipv6 ( address | enable | mtu | traffic-filter | unnumbered | verify | flow | policy | eigrp
        | rip | virtual-reassembly | tcp | redirects | unreachables | nhrp | mfib | source-guard
        | destination-guard | snooping | link-local ) [ <line> ]
    ipv6 nd ( ra | prefix | managed-config-flag | other-config-flag | ns-interval | reachable-time
        | dad | raguard | router-preference | autoconfig | cache | nud ) [ <line> ]
    ipv6 dhcp ( server | client | relay | guard ) <line>
    ipv6 ospf ( <1-65535> area <word> | cost | network | priority | hello-interval | dead-interval
        | authentication | encryption | bfd | mtu-ignore ) [ <line> ]
    ipv6 pim ( sparse-mode | bsr | dr-priority | hello-interval | join-prune-interval
        | passive ) [ <line> ]
    ipv6 mld ( join-group | static-group | access-group | query-interval | version ) [ <line> ]
    ipv6 router isis [ <word> ]
    standby ( version | delay | mac-refresh | use-bia | redirect | follow | bfd ) [ <line> ] | @2
    standby <0-4095> ( ip | ipv6 ) <line>
    standby <0-4095> ( priority | preempt | timers | authentication | track | name | mac-address
        | follow ) [ <line> ] | @3
    vrrp <0-255> address-family ( ipv4 | ipv6 ) | @4 >config-if-vrrp
    vrrp <0-255> ( ip | ipv6 ) <line>
    vrrp <0-255> ( priority | preempt | timers | authentication | description | track | shutdown
        | name ) [ <line> ] | @3
    glbp <line>
    bfd interval <n> min_rx <n> multiplier <n> | @1
    bfd ( template | echo ) [ <line> ] | @2
    mop ( enabled | sysid ) | ~ @2
    mop device-type <word> | @2
    switchport [ ( mode | access | trunk | nonegotiate | port-security | voice | host
        | protected | block | priority | private-vlan | autostate ) <line> ]
    spanning-tree ( portfast | bpduguard | bpdufilter | guard | cost | port-priority | link-type
        | vlan ) [ <line> ]
    channel-group <n> [ <line> ] | @1
    channel-protocol <word> | @1
    lacp ( port-priority | rate | max-bundle | min-bundle | fast-switchover ) <line>
    storm-control <line>
    power inline <line>
    authentication ( port-control | host-mode | order | priority | periodic | timer | open | event
        | violation | fallback | control-direction ) [ <line> ]
    dot1x ( pae | timeout | max-reauth-req | max-req | port-control | host-mode | reauthentication
        | authenticator | supplicant | credentials ) [ <line> ]
    access-session ( port-control | host-mode | closed | control-direction | inherit ) <line>
    mab [ <line> ]
    snmp trap <line>
    logging event <line>
    carrier-delay <line> | @1
    hold-queue <n> ( in | out ) | @0,2
    media-type <word> | @1
    zone-member security <word> | @2
    crypto map <word> [ redundancy ] | @2
    crypto ipsec df-bit <word> | @3
    mpls ( ip | mtu <line> | label protection | traffic-eng tunnels | bgp forwarding
        | ldp ( igp | discovery ) [ <line> ] )
    isis <line>
    ppp <line>
    pppoe <line>
    pppoe-client <line>
    dialer <line>
    dialer-group <n> | @1
    encapsulation ( ppp | hdlc | frame-relay | isl | slip | atm-dxi ) [ <line> ] | @1
    encapsulation dot1Q <1-4094> second-dot1q <line> | @1
    tunnel ( path-mtu-discovery | vrf | bandwidth | ttl | tos | checksum | route-via | udlr
        | sequence-datagrams ) [ <line> ] | @2
    lldp ( transmit | receive | tlv-select | med-tlv-select ) [ <line> ] | ~ @2
    arp ( timeout | arpa | snap | probe ) [ <line> ] | @1
    qos trust <line>
    priority-queue <line>
    auto qos <line>
    trust <line>
    mls qos ( trust | cos | vlan-based ) [ <line> ]
    macsec [ <line> ]
    ethernet ( oam | loopback | dot1ad | uni ) [ <line> ]
    xconnect <line>
    service instance <n> ethernet [ <word> ] | @3 >config-if-srv
    service-policy type <word> ( input | output ) <word> | @0,1,3
    nat66 <line>
    nhrp <line>
    no-autostate
    shape <line>
    vlan-range <line>
    clock ( rate | source ) <line> | @2
    fair-queue [ <line> ] | @1
    random-detect [ <line> ]
    rate-limit <line>
    transmit-interface <if>
    backup ( interface | delay | load ) <line> | @2
    cdp ( tlv ) <line>
    ntp ( disable | broadcast | multicast ) [ <line> ]
    flow-sampler <line>
    ip flow monitor <word> ( input | output ) | @0,1,4
    load-balancing <line>
    udld port [ <line> ]
    """
)

# ------------------------------------------------------------------ BGP

_NEIGHBOR_WORDS = (
    "( fall-over | local-as | transport | ttl-security | disable-connected-check | ha-mode "
    "| advertisement-interval | version | inherit | remove-private-as | route-reflector-client "
    "| weight | unsuppress-map | filter-list | distribute-list | send-label | capability "
    "| additional-paths | advertise | dmzlink-bw | translate-update | cluster-id "
    "| log-neighbor-changes "
    "| path-attribute | aigp | accept-route-legacy-rt | slow-peer | announce | bmp-activate "
    "| default-originate | allowas-in | as-override | soft-reconfiguration | next-hop-unchanged "
    "| route-map | prefix-list | maximum-prefix | send-community | next-hop-self | activate "
    "| password | timers | update-source | ebgp-multihop | description | shutdown | remote-as "
    "| orf | peer-group | route-server-client | suppress-signaling-protocol | soo ) [ <line> ]"
)

BGP = table(
    f"""
    neighbor <name> peer-group
    neighbor <name> {_NEIGHBOR_WORDS} | @0,1,2
    neighbor <ip> peer-group <word> | @0,1,2
    neighbor <ip> ( fall-over | local-as | transport | ttl-security | disable-connected-check
        | ha-mode | advertisement-interval | version | inherit | remove-private-as
        | route-reflector-client | weight | unsuppress-map | filter-list | distribute-list
        | send-label | capability | additional-paths | advertise | dmzlink-bw | translate-update
        | cluster-id | log-neighbor-changes | path-attribute | aigp | slow-peer | announce
        | bmp-activate | next-hop-unchanged | orf | route-server-client | soo ) [ <line> ] | @0,1,2
    neighbor <ip> password ( 6 | 7 ) <word> | @0,1,2
    bgp ( cluster-id | confederation | deterministic-med | always-compare-med | dampening
        | listen | nopeerup-delay | update-delay | scan-time | redistribute-internal
        | maxas-limit | asnotation | graceful-shutdown | additional-paths | enforce-first-as
        | client-to-client | suppress-inactive | nexthop | recursion | consistency-checker
        | transport | refresh | soft-reconfig-backup | inject-map | advertise-best-external
        | aggregate-timer | fast-external-fallover | default | update-group | sso | slow-peer
        | route-map | dmzlink-bw | regexp | upgrade-cli | inject | ha-mode ) [ <line> ] | @2
    bgp bestpath ( compare-routerid | med | cost-community | igp-metric | aigp | prefix-validate
        | as-path ignore ) [ <line> ] | @3
    address-family ipv4 ( multicast | mdt | flowspec | mvpn | rtfilter | tunnel
        | labeled-unicast | vrf <word> ) | >config-router-af
    address-family ipv4 unicast vrf <word> | >config-router-af
    address-family ipv6 [ ( unicast | multicast | flowspec | mvpn | vrf <word> ) ]
        | >config-router-af
    address-family ( vpnv4 | vpnv6 ) [ ( unicast | multicast | flowspec ) ] | >config-router-af
    address-family ( l2vpn | nsap | rtfilter | link-state ) [ <line> ] | >config-router-af
    redistribute ( ospf | ospfv3 | eigrp | rip | isis | bgp | lisp | mobile | odr | application
        | static | connected ) <line> | @2
    default-information originate | @2
    default-metric <n> | @1
    distance <line>
    table-map <line> | @1
    auto-summary | @1
    synchronization | @1
    template ( peer-session | peer-policy ) <word> | >config-router-stmp
    timers bgp <line> | @2
    """
)

BGP_AF = table(
    f"""
    neighbor <name> {_NEIGHBOR_WORDS} | @0,1,2
    neighbor <ip> ( route-reflector-client | weight | filter-list | distribute-list
        | unsuppress-map | send-label | additional-paths | advertise | remove-private-as
        | next-hop-unchanged | orf | route-server-client | aigp | soo | maximum-prefix
        | dmzlink-bw | accept-route-legacy-rt | slow-peer | announce | inherit
        | peer-group ) [ <line> ] | @0,1,2
    redistribute ( ospf | ospfv3 | eigrp | rip | isis | bgp | lisp | mobile | odr
        | application ) [ <line> ] | @2
    redistribute ( connected | static ) ( metric | route-map | subnets ) <line> | @2
    default-information originate | @2
    default-metric <n> | @1
    distance <line>
    table-map <line> | @1
    auto-summary | @1
    synchronization | @1
    import path <line>
    maximum-paths ( ibgp | eibgp ) <line> | @2
    maximum-secondary-paths <line>
    bgp <line>
    network <ip> mask <mask> backdoor
    aggregate-address <ip> <mask> <line> | @3
    advertise <line>
    """
)

# ------------------------------------------------------------------ other routing

OSPF = table(
    """
    router-id <ip> | @1
    network <ip> <wild> area <word>
    passive-interface ( default | <if> ) | @0,1
    log-adjacency-changes [ detail ] | @1 =log-adjacency-changes
    redistribute ( connected | static | ospf | ospfv3 | eigrp | rip | isis | bgp | lisp | odr
        | maximum-prefix ) [ <line> ] | @2
    default-information originate [ <line> ] | @2
    area <word> <line>
    auto-cost reference-bandwidth <n> | @2
    timers <line> | @2
    max-metric <line> | @1
    distance <line>
    maximum-paths <n> | @1
    summary-address <line>
    distribute-list <line>
    bfd all-interfaces | @2
    ispf | @1
    nsf [ <line> ] | @1
    nsr | @1
    capability <line>
    compatible <line>
    default-metric <n> | @1
    neighbor <ip> [ <line> ] | @2
    mpls ( ldp ( sync | autoconfig ) | traffic-eng ( router-id | area
        | multicast-intact ) ) [ <line> ]
    prefix-suppression | @1
    fast-reroute <line>
    graceful-restart [ <line> ]
    shutdown | @1
    ignore <line>
    discard-route <line>
    domain-id <line>
    domain-tag <n> | @1
    queue-depth <line>
    event-log [ <line> ] | @1
    address-family ( ipv4 | ipv6 ) [ <line> ] | >config-router-ospf-af
    """
)

OSPF_AF = table(
    """
    redistribute <line> | @2
    passive-interface <line>
    default-information originate [ <line> ] | @2
    maximum-paths <n> | @1
    area <word> <line>
    router-id <ip> | @1
    summary-prefix <line>
    distance <line>
    """
)

EIGRP = table(
    """
    network <ip> [ <wild> ]
    eigrp ( router-id | stub | log-neighbor-changes | log-neighbor-warnings ) [ <line> ] | @2
    auto-summary | @1
    redistribute <line> | @2
    passive-interface <line>
    variance <n> | @1
    metric <line>
    distance <line>
    default-metric <line> | @1
    maximum-paths <n> | @1
    timers <line>
    distribute-list <line>
    offset-list <line>
    neighbor <ip> <line>
    summary-metric <line>
    address-family ( ipv4 | ipv6 ) [ ( unicast
        | multicast ) ] [ vrf <word> ] autonomous-system <n> | >config-router-eigrp-af
    address-family ( ipv4 | ipv6 ) vrf <word> | >config-router-eigrp-af
    service-family <line> | >config-router-eigrp-sf
    """
)

EIGRP_AF = table(
    """
    network <ip> [ <wild> ]
    eigrp ( router-id | stub | log-neighbor-changes | log-neighbor-warnings ) [ <line> ] | @2
    af-interface ( default | <if> ) | >config-router-eigrp-af-if
    topology ( base | <word> ) | >config-router-eigrp-af-topo
    sf-interface ( default | <if> ) | >config-router-eigrp-sf-if
    sf-topology ( base | <word> ) | >config-router-eigrp-sf-topo
    metric <line>
    neighbor <ip> <line>
    nsf | @1
    timers <line>
    autonomous-system <n> | @1
    redistribute <line> | @2
    passive-interface <line>
    default-metric <line> | @1
    """
)

EIGRP_SF = table(
    """
    sf-interface ( default | <if> ) | >config-router-eigrp-sf-if
    topology ( base | <word> ) | >config-router-eigrp-sf-topo
    metric <line>
    neighbor <ip> <line>
    timers <line>
    """
)

EIGRP_AF_IF = table(
    """
    passive-interface | @1
    hello-interval <n> | @1
    hold-time <n> | @1
    authentication <line> | @2
    summary-address <line>
    split-horizon | ~ @1
    next-hop-self | ~ @1
    bandwidth-percent <n> | @1
    bfd | @1
    shutdown | @1
    stub-site <line>
    dampening-change <line>
    """
)

EIGRP_AF_TOPO = table(
    """
    redistribute <line> | @2
    variance <n> | @1
    maximum-paths <n> | @1
    distance <line>
    default-metric <line> | @1
    distribute-list <line>
    auto-summary | @1
    summary-metric <line>
    offset-list <line>
    timers <line>
    traffic-share <line> | @1
    """
)

RIP = table(
    """
    version ( 1 | 2 ) | @1
    network <ip>
    auto-summary | @1
    redistribute <line> | @2
    passive-interface <line>
    default-information originate [ <line> ] | @2
    default-metric <n> | @1
    distance <line>
    timers <line> | @2
    neighbor <ip>
    distribute-list <line>
    offset-list <line>
    maximum-paths <n> | @1
    address-family ipv4 vrf <word> | >config-router-af
    """
)

ISIS = table(
    """
    net <word>
    is-type <word> | @1
    metric-style <line> | @1
    log-adjacency-changes [ <line> ] | @1
    passive-interface <line>
    redistribute <line> | @2
    default-information originate [ <line> ] | @2
    summary-address <line>
    authentication <line>
    area-password <line> | @1
    domain-password <line> | @1
    max-lsp-lifetime <n> | @1
    lsp-refresh-interval <n> | @1
    spf-interval <line> | @1
    prc-interval <line> | @1
    lsp-gen-interval <line> | @1
    nsf <line>
    bfd all-interfaces | @2
    segment-routing mpls | @2
    mpls ( ldp ( sync | autoconfig ) | traffic-eng ( router-id | level-1 | level-2 ) ) [ <line> ]
    set-overload-bit [ <line> ] | @1
    distance <line>
    maximum-paths <n> | @1
    fast-reroute <line>
    microloop <line>
    address-family ipv6 [ unicast ] | >config-router-ospf-af
    """
)

# ------------------------------------------------------------------ security and services

TRUSTPOINT = table(
    """
    enrollment <line>
    subject-name <line> | @1
    revocation-check <line> | @1
    rsakeypair <line> | @1
    eckeypair <line> | @1
    hash <word> | @1
    fqdn <line> | @1
    subject-alt-name <line> | @1
    serial-number [ none ] | @1
    ip-address <line> | @1
    usage <line> | @1
    auto-enroll [ <line> ] | @1
    password <line> | @1
    chain-validation <line> | @1
    source interface <if> | @2
    vrf <word> | @1
    fingerprint <word> | @1
    crl <line>
    match certificate <line>
    eku <line> | @1
    storage <line> | @1
    auto-trigger | @1
    ocsp <line>
    regenerate | @1
    """
)

CERT_CHAIN = table(
    """
    certificate [ ( self-signed | ca | rollover | ra-general | ra-encrypt | ra-sign ) ] <word>
        | !certificate
    """
)

CALL_HOME = table(
    """
    contact-email-addr <word> | @1
    profile <word> | @2 >cfg-call-home-profile
    mail-server <line>
    sender <line>
    site-id <line> | @1
    customer-id <line> | @1
    contract-id <line> | @1
    phone-number <line> | @1
    street-address <line> | @1
    http-proxy <line> | @1
    http resolve-hostname <line> | @2
    vrf <word> | @1
    source-interface <if> | @1
    source-ip-address <ip> | @1
    alert-group <line>
    alert-group-config <line> | >cfg-call-home-alert
    rate-limit <n> | @1
    syslog-throttling | @1
    data-privacy <line>
    aaa-authorization [ <line> ]
    copy profile <line>
    """
)

CALL_HOME_PROFILE = table(
    """
    active | @1
    destination transport-method ( http | email ) | @0,1,2
    destination address ( http | email ) <line> | @0,1,2
    destination ( message-size-limit | preferred-msg-format ) <line> | @2
    reporting <line> | @1
    subscribe-to-alert-group <line>
    anonymous-reporting-only | @1
    """
)

ISAKMP_POLICY = table(
    """
    encryption <line> | @1
    encr <line> | @1
    hash ( sha | md5 | sha256 | sha384 | sha512 ) | @1
    authentication ( pre-share | rsa-sig | rsa-encr | ecdsa-sig ) | @1
    group <n> | @1
    lifetime <n> | @1
    """
)

KEYRING = table(
    """
    local-address ( <ip> | <if> ) | @1
    pre-shared-key ( address <ip> [ <mask> ] | hostname <word> ) key <line> | @0,1,2
    rsa-pubkey <line> | >config-pubkey
    description <line> | @1
    """
)

ISAKMP_PROFILE = table(
    """
    keyring <word>
    match identity ( address <ip> [ <mask> ] [ <word> ] | host <word> | host domain <word>
        | user <line> | group <word> )
    local-address ( <ip> | <if> ) | @1
    keepalive <line> | @1
    vrf <word> | @1
    initiate mode aggressive | @2
    self-identity <line> | @1
    description <line> | @1
    isakmp authorization list <word> | @3
    client <line>
    ca trust-point <word>
    virtual-template <n> | @1
    accounting <word> | @1
    qos-group <n> | @1
    """
)

CRYPTO_MAP = table(
    """
    set peer ( <ip> | <word> ) [ default ]
    set transform-set { <word> } | @2
    set pfs [ <word> ] | @2
    match address <word> | @2
    set security-association <line> | @3
    set isakmp-profile <word> | @2
    set ikev2-profile <word> | @2
    set reverse-route <line> | @2
    description <line> | @1
    reverse-route [ <line> ] | @1
    qos pre-classify | @2
    set nat demux | @3
    """
)

TACACS_GROUP = table(
    """
    server name <word>
    server <ip>
    server-private <ip> [ <line> ] | @2
    ip tacacs source-interface <if> | @3
    ip vrf forwarding <word> | @3
    timeout <n> | @1
    """
)

TACACS_SERVER = table(
    """
    address ( ipv4 | ipv6 ) <word> | @2
    key [ ( 0 | 6 | 7 ) ] <word> | @1 !type7
    timeout <n> | @1
    port <n> | @1
    single-connection | @1
    send-nat-address | @1
    """
)

RADIUS_GROUP_EXTRA = table(
    """
    server-private <ip> [ <line> ] | @2
    ip vrf forwarding <word> | @3
    server <ip> <line> | @2
    load-balance <line> | @1
    """
)

RADIUS_SERVER_EXTRA = table(
    """
    automate-tester <line> | @1
    pac key <line> | @2
    address ipv6 <word> <line> | @1
    """
)

IP_SLA = table(
    """
    icmp-echo ( <ip> | <word> ) [ <line> ] | @1 >config-ip-sla-op
    udp-jitter <line> | @1 >config-ip-sla-op
    udp-echo <line> | @1 >config-ip-sla-op
    tcp-connect <line> | @1 >config-ip-sla-op
    http <line> | @1 >config-ip-sla-op
    dns <line> | @1 >config-ip-sla-op
    path-echo <line> | @1 >config-ip-sla-op
    path-jitter <line> | @1 >config-ip-sla-op
    ethernet <line> | @1 >config-ip-sla-op
    """
)

IP_SLA_OP = table(
    """
    frequency <n> | @1
    timeout <n> | @1
    threshold <n> | @1
    tag <line> | @1
    vrf <word> | @1
    request-data-size <n> | @1
    tos <n> | @1
    owner <line> | @1
    history <line>
    verify-data | @1
    data-pattern <word> | @1
    source-ip <ip> | @1
    source-interface <if> | @1
    """
)

TRACK = table(
    """
    delay <line> | @1
    default-state <word> | @1
    object <n> [ <line> ]
    """
)

DHCP_POOL = table(
    """
    network <ip> [ ( <mask> | <word> ) ] [ secondary ] | @1
    default-router { <ip> } | @1
    dns-server { ( <ip> | <word> ) } | @1
    domain-name <word> | @1
    lease <line> | @1
    option <n> <line> | @2
    netbios-name-server <line> | @1
    netbios-node-type <word> | @1
    host <ip> [ <line> ] | @1
    client-identifier <word> | @1
    hardware-address <word> | @1
    client-name <word> | @1
    import all | @2
    update <line>
    vrf <word> | @1
    next-server <line> | @1
    bootfile <word> | @1
    class <word>
    address <line>
    relay <line>
    origin <line> | @1
    """
)

DHCPV6_POOL = table(
    """
    address prefix <line>
    dns-server <line>
    domain-name <word>
    prefix-delegation <line>
    import <line>
    """
)

OBJECT_GROUP = table(
    """
    host <word>
    range <ip> <ip>
    group-object <word>
    description <line> | @1
    <ip> <mask>
    ( tcp | udp | tcp-udp ) [ ( eq | gt | lt | neq | range | source ) <line> ]
    ( icmp | esp | ahp | gre | eigrp | ospf | pim | <0-255> ) [ <line> ]
    ip
    fqdn <line>
    """
)

ZONE = table(
    """
    description <line> | @1
    protection <line> | @1
    """
)

ZONE_PAIR = table(
    """
    service-policy type inspect <word> | @2
    description <line> | @1
    """
)

PARAMETER_MAP = table(
    """
    ( alert | audit-trail | dns-timeout | icmp | sessions | tcp | udp | max-incomplete | one-minute
        | log | application-inspect | zone-mismatch | low | high | pattern | server | class
        | action ) [ <line> ]
    """
)

IP_VRF = table(
    """
    rd <word> | @1
    route-target ( import | export | both ) <word>
    description <line> | @1
    import map <word> | @1
    export map <word> | @1
    maximum routes <line> | @1
    vpn id <line> | @2
    vnet tag <n> | @2
    """
)

VRF_EXTRA = table(
    """
    route-target ( import | export | both ) <word>
    vpn id <line> | @2
    vnet tag <n> | @2
    """
)

VRF_AF = table(
    """
    route-target ( import | export | both ) <word> [ stitching ]
    import map <word> | @2
    export map <word> | @2
    import ipv4 unicast <line> | @2
    export ipv4 unicast <line> | @2
    maximum routes <line> | @1
    mdt <line>
    """
)

KEY_CHAIN = table(
    """
    key <n> | @2 >config-keychain-key
    description <line> | @1
    """
)

KEY_CHAIN_KEY = table(
    """
    key-string [ ( 0 | 6 | 7 ) ] <word> | @1 !type7
    accept-lifetime <line> | @1
    send-lifetime <line> | @1
    cryptographic-algorithm <word> | @1
    """
)

APPLET = table(
    """
    event ( syslog | timer | cli | none | snmp | interface | track | routing | ipsla | tag | manual
        | oir | env | counter | resource | rpc | neighbor-discovery | identity | mat | nf
        | application | config ) [ <line> ] | @1
    action <word> <line> | @2
    description <line> | @1
    trigger [ <line> ] | @1
    set <line>
    """
)

FLOW = table(
    """
    match <line>
    collect <line>
    description <line> | @1
    destination <line> | @1
    source <if> | @1
    transport <line> | @1
    export-protocol <line> | @1
    template data <line>
    option <line>
    dscp <n> | @1
    ttl <n> | @1
    record <word> | @1
    exporter <word>
    cache <line>
    statistics <line>
    mode <line> | @1
    """
)

VLAN = table(
    """
    name <word> | @1
    state ( active | suspend ) | @1
    shutdown | @1
    remote-span | @1
    private-vlan <line> | @1
    """
)

VIRTUAL_SERVICE = table(
    """
    activate | @1
    profile <word> | @1
    vnic <line>
    """
)

BFD_TEMPLATE = table(
    """
    interval <line> | @1
    authentication <line> | @1
    echo | @1
    dampening <line> | @1
    """
)

IPV6_ACL = table(
    """
    [ sequence <n> ] ( permit | deny ) <line>
    remark <line>
    """
)

SSH_PUBKEY = table(
    """
    username <word> | @2 >conf-ssh-pubkey-user
    server <word> | @2 >conf-ssh-pubkey-user
    """
)

SSH_PUBKEY_USER = table(
    """
    key-hash <word> <word> [ <word> ]
    """
)

MAIN_CPU = table(
    """
    auto-sync <line>
    standby console enable | @3
    """
)

REDUNDANCY_EXTRA = table(
    """
    main-cpu | @1 >config-r-mc
    application redundancy | @2 >config-red-app
    interchassis <line>
    """
)

VRRP = table(
    """
    address <word> [ <line> ]
    priority <n> | @1
    preempt [ <line> ] | @1
    track <n> [ ( decrement <n> | shutdown ) ]
    vrrpv2 | @1
    timers <line> | @1
    description <line> | @1
    shutdown | @1
    """
)

SERVICE_INSTANCE = table(
    """
    encapsulation <line> | @1
    rewrite <line> | @1
    bridge-domain <line> | @1
    description <line> | @1
    """
)

LINE_EXTRA = table(
    """
    exec [ <line> ] | ~ @1
    escape-character <line> | @1
    history size <n> | @1
    autocommand <line> | @1
    speed <n> | @1
    flowcontrol <word> | @1
    databits <n> | @1
    parity <word> | @1
    absolute-timeout <n> | @1
    activation-character <line> | @1
    authorization ( exec | commands <n> ) <line> | @2
    accounting <line>
    ipv6 access-class <line> | @2
    rotary <n> | @1
    motd-banner | ~ @1
    exec-banner | ~ @1
    vacant-message [ <line> ] | @1
    notify | @1
    modem <line> | @1
    terminal-type <word> | @1
    location <line> | @1
    logging synchronous <line> | @2
    """
)

CMAP_EXTRA = table(
    """
    match ( ip | precedence | cos | qos-group | class-map | not | input-interface | application
        | packet | mpls | vlan | protocol | discard-class | source-address | destination-address
        | access-group | dscp | security-group | fr-dlci | ipv6 ) <line>
    """
)

PMAP_EXTRA = table(
    """
    class type inspect <word> | @3 >config-pmap-c
    class <word> insert-before <word> | @2 >config-pmap-c
    """
)

PMAP_C_EXTRA = table(
    """
    set ( cos | precedence | qos-group | ip | mpls | discard-class | fr-de | atm-clp ) <line> | @2
    inspect [ <word> ] | @1
    pass [ log ] | @1
    drop [ log ] | @1
    police <line> | @1
    shape ( peak | adaptive ) <line> | @2
    bandwidth remaining <line> | @1
    compression <line> | @1
    trust <line> | @1
    """
)

ROUTE_MAP_EXTRA = table(
    """
    match ( ip next-hop | ip route-source | ip multicast | ipv6 | interface | metric | tag
        | route-type | source-protocol | local-preference | extcommunity | mpls-label | length
        | policy-list | rpki | additional-paths | security-group | track | mdt-group ) <line> | @2
    match community <word> <line> | @2
    match as-path <1-500> <line> | @2
    set ( origin | comm-list | extcommunity | tag | metric-type | dampening | interface | vrf
        | global | level | automatic-tag | traffic-index | mpls-label | default | ipv6 | lisp
        | aigp-metric | path-selection | qos-group | precedence | dscp | traffic-index ) <line> | @2
    set ip ( next-hop | default | precedence | dscp | df | tos | qos-group | global
        | vrf ) <line> | @3
    set ip next-hop ( peer-address | unchanged | recursive | verify-availability | self
        | dynamic ) [ <line> ] | @3
    set as-path ( tag | replace | prepend last-as ) <line> | @2
    set community none | @2
    continue [ <n> ] | @1
    """
)

IPSEC_PROFILE_EXTRA = table(
    """
    set security-association ( replay | idle-time | dfbit | ecn ) <line> | @3
    set isakmp-profile <word> | @2
    set pfs ( group1 | group2 | group5 ) | @2
    responder-only | @1
    set reverse-route <line> | @2
    """
)

IKEV2_PROFILE_EXTRA = table(
    """
    ivrf <word> | @1
    virtual-template <n> | @1
    authentication ( local | remote ) ( rsa-sig | eap | ecdsa-sig ) [ <line> ] | @2
    nat keepalive <n> | @2
    config-exchange <line>
    pki trustpoint <word> [ <line> ]
    aaa authorization ( group | user ) <line>
    match address local ( <ip> | interface <if> )
    match certificate <word>
    match identity remote ( key-id | email | fqdn domain ) <word>
    identity local ( dn | email <word> | key-id <word> )
    """
)

IKEV2_KEYRING_PEER_EXTRA = table(
    """
    identity key-id <word> | @1
    identity email <word> | @1
    """
)

CONTROL_PLANE_EXTRA = table(
    """
    service-policy ( output | type <line> ) [ <word> ] | @2
    """
)


def _mode(
    name: str,
    cmds: tuple[Cmd, ...],
    prompt: str = "",
    closer: str | None = None,
    exits: tuple[str, ...] = (),
) -> Mode:
    return Mode(
        name,
        cmds,
        exit_words=(*exits, *((closer,) if closer else ())),
        prompt=prompt,
        closer=closer,
    )


#: additions to the strict modes of :mod:`.commands`, compiled after their own commands
EXTRA: dict[str, tuple[Cmd, ...]] = {
    "config": GLOBAL,
    "config-if": IFACE,
    "config-subif": IFACE,
    "config-if-range": IFACE,
    "config-router": BGP,
    "config-router-af": BGP_AF,
    "config-line": LINE_EXTRA,
    "config-cmap": CMAP_EXTRA,
    "config-pmap": PMAP_EXTRA,
    "config-pmap-c": PMAP_C_EXTRA,
    "config-route-map": ROUTE_MAP_EXTRA,
    "config-vrf": VRF_EXTRA,
    "config-vrf-af": VRF_AF,
    "ipsec-profile": IPSEC_PROFILE_EXTRA,
    "config-ikev2-profile": IKEV2_PROFILE_EXTRA,
    "config-ikev2-keyring-peer": IKEV2_KEYRING_PEER_EXTRA,
    "config-red": REDUNDANCY_EXTRA,
    "config-cp": CONTROL_PLANE_EXTRA,
    "config-sg-radius": RADIUS_GROUP_EXTRA,
    "config-radius-server": RADIUS_SERVER_EXTRA,
}

#: the modes only the generic vocabulary has
MODES: tuple[Mode, ...] = (
    _mode("config-router-ospf", OSPF, "config-router"),
    _mode("config-router-ospf-af", OSPF_AF, "config-router-af", "exit-address-family"),
    _mode("config-router-eigrp", EIGRP, "config-router"),
    _mode("config-router-eigrp-af", EIGRP_AF, "config-router-af", "exit-address-family"),
    _mode(
        "config-router-eigrp-af-if", EIGRP_AF_IF, "config-router-af-interface", "exit-af-interface"
    ),
    _mode(
        "config-router-eigrp-af-topo",
        EIGRP_AF_TOPO,
        "config-router-af-topology",
        "exit-af-topology",
    ),
    _mode("config-router-eigrp-sf", EIGRP_SF, "config-router-sf", "exit-service-family"),
    _mode(
        "config-router-eigrp-sf-if", EIGRP_AF_IF, "config-router-sf-interface", "exit-sf-interface"
    ),
    _mode(
        "config-router-eigrp-sf-topo",
        EIGRP_AF_TOPO,
        "config-router-sf-topology",
        "exit-sf-topology",
    ),
    _mode("config-router-rip", RIP, "config-router"),
    _mode("config-router-isis", ISIS, "config-router"),
    _mode(
        "config-router-lisp",
        table("locator-set <word> | >config-router-lisp"),
        "config-router-lisp",
    ),
    _mode(
        "config-router-stmp",
        BGP_AF,
        "config-router-stmp",
        "exit-peer-session",
        ("exit-peer-policy",),
    ),
    _mode("ca-trustpoint", TRUSTPOINT),
    _mode("ca-certificate-chain", CERT_CHAIN, "config-cert-chain"),
    _mode(
        "ca-certificate-map",
        table(
            "( subject-name | issuer-name | unstructured-subject-name "
            "| alt-subject-name | name | serial-number | valid-start "
            "| expires-on ) <line>"
        ),
    ),
    _mode("ca-certificate-pool", CERT_CHAIN, "config-cert-pool"),
    _mode(
        "cs-server",
        table(
            "( database | issuer-name | grant | lifetime | cdp-url | hash "
            "| shutdown | mode | redundancy ) [ <line> ] | @1"
        ),
    ),
    _mode("ca-profile-enroll", table("( enrollment | authentication ) <line> | @1")),
    _mode(
        "ca-trustpool",
        table(
            "( cabundle | chain-validation | crl | revocation-check "
            "| match | source | storage ) <line> | @1"
        ),
    ),
    _mode(
        "config-pubkey-chain", table("( named-key | addressed-key ) <line> | >config-pubkey-key")
    ),
    _mode("config-pubkey-key", table("address <ip> | @1"), "config-pubkey-key"),
    _mode("config-pubkey", table("address <ip> | @1"), "config-pubkey"),
    _mode("cfg-call-home", CALL_HOME),
    _mode("cfg-call-home-profile", CALL_HOME_PROFILE),
    _mode(
        "cfg-call-home-alert",
        table(
            "( crash | configuration | diagnostic | environment "
            "| inventory | snapshot | syslog ) <line>"
        ),
    ),
    _mode("config-isakmp", ISAKMP_POLICY),
    _mode("conf-keyring", KEYRING),
    _mode("conf-isa-prof", ISAKMP_PROFILE),
    _mode(
        "crypto-isakmp-group",
        table(
            "( key | dns | wins | domain | pool | acl | save-password "
            "| netmask | include-local-lan | split-dns | banner "
            "| max-users | firewall ) <line> | @1"
        ),
    ),
    _mode("crypto-map", CRYPTO_MAP, "config-crypto-map"),
    _mode("crypto-ezvpn", table("( connect | group | mode | peer | username | xauth ) <line>")),
    _mode(
        "config-ikev2-author-policy",
        table("( pool | dns | netmask | route | def-domain | banner ) <line>"),
    ),
    _mode("config-ikev2-flexvpn", table("( peer | client | source | connect ) <line>")),
    _mode("config-gkm-group", table("( identity | server ) <line>")),
    _mode("config-sg-tacacs+", TACACS_GROUP),
    _mode("config-server-tacacs", TACACS_SERVER),
    _mode("config-ldap-sg", table("server <word>")),
    _mode(
        "config-locsvr-da-radius",
        table("( client | server-key | port | auth-type | ignore ) <line>"),
    ),
    _mode(
        "config-cc-policy",
        table(
            "( min-length | max-length | upper-case | lower-case "
            "| numeric-count | special-case | char-changes "
            "| lifetime ) <line> | @1"
        ),
    ),
    _mode("config-attr-list", table("attribute <line>")),
    _mode("config-ip-sla", IP_SLA),
    _mode("config-ip-sla-op", IP_SLA_OP, "config-ip-sla-echo"),
    _mode("config-track", TRACK),
    _mode("dhcp-config", DHCP_POOL),
    _mode("config-dhcp-class", table("relay <line>")),
    _mode("config-dhcpv6", DHCPV6_POOL),
    _mode("config-object-group", OBJECT_GROUP, "config-network-group"),
    _mode("config-sec-zone", ZONE),
    _mode("config-sec-zone-pair", ZONE_PAIR),
    _mode("config-profile", PARAMETER_MAP),
    _mode("config-ip-vrf", IP_VRF, "config-vrf"),
    _mode("config-keychain", KEY_CHAIN),
    _mode("config-keychain-key", KEY_CHAIN_KEY),
    _mode("config-applet", APPLET),
    _mode("config-flow", FLOW, "config-flow-record"),
    _mode(
        "config-flow-top-talkers", table("( top | sort-by | cache-timeout | match ) <line> | @1")
    ),
    _mode("config-vlan", VLAN),
    _mode("config-virt-serv", VIRTUAL_SERVICE),
    _mode("config-bfd", BFD_TEMPLATE, "config-bfd"),
    _mode("config-ipv6-acl", IPV6_ACL),
    _mode("config-ext-macl", table("( permit | deny ) <line>")),
    _mode(
        "config-ra-guard",
        table(
            "( device-role | trusted-port | other-config-flag "
            "| managed-config-flag | hop-limit | router-preference "
            "| match ) <line>"
        ),
    ),
    _mode("conf-ssh-pubkey", SSH_PUBKEY),
    _mode("conf-ssh-pubkey-user", SSH_PUBKEY_USER),
    _mode("config-r-mc", MAIN_CPU),
    _mode("config-red-app", table("group <n> | >config-red-app-grp")),
    _mode(
        "config-red-app-grp",
        table("( name | priority | preempt | control | data | asymmetric-routing | track ) <line>"),
    ),
    _mode("config-if-vrrp", VRRP),
    _mode("config-if-srv", SERVICE_INSTANCE),
    _mode(
        "config-ip-expl-path",
        table("( next-address | exclude-address | index ) <line>"),
        "cfg-ip-expl-path",
    ),
    _mode(
        "config-pw-class",
        table(
            "( encapsulation | protocol | preferred-path | sequencing "
            "| control-word | interworking ) <line> | @1"
        ),
    ),
    _mode(
        "config-mdt-subs",
        table(
            "( encoding | filter | source-address | source-vrf "
            "| stream | update-policy | receiver ) <line> | @1"
        ),
    ),
    _mode("config-template", IFACE),
    _mode("config-xcvr-type", table("monitoring [ <line> ] | @1")),
)
