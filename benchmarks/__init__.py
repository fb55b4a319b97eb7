"""Scale benchmarks: scripts that print tables and write JSON under ``results/``."""
