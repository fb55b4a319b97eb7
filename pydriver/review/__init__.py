"""Review: what a pull request changes in the source of truth, and what that does.

Pure: two pipelines (the base commit's and the pull request's) and, when there is one, the
backups' running configs come in; a :class:`~pydriver.review.model.Review` comes out. No
device is asked anything, so a CI job on a pull request can run it with no access to the
routers.
"""
