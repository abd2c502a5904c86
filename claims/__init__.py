"""The claims check: wording in an article that healthcare advertising rules forbid or that needs a source.

It builds on `content` (a justification belongs to a revision) and knows nothing of the review workflow.
"""
