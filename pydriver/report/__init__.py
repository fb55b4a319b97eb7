"""Report: plans and apply results as text, JSON and Markdown (a pull-request comment)."""

#: GitHub refuses comments over 65,536 characters; leave some room. Here, in the package's
#: light first module, so the command line can show it without importing the reports.
GITHUB_LIMIT = 65_000
