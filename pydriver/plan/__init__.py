"""Plan: per router, what would change (remediation, rollback, risk), versus running."""
