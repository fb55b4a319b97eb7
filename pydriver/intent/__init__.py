"""Intent: what every router should be, derived from the validated Network."""
