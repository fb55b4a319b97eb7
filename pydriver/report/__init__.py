"""Report: plans and apply results as text, JSON and Markdown (a pull-request comment)."""
