"""What the workflow announces to the apps built on it, which it must not import (the public site, webhooks/).

Each is sent inside the transaction that makes the change, after its audit event: a receiver's writes commit or
roll back with the change, and anything it sends out it should send on commit.
"""

from django.dispatch import Signal

# A post's or a reviewer's slug changed: kind ("article" or "reviewer"), old_slug, new_slug. The public site
# connects it to its moved addresses (public.redirects.record_move), so that old links keep working.
address_changed = Signal()
# Every state change (services.transitions.run): sender=Workflow; workflow, name (the transition), was_live
# (whether the post had a live version before it), actor (None for the scheduler).
post_transitioned = Signal()
# A live post's review announced as due (services.scheduler.flag_rereviews_due): sender=Workflow; workflow.
review_lapsed = Signal()
