"""The data centre's shared servers: the Ansible inventory generated from the source of truth,
and ansible-runner driving playbooks/ and roles/ with it.

The routers point at these servers (NTP, syslog, DNS, RADIUS, SNMP monitoring); generating
the servers' inventory from the same Network is what keeps the two from disagreeing.
"""
