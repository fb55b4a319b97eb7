"""Source of truth: read inventory/ YAML with file:line marks and validate it into a Network."""
