"""What the workflow announces to the apps built on it, which it must not import (the public site).

`address_changed` is sent, inside the transaction that makes the change, when a post's or a reviewer's slug
changes: `kind` is "article" or "reviewer", with `old_slug` and `new_slug`. The public site connects it to
its moved addresses (public.redirects.record_move), so that old links keep working.
"""

from django.dispatch import Signal

address_changed = Signal()
