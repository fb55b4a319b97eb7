"""cisco_ios (IOS-XE): hier_config remediation, revert timer, configure replace."""
