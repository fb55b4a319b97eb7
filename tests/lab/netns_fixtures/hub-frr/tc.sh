#!/bin/sh
# Per-site shaping on the hub's WAN. Idempotent: the root qdisc is replaced whole.
# quantum: one full-size packet per round (the default, rate/10, is too big at these rates).
# Traffic toward a site leaves eth1 as ESP-in-UDP to the site's public address, so the
# filter matches that address: the site's LAN block is inside the encryption and cannot
# be seen on the WAN.
set -eu
dev=eth1
tc qdisc del dev "$dev" root 2>/dev/null || true
tc qdisc add dev "$dev" root handle 1: htb default 99
tc class add dev "$dev" parent 1: classid 1:1 htb rate 300mbit ceil 300mbit quantum 1514
# site-a (id 61): guaranteed 20 Mbit/s, at most 50 Mbit/s
tc class add dev "$dev" parent 1:1 classid 1:61 htb rate 20mbit ceil 50mbit quantum 1514
tc filter add dev "$dev" parent 1: protocol ip prio 1 u32 match ip dst 198.51.100.2/32 flowid 1:61
# site-b (id 62): guaranteed 10 Mbit/s, at most 20 Mbit/s
tc class add dev "$dev" parent 1:1 classid 1:62 htb rate 10mbit ceil 20mbit quantum 1514
tc filter add dev "$dev" parent 1: protocol ip prio 1 u32 match ip dst 198.51.100.6/32 flowid 1:62
# everything else (the hub's own internet traffic)
tc class add dev "$dev" parent 1:1 classid 1:99 htb rate 1mbit ceil 300mbit quantum 1514
