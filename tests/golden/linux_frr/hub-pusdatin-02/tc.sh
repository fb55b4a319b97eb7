#!/bin/sh
# hub-pusdatin-02 (linux_frr, Debian 12 (FRR 8.4, strongSwan 5.9)) - hub: Pusat Data Pemda - Diskominfotik NTB, Mataram
# Rendered by pydriver from the source of truth. Do not edit on the router:
# changes made here are reverted by the next apply.
# Idempotent: the root qdisc is deleted and built again as a whole (HTB cannot change a
# live root qdisc in place), so running it twice gives one result and nothing stays behind.
set -eu
# Per-site shaping toward the sites: HTB class per site (rate = guaranteed, ceil = max),
# matched on the site's underlay address (the ESP packets leaving the WAN).
dev=eth1
tc qdisc del dev "$dev" root 2>/dev/null || :
tc qdisc add dev "$dev" root handle 1: htb default 999
tc class replace dev "$dev" parent 1: classid 1:1 htb rate 300mbit ceil 300mbit
# Video conference first: EF and AF41 (IPsec copies them to the ESP header) take a
# guaranteed share of the uplink before any site's or interconnect's class.
tc class replace dev "$dev" parent 1:1 classid 1:5 htb rate 90mbit ceil 300mbit prio 0
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::1 u32 match ip dsfield 0xb8 0xfc flowid 1:5
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::2 u32 match ip dsfield 0x88 0xfc flowid 1:5
tc class replace dev "$dev" parent 1:1 classid 1:10 htb rate 100mbit ceil 100mbit prio 1
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::10 u32 match ip dst 192.0.2.10 flowid 1:10
tc class replace dev "$dev" parent 1:1 classid 1:11 htb rate 10mbit ceil 30mbit prio 1
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::11 u32 match ip dst 198.51.100.10 flowid 1:11
tc class replace dev "$dev" parent 1:1 classid 1:12 htb rate 10mbit ceil 50mbit prio 6
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::12 u32 match ip dst 198.51.100.14 flowid 1:12
tc class replace dev "$dev" parent 1:1 classid 1:999 htb rate 1mbit ceil 300mbit prio 7
