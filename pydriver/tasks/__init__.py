"""Nornir tasks: the only code (with the Ansible wrapper) that talks to machines."""
