"""linux_frr: FRR + strongSwan + nftables + tc on Linux, changed file by file."""
