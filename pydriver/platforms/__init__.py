"""Platforms: what differs between RouterOS, IOS-XE and Linux/FRR, behind one Protocol."""
