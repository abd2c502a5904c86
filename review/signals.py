"""What the workflow announces to apps that act on its changes without it knowing them (webhooks/).

Both are sent inside the change's transaction, after its audit event: a receiver's writes commit or roll back
with the change, and anything it sends out it should send on commit.
"""

from django.dispatch import Signal

# Every state change (services.transitions.run): sender=Workflow; workflow, name (the transition), was_live
# (whether the post had a live version before it), actor (None for the scheduler).
post_transitioned = Signal()
# A live post's review announced as due (services.scheduler.flag_rereviews_due): sender=Workflow; workflow.
review_lapsed = Signal()
