#!/bin/sh
# rtr-pkm-tanjung (linux_frr, Debian 12 mini PC) - site: Puskesmas Tanjung
# Rendered by pydriver from the source of truth. Do not edit on the router:
# changes made here are reverted by the next apply.
# Idempotent: the root qdisc is deleted and built again as a whole (HTB cannot change a
# live root qdisc in place), so running it twice gives one result and nothing stays behind.
set -eu
# Video conference first: DSCP EF (set by nftables for the vicon zone) and AF41 (where an
# endpoint marks it) get the top class and its guaranteed share.
dev=eth1
tc qdisc del dev "$dev" root 2>/dev/null || :
tc qdisc add dev "$dev" root handle 1: htb default 20
tc class replace dev "$dev" parent 1: classid 1:1 htb rate 30mbit ceil 30mbit
tc class replace dev "$dev" parent 1:1 classid 1:10 htb rate 9mbit ceil 30mbit prio 0
tc class replace dev "$dev" parent 1:1 classid 1:20 htb rate 1mbit ceil 30mbit prio 7
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::16 u32 match ip dsfield 0xb8 0xfc flowid 1:10
tc filter replace dev "$dev" parent 1: protocol ip prio 1 handle 800::17 u32 match ip dsfield 0x88 0xfc flowid 1:10
