"""Deploy: backups, locks, the audit log and the wave-by-wave apply."""
