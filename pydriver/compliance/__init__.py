"""Compliance: the JIP security rules, judged on the source of truth and on configs."""
