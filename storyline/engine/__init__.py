"""Where reading and enrichment run: this process by default, or the workers of a Ray cluster.

The store, near-duplicate decisions and linking always stay with the caller; an engine only
turns paths into articles and articles into enrichments.
"""
