# rtr-bpbd (mikrotik_routeros, RB4011iGS+) - site: Badan Penanggulangan Bencana Daerah
# Rendered by pydriver from the source of truth. Do not edit on the router:
# changes made here are reverted by the next apply.
/interface bridge
add comment=pydriver:loopback name=lo0 protocol-mode=none
add comment=pydriver:zone/staff name=br-staff protocol-mode=none
add comment=pydriver:zone/cctv name=br-cctv protocol-mode=none
add comment=pydriver:zone/vicon name=br-vicon protocol-mode=none
/interface gre
add allow-fast-path=no comment=pydriver:tunnel/gre-inet-pusdatin keepalive=10s,10 local-address=192.0.2.6 mtu=1400 name=gre-inet-pusdatin remote-address=203.0.113.10
add allow-fast-path=no comment=pydriver:tunnel/gre-metro-drc keepalive=10s,10 local-address=100.64.20.16 mtu=1400 name=gre-metro-drc remote-address=100.64.20.1
/interface bridge port
add bridge=br-staff comment=pydriver:port/ether3 interface=ether3
add bridge=br-cctv comment=pydriver:port/ether4 interface=ether4
add bridge=br-vicon comment=pydriver:port/ether5 interface=ether5
/ip ipsec profile
add dh-group=ecp256,ecp384,modp2048 dpd-interval=30s enc-algorithm=aes-256 hash-algorithm=sha256 lifetime=1d name=jip-standard nat-traversal=yes
/ip ipsec peer
add address=203.0.113.10/32 comment=pydriver:ipsec/gre-inet-pusdatin exchange-mode=ike2 local-address=192.0.2.6 name=gre-inet-pusdatin profile=jip-standard send-initial-contact=yes
add address=100.64.20.1/32 comment=pydriver:ipsec/gre-metro-drc exchange-mode=ike2 local-address=100.64.20.16 name=gre-metro-drc profile=jip-standard send-initial-contact=yes
/ip ipsec proposal
add auth-algorithms=sha256 enc-algorithms=aes-256-gcm,aes-256-cbc lifetime=1h name=jip-standard pfs-group=ecp256
/ip ipsec identity
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-inet-pusdatin peer=gre-inet-pusdatin secret=@@secret:env:JIP_PSK_BPBD@@
add auth-method=pre-shared-key comment=pydriver:ipsec/gre-metro-drc peer=gre-metro-drc secret=@@secret:env:JIP_PSK_BPBD@@
/ip ipsec policy
add comment=pydriver:ipsec/gre-inet-pusdatin dst-address=203.0.113.10/32 peer=gre-inet-pusdatin proposal=jip-standard protocol=gre src-address=192.0.2.6/32 tunnel=no
add comment=pydriver:ipsec/gre-metro-drc dst-address=100.64.20.1/32 peer=gre-metro-drc proposal=jip-standard protocol=gre src-address=100.64.20.16/32 tunnel=no
/ip address
add address=10.255.0.38/32 comment=pydriver:address/loopback interface=lo0
add address=192.0.2.6/30 comment=pydriver:address/ether1 interface=ether1
add address=100.64.20.16/24 comment=pydriver:address/ether2 interface=ether2
add address=10.64.24.1/24 comment=pydriver:address/zone-staff interface=br-staff
add address=10.64.25.1/24 comment=pydriver:address/zone-cctv interface=br-cctv
add address=10.64.27.1/24 comment=pydriver:address/zone-vicon interface=br-vicon
add address=10.254.0.98/30 comment=pydriver:address/gre-inet-pusdatin interface=gre-inet-pusdatin
add address=10.254.0.102/30 comment=pydriver:address/gre-metro-drc interface=gre-metro-drc
/ip firewall address-list
add address=10.250.10.0/24 comment=pydriver:mgmt/10.250.10.0/24 list=jip-mgmt
add address=10.250.20.0/24 comment=pydriver:mgmt/10.250.20.0/24 list=jip-mgmt
add address=10.64.24.0/24 comment=pydriver:bgp-net/10.64.24.0/24 list=jip-bgp-networks
add address=10.64.25.0/24 comment=pydriver:bgp-net/10.64.25.0/24 list=jip-bgp-networks
add address=10.64.27.0/24 comment=pydriver:bgp-net/10.64.27.0/24 list=jip-bgp-networks
add address=10.255.0.38/32 comment=pydriver:bgp-net/10.255.0.38/32 list=jip-bgp-networks
add address=203.0.113.10 comment=pydriver:ipsec-peer/203.0.113.10 list=jip-ipsec-peers
add address=100.64.20.1 comment=pydriver:ipsec-peer/100.64.20.1 list=jip-ipsec-peers
add address=10.254.0.97 comment=pydriver:bgp-peer/10.254.0.97 list=jip-bgp-peers
add address=10.254.0.101 comment=pydriver:bgp-peer/10.254.0.101 list=jip-bgp-peers
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
add action=change-dscp chain=prerouting comment=pydriver:qos/vicon-dscp new-dscp=46 passthrough=yes src-address=10.64.27.0/24
/ip route
add comment=pydriver:route/203.0.113.10/32 distance=1 dst-address=203.0.113.10/32 gateway=192.0.2.5
add comment=pydriver:route/100.64.20.1/32 distance=1 dst-address=100.64.20.1/32 gateway=100.64.20.254
/routing filter rule
add chain=jip-backup-in comment=pydriver:filter/jip-backup-in rule="set bgp-local-pref 50; accept;"
add chain=jip-backup-out comment=pydriver:filter/jip-backup-out rule="set bgp-path-prepend 2; accept;"
/routing bgp connection
add as=4200000006 comment=pydriver:bgp/10.254.0.97 hold-time=30s keepalive-time=10s local.role=ebgp name=hub-pusdatin-01 output.network=jip-bgp-networks remote.address=10.254.0.97 remote.as=65052 router-id=10.255.0.38
add as=4200000006 comment=pydriver:bgp/10.254.0.101 hold-time=30s input.filter=jip-backup-in keepalive-time=10s local.role=ebgp name=hub-drc-01 output.filter-chain=jip-backup-out output.network=jip-bgp-networks remote.address=10.254.0.101 remote.as=65052 router-id=10.255.0.38
/queue simple
add comment=pydriver:qos/total max-limit=100M/100M name=jip-total target=10.64.24.0/24,10.64.25.0/24,10.64.27.0/24
add comment=pydriver:qos/vicon limit-at=30M/30M max-limit=100M/100M name=jip-vicon parent=jip-total priority=1/1 target=10.64.27.0/24
add comment=pydriver:qos/other max-limit=100M/100M name=jip-other parent=jip-total priority=8/8 target=10.64.24.0/24,10.64.25.0/24
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
add address=10.10.10.21 comment=pydriver:radius/10.10.10.21 secret=@@secret:env:JIP_RADIUS_SECRET@@ service=login src-address=10.255.0.38 timeout=3s
/snmp community
set [ find default=yes ] disabled=yes
add addresses=10.250.10.0/24,10.250.20.0/24 authentication-password=@@secret:env:JIP_SNMP_AUTH@@ authentication-protocol=SHA1 comment=pydriver:snmp/jip-monitor encryption-password=@@secret:env:JIP_SNMP_PRIV@@ encryption-protocol=AES name=jip-monitor security=private
/snmp
set contact="NTBProv-CSIRT <csirt@ntbprov.go.id>" enabled=yes location="Provinsi NTB, Badan Penanggulangan Bencana Daerah" src-address=10.255.0.38 trap-version=3
/system clock
set time-zone-name=Asia/Makassar
/system identity
set name=rtr-bpbd
/system logging action
add comment=pydriver:syslog/10.10.10.31 name=jipsyslog1 remote=10.10.10.31 src-address=10.255.0.38 target=remote
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
