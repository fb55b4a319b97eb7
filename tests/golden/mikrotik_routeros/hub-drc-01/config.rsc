# hub-drc-01 (mikrotik_routeros, CCR2004-16G-2S+) - hub: Disaster Recovery Center - Kantor Gubernur, Mataram
# Rendered by pydriver from the source of truth. Do not edit on the router:
# changes made here are reverted by the next apply.
/interface bridge
add comment=pydriver:loopback name=lo0 protocol-mode=none
/interface gre
add allow-fast-path=no comment=pydriver:tunnel/gre-diskominfotik-1 keepalive=10s,10 local-address=100.64.20.1 mtu=1400 name=gre-diskominfotik-1 remote-address=100.64.20.11
add allow-fast-path=no comment=pydriver:tunnel/gre-dinkes-1 keepalive=10s,10 local-address=198.51.100.130 mtu=1400 name=gre-dinkes-1 remote-address=192.0.2.14
add allow-fast-path=no comment=pydriver:tunnel/gre-bpkad-1 keepalive=10s,10 local-address=100.64.20.1 mtu=1400 name=gre-bpkad-1 remote-address=100.64.20.14
add allow-fast-path=no comment=pydriver:tunnel/gre-bpbd-1 keepalive=10s,10 local-address=100.64.20.1 mtu=1400 name=gre-bpbd-1 remote-address=100.64.20.16
add allow-fast-path=no comment=pydriver:tunnel/gre-upt-labkes-0 keepalive=10s,10 local-address=100.64.20.1 mtu=1400 name=gre-upt-labkes-0 remote-address=100.64.20.18
add allow-fast-path=no comment=pydriver:tunnel/gre-kec-gunungsari-0 keepalive=10s,10 local-address=198.51.100.130 mtu=1400 name=gre-kec-gunungsari-0 remote-address=192.0.2.22
/ip ipsec profile
add dh-group=ecp256,ecp384,modp2048 dpd-interval=30s enc-algorithm=aes-256 hash-algorithm=sha256 lifetime=1d name=jip-standard nat-traversal=yes
/ip ipsec peer
add address=100.64.20.11/32 comment=pydriver:ipsec/gre-diskominfotik-1 exchange-mode=ike2 local-address=100.64.20.1 name=gre-diskominfotik-1 passive=yes profile=jip-standard send-initial-contact=yes
add address=192.0.2.14/32 comment=pydriver:ipsec/gre-dinkes-1 exchange-mode=ike2 local-address=198.51.100.130 name=gre-dinkes-1 passive=yes profile=jip-standard send-initial-contact=yes
add address=100.64.20.14/32 comment=pydriver:ipsec/gre-bpkad-1 exchange-mode=ike2 local-address=100.64.20.1 name=gre-bpkad-1 passive=yes profile=jip-standard send-initial-contact=yes
add address=100.64.20.16/32 comment=pydriver:ipsec/gre-bpbd-1 exchange-mode=ike2 local-address=100.64.20.1 name=gre-bpbd-1 passive=yes profile=jip-standard send-initial-contact=yes
add address=100.64.20.18/32 comment=pydriver:ipsec/gre-upt-labkes-0 exchange-mode=ike2 local-address=100.64.20.1 name=gre-upt-labkes-0 passive=yes profile=jip-standard send-initial-contact=yes
add address=192.0.2.22/32 comment=pydriver:ipsec/gre-kec-gunungsari-0 exchange-mode=ike2 local-address=198.51.100.130 name=gre-kec-gunungsari-0 passive=yes profile=jip-standard send-initial-contact=yes
/ip ipsec proposal
add auth-algorithms=sha256 enc-algorithms=aes-256-gcm,aes-256-cbc lifetime=1h name=jip-standard pfs-group=ecp256
/ip ipsec identity
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-diskominfotik-1 peer=gre-diskominfotik-1 secret=@@secret:env:JIP_PSK_DISKOMINFOTIK@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-dinkes-1 peer=gre-dinkes-1 secret=@@secret:env:JIP_PSK_DINKES@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-bpkad-1 peer=gre-bpkad-1 secret=@@secret:env:JIP_PSK_BPKAD@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-bpbd-1 peer=gre-bpbd-1 secret=@@secret:env:JIP_PSK_BPBD@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-upt-labkes-0 peer=gre-upt-labkes-0 secret=@@secret:env:JIP_PSK_UPT_LABKES@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-kec-gunungsari-0 peer=gre-kec-gunungsari-0 secret=@@secret:env:JIP_PSK_KEC_GUNUNGSARI@@
/ip ipsec policy
add comment=pydriver:ipsec/gre-diskominfotik-1 dst-address=100.64.20.11/32 peer=gre-diskominfotik-1 proposal=jip-standard protocol=gre src-address=100.64.20.1/32 tunnel=no
add comment=pydriver:ipsec/gre-dinkes-1 dst-address=192.0.2.14/32 peer=gre-dinkes-1 proposal=jip-standard protocol=gre src-address=198.51.100.130/32 tunnel=no
add comment=pydriver:ipsec/gre-bpkad-1 dst-address=100.64.20.14/32 peer=gre-bpkad-1 proposal=jip-standard protocol=gre src-address=100.64.20.1/32 tunnel=no
add comment=pydriver:ipsec/gre-bpbd-1 dst-address=100.64.20.16/32 peer=gre-bpbd-1 proposal=jip-standard protocol=gre src-address=100.64.20.1/32 tunnel=no
add comment=pydriver:ipsec/gre-upt-labkes-0 dst-address=100.64.20.18/32 peer=gre-upt-labkes-0 proposal=jip-standard protocol=gre src-address=100.64.20.1/32 tunnel=no
add comment=pydriver:ipsec/gre-kec-gunungsari-0 dst-address=192.0.2.22/32 peer=gre-kec-gunungsari-0 proposal=jip-standard protocol=gre src-address=198.51.100.130/32 tunnel=no
/ip address
add address=10.255.0.2/32 comment=pydriver:address/loopback interface=lo0
add address=10.250.20.11/24 comment=pydriver:address/ether1 interface=ether1
add address=198.51.100.130/29 comment=pydriver:address/sfp-sfpplus1 interface=sfp-sfpplus1
add address=10.20.0.1/24 comment=pydriver:address/ether4 interface=ether4
add address=100.64.20.1/24 comment=pydriver:address/ether2 interface=ether2
add address=10.254.0.21/30 comment=pydriver:address/gre-diskominfotik-1 interface=gre-diskominfotik-1
add address=10.254.0.53/30 comment=pydriver:address/gre-dinkes-1 interface=gre-dinkes-1
add address=10.254.0.69/30 comment=pydriver:address/gre-bpkad-1 interface=gre-bpkad-1
add address=10.254.0.101/30 comment=pydriver:address/gre-bpbd-1 interface=gre-bpbd-1
add address=10.254.0.129/30 comment=pydriver:address/gre-upt-labkes-0 interface=gre-upt-labkes-0
add address=10.254.0.161/30 comment=pydriver:address/gre-kec-gunungsari-0 interface=gre-kec-gunungsari-0
/ip firewall address-list
add address=10.250.10.0/24 comment=pydriver:mgmt/10.250.10.0/24 list=jip-mgmt
add address=10.250.20.0/24 comment=pydriver:mgmt/10.250.20.0/24 list=jip-mgmt
add address=10.20.10.0/24 comment=pydriver:bgp-net/10.20.10.0/24 list=jip-bgp-networks
add address=10.250.20.0/24 comment=pydriver:bgp-net/10.250.20.0/24 list=jip-bgp-networks
add address=10.255.0.2/32 comment=pydriver:bgp-net/10.255.0.2/32 list=jip-bgp-networks
add address=100.64.20.11 comment=pydriver:ipsec-peer/100.64.20.11 list=jip-ipsec-peers
add address=192.0.2.14 comment=pydriver:ipsec-peer/192.0.2.14 list=jip-ipsec-peers
add address=100.64.20.14 comment=pydriver:ipsec-peer/100.64.20.14 list=jip-ipsec-peers
add address=100.64.20.16 comment=pydriver:ipsec-peer/100.64.20.16 list=jip-ipsec-peers
add address=100.64.20.18 comment=pydriver:ipsec-peer/100.64.20.18 list=jip-ipsec-peers
add address=192.0.2.22 comment=pydriver:ipsec-peer/192.0.2.22 list=jip-ipsec-peers
add address=10.10.0.1 comment=pydriver:bgp-peer/10.10.0.1 list=jip-bgp-peers
add address=10.10.0.3 comment=pydriver:bgp-peer/10.10.0.3 list=jip-bgp-peers
add address=10.254.0.22 comment=pydriver:bgp-peer/10.254.0.22 list=jip-bgp-peers
add address=10.254.0.54 comment=pydriver:bgp-peer/10.254.0.54 list=jip-bgp-peers
add address=10.254.0.70 comment=pydriver:bgp-peer/10.254.0.70 list=jip-bgp-peers
add address=10.254.0.102 comment=pydriver:bgp-peer/10.254.0.102 list=jip-bgp-peers
add address=10.254.0.130 comment=pydriver:bgp-peer/10.254.0.130 list=jip-bgp-peers
add address=10.254.0.162 comment=pydriver:bgp-peer/10.254.0.162 list=jip-bgp-peers
/ip firewall filter
add action=accept chain=input comment=pydriver:in/established connection-state=established,related,untracked
add action=drop chain=input comment=pydriver:in/invalid connection-state=invalid
add action=accept chain=input comment=pydriver:in/icmp protocol=icmp
add action=accept chain=input comment=pydriver:in/ike dst-port=500,4500 protocol=udp src-address-list=jip-ipsec-peers
add action=accept chain=input comment=pydriver:in/esp protocol=ipsec-esp src-address-list=jip-ipsec-peers
add action=accept chain=input comment=pydriver:in/gre ipsec-policy=in,ipsec protocol=gre
add action=accept chain=input comment=pydriver:in/bgp dst-port=179 protocol=tcp src-address-list=jip-bgp-peers
add action=accept chain=input comment=pydriver:in/mgmt dst-port=22,8291 protocol=tcp src-address-list=jip-mgmt
add action=accept chain=input comment=pydriver:in/snmp dst-port=161 protocol=udp src-address-list=jip-mgmt
add action=drop chain=input comment=pydriver:in/drop log=yes log-prefix=jip-drop
/ip firewall mangle
add action=mark-packet chain=prerouting comment=pydriver:qos/vicon-mark-46 dscp=46 new-packet-mark=jip-vicon passthrough=no
add action=mark-packet chain=prerouting comment=pydriver:qos/vicon-mark-34 dscp=34 new-packet-mark=jip-vicon passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat comment=pydriver:nat/10.64.0.0/12 out-interface=sfp-sfpplus1 src-address=10.64.0.0/12
/ip route
add comment=pydriver:route/0.0.0.0/0 distance=1 dst-address=0.0.0.0/0 gateway=198.51.100.129
add comment=pydriver:route/10.20.10.0/24 distance=1 dst-address=10.20.10.0/24 gateway=10.20.0.254
add comment=pydriver:route/10.250.20.0/24 distance=1 dst-address=10.250.20.0/24 gateway=10.20.0.254
add comment=pydriver:route/10.10.0.0/24 distance=1 dst-address=10.10.0.0/24 gateway=10.20.0.254
/routing filter rule
add chain=site-diskominfotik-in comment=pydriver:filter/site-diskominfotik-in/1 rule="if (dst==10.64.4.0/24) { accept; }"
add chain=site-diskominfotik-in comment=pydriver:filter/site-diskominfotik-in/2 rule="if (dst==10.64.5.0/24) { accept; }"
add chain=site-diskominfotik-in comment=pydriver:filter/site-diskominfotik-in/3 rule="if (dst==10.64.7.0/24) { accept; }"
add chain=site-diskominfotik-in comment=pydriver:filter/site-diskominfotik-in/4 rule="if (dst==10.255.0.33/32) { accept; }"
add chain=site-dinkes-in comment=pydriver:filter/site-dinkes-in/1 rule="if (dst==10.64.12.0/24) { accept; }"
add chain=site-dinkes-in comment=pydriver:filter/site-dinkes-in/2 rule="if (dst==10.64.13.0/24) { accept; }"
add chain=site-dinkes-in comment=pydriver:filter/site-dinkes-in/3 rule="if (dst==10.64.14.0/24) { accept; }"
add chain=site-dinkes-in comment=pydriver:filter/site-dinkes-in/4 rule="if (dst==10.64.15.0/24) { accept; }"
add chain=site-dinkes-in comment=pydriver:filter/site-dinkes-in/5 rule="if (dst==10.255.0.35/32) { accept; }"
add chain=site-bpkad-in comment=pydriver:filter/site-bpkad-in/1 rule="if (dst==10.64.16.0/24) { accept; }"
add chain=site-bpkad-in comment=pydriver:filter/site-bpkad-in/2 rule="if (dst==10.64.19.0/24) { accept; }"
add chain=site-bpkad-in comment=pydriver:filter/site-bpkad-in/3 rule="if (dst==10.255.0.36/32) { accept; }"
add chain=site-bpbd-in comment=pydriver:filter/site-bpbd-in/1 rule="if (dst==10.64.24.0/24) { accept; }"
add chain=site-bpbd-in comment=pydriver:filter/site-bpbd-in/2 rule="if (dst==10.64.25.0/24) { accept; }"
add chain=site-bpbd-in comment=pydriver:filter/site-bpbd-in/3 rule="if (dst==10.64.27.0/24) { accept; }"
add chain=site-bpbd-in comment=pydriver:filter/site-bpbd-in/4 rule="if (dst==10.255.0.38/32) { accept; }"
add chain=site-upt-labkes-in comment=pydriver:filter/site-upt-labkes-in/1 rule="if (dst==10.64.32.0/24) { accept; }"
add chain=site-upt-labkes-in comment=pydriver:filter/site-upt-labkes-in/2 rule="if (dst==10.64.35.0/24) { accept; }"
add chain=site-upt-labkes-in comment=pydriver:filter/site-upt-labkes-in/3 rule="if (dst==10.255.0.40/32) { accept; }"
add chain=site-kec-gunungsari-in comment=pydriver:filter/site-kec-gunungsari-in/1 rule="if (dst==10.64.40.0/24) { accept; }"
add chain=site-kec-gunungsari-in comment=pydriver:filter/site-kec-gunungsari-in/2 rule="if (dst==10.255.0.42/32) { accept; }"
/routing bgp connection
add as=65052 comment=pydriver:bgp/10.10.0.1 hold-time=30s keepalive-time=10s local.role=ibgp name=hub-pusdatin-01 output.network=jip-bgp-networks remote.address=10.10.0.1 remote.as=65052 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.10.0.3 hold-time=30s keepalive-time=10s local.role=ibgp name=hub-pusdatin-02 output.network=jip-bgp-networks remote.address=10.10.0.3 remote.as=65052 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.22 hold-time=30s input.filter=site-diskominfotik-in keepalive-time=10s local.role=ebgp name=diskominfotik-metro-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.22 remote.as=4200000001 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.54 hold-time=30s input.filter=site-dinkes-in keepalive-time=10s local.role=ebgp name=dinkes-inet-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.54 remote.as=4200000003 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.70 hold-time=30s input.filter=site-bpkad-in keepalive-time=10s local.role=ebgp name=bpkad-metro-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.70 remote.as=4200000004 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.102 hold-time=30s input.filter=site-bpbd-in keepalive-time=10s local.role=ebgp name=bpbd-metro-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.102 remote.as=4200000006 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.130 hold-time=30s input.filter=site-upt-labkes-in keepalive-time=10s local.role=ebgp name=upt-labkes-metro-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.130 remote.as=4200000008 router-id=10.255.0.2
add as=65052 comment=pydriver:bgp/10.254.0.162 hold-time=30s input.filter=site-kec-gunungsari-in keepalive-time=10s local.role=ebgp name=kec-gunungsari-inet-drc output.default-originate=always output.network=jip-bgp-networks remote.address=10.254.0.162 remote.as=4200000010 router-id=10.255.0.2
/queue simple
add comment=pydriver:shape/bpbd/gre-bpbd-1 limit-at=50M/50M max-limit=100M/100M name=site-bpbd-gre-bpbd-1 priority=1/1 target=gre-bpbd-1
add comment=pydriver:shape/bpbd/gre-bpbd-1/vicon limit-at=15M/15M max-limit=100M/100M name=site-bpbd-gre-bpbd-1-vicon packet-marks=jip-vicon parent=site-bpbd-gre-bpbd-1 priority=1/1 target=gre-bpbd-1
add comment=pydriver:shape/bpbd/gre-bpbd-1/other max-limit=100M/100M name=site-bpbd-gre-bpbd-1-other packet-marks=no-mark parent=site-bpbd-gre-bpbd-1 priority=8/8 target=gre-bpbd-1
add comment=pydriver:shape/bpkad/gre-bpkad-1 limit-at=100M/100M max-limit=300M/300M name=site-bpkad-gre-bpkad-1 priority=2/2 target=gre-bpkad-1
add comment=pydriver:shape/bpkad/gre-bpkad-1/vicon limit-at=30M/30M max-limit=300M/300M name=site-bpkad-gre-bpkad-1-vicon packet-marks=jip-vicon parent=site-bpkad-gre-bpkad-1 priority=1/1 target=gre-bpkad-1
add comment=pydriver:shape/bpkad/gre-bpkad-1/other max-limit=300M/300M name=site-bpkad-gre-bpkad-1-other packet-marks=no-mark parent=site-bpkad-gre-bpkad-1 priority=8/8 target=gre-bpkad-1
add comment=pydriver:shape/dinkes/gre-dinkes-1 limit-at=80M/80M max-limit=200M/200M name=site-dinkes-gre-dinkes-1 priority=2/2 target=gre-dinkes-1
add comment=pydriver:shape/dinkes/gre-dinkes-1/vicon limit-at=24M/24M max-limit=200M/200M name=site-dinkes-gre-dinkes-1-vicon packet-marks=jip-vicon parent=site-dinkes-gre-dinkes-1 priority=1/1 target=gre-dinkes-1
add comment=pydriver:shape/dinkes/gre-dinkes-1/other max-limit=200M/200M name=site-dinkes-gre-dinkes-1-other packet-marks=no-mark parent=site-dinkes-gre-dinkes-1 priority=8/8 target=gre-dinkes-1
add comment=pydriver:shape/diskominfotik/gre-diskominfotik-1 limit-at=100M/100M max-limit=300M/300M name=site-diskominfotik-gre-diskominfotik-1 priority=2/2 target=gre-diskominfotik-1
add comment=pydriver:shape/diskominfotik/gre-diskominfotik-1/vicon limit-at=30M/30M max-limit=300M/300M name=site-diskominfotik-gre-diskominfotik-1-vicon packet-marks=jip-vicon parent=site-diskominfotik-gre-diskominfotik-1 priority=1/1 target=gre-diskominfotik-1
add comment=pydriver:shape/diskominfotik/gre-diskominfotik-1/other max-limit=300M/300M name=site-diskominfotik-gre-diskominfotik-1-other packet-marks=no-mark parent=site-diskominfotik-gre-diskominfotik-1 priority=8/8 target=gre-diskominfotik-1
add comment=pydriver:shape/kec-gunungsari/gre-kec-gunungsari-0 limit-at=10M/10M max-limit=30M/30M name=site-kec-gunungsari-gre-kec-gunungsari-0 priority=5/5 target=gre-kec-gunungsari-0
add comment=pydriver:shape/kec-gunungsari/gre-kec-gunungsari-0/vicon limit-at=3M/3M max-limit=30M/30M name=site-kec-gunungsari-gre-kec-gunungsari-0-vicon packet-marks=jip-vicon parent=site-kec-gunungsari-gre-kec-gunungsari-0 priority=1/1 target=gre-kec-gunungsari-0
add comment=pydriver:shape/kec-gunungsari/gre-kec-gunungsari-0/other max-limit=30M/30M name=site-kec-gunungsari-gre-kec-gunungsari-0-other packet-marks=no-mark parent=site-kec-gunungsari-gre-kec-gunungsari-0 priority=8/8 target=gre-kec-gunungsari-0
add comment=pydriver:shape/upt-labkes/gre-upt-labkes-0 limit-at=30M/30M max-limit=100M/100M name=site-upt-labkes-gre-upt-labkes-0 priority=3/3 target=gre-upt-labkes-0
add comment=pydriver:shape/upt-labkes/gre-upt-labkes-0/vicon limit-at=9M/9M max-limit=100M/100M name=site-upt-labkes-gre-upt-labkes-0-vicon packet-marks=jip-vicon parent=site-upt-labkes-gre-upt-labkes-0 priority=1/1 target=gre-upt-labkes-0
add comment=pydriver:shape/upt-labkes/gre-upt-labkes-0/other max-limit=100M/100M name=site-upt-labkes-gre-upt-labkes-0-other packet-marks=no-mark parent=site-upt-labkes-gre-upt-labkes-0 priority=8/8 target=gre-upt-labkes-0
/ip dns
set allow-remote-requests=no servers=10.10.10.53,10.20.10.53
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set ssh address=10.250.10.0/24,10.250.20.0/24 disabled=no port=22
set www-ssl disabled=yes
set api disabled=yes
set winbox address=10.250.10.0/24,10.250.20.0/24
set api-ssl disabled=yes
/ip ssh
set strong-crypto=yes
/ip neighbor discovery-settings
set discover-interface-list=none
/ip proxy
set enabled=no
/ip socks
set enabled=no
/ip upnp
set enabled=no
/ip cloud
set ddns-enabled=no update-time=no
/radius
add address=10.10.10.21 comment=pydriver:radius/10.10.10.21 secret=@@secret:env:JIP_RADIUS_SECRET@@ service=login src-address=10.255.0.2 timeout=3s
/snmp community
set [ find default=yes ] disabled=yes
add addresses=10.250.10.0/24,10.250.20.0/24 authentication-password=@@secret:env:JIP_SNMP_AUTH@@ authentication-protocol=SHA1 comment=pydriver:snmp/jip-monitor encryption-password=@@secret:env:JIP_SNMP_PRIV@@ encryption-protocol=AES name=jip-monitor security=private
/snmp
set contact="NTBProv-CSIRT <csirt@ntbprov.go.id>" enabled=yes location="Provinsi NTB, Disaster Recovery Center - Kantor Gubernur, Mataram" src-address=10.255.0.2 trap-version=3
/system clock
set time-zone-name=Asia/Makassar
/system identity
set name=hub-drc-01
/system logging action
add comment=pydriver:syslog/10.10.10.31 name=jipsyslog1 remote=10.10.10.31 src-address=10.255.0.2 target=remote
/system logging
add action=jipsyslog1 comment=pydriver:log/1/info topics=info
add action=jipsyslog1 comment=pydriver:log/1/warning topics=warning
add action=jipsyslog1 comment=pydriver:log/1/error topics=error
add action=jipsyslog1 comment=pydriver:log/1/critical topics=critical
add action=jipsyslog1 comment=pydriver:log/1/account topics=account
/system note
set note="PERINGATAN: Sistem ini milik Pemerintah Provinsi Nusa Tenggara Barat.\nAkses hanya untuk administrator yang berwenang. Seluruh aktivitas dicatat\ndan dipantau (Peraturan BSSN No. 4 Tahun 2021)." show-at-login=yes
/system ntp client
set enabled=yes servers=10.10.10.11,10.20.10.11
/tool bandwidth-server
set enabled=no
/tool mac-server
set allowed-interface-list=none
/tool mac-server mac-winbox
set allowed-interface-list=none
/tool mac-server ping
set enabled=no
/tool romon
set enabled=no
/user aaa
set default-group=read use-radius=yes
/user
add comment=pydriver:admin/lalu.ahmad group=full name=lalu.ahmad password=@@secret:env:JIP_ADMIN_LALU_AHMAD@@
add comment=pydriver:admin/baiq.nurul group=full name=baiq.nurul password=@@secret:env:JIP_ADMIN_BAIQ_NURUL@@
