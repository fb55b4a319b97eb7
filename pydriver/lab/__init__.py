"""The lab: routers that answer like real ones, for tests and for rehearsing a change.

RouterOS and IOS-XE routers are emulated (``pydriver.lab.emu``); linux_frr routers run as
real FRR routers in network namespaces (``pydriver.lab.netns``).
"""
