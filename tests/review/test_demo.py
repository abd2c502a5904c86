"""`manage.py demo`: users in every role and sample posts in every state, idempotent."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from content.models import Post
from review import audit
from review.models import Signature, Workflow
from review.states import State


def test_demo_creates_users_and_posts_in_every_state_and_is_idempotent(db):
    call_command("demo", password="demo-pass-1")
    call_command("demo", password="demo-pass-1")
    User = get_user_model()
    assert {"author", "reviewer", "publisher", "admin"} <= set(User.objects.values_list("username", flat=True))
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.check_password("demo-pass-1")
    assert reviewer.reviewer_profile.printed_name == "Dr. Ian Tan"
    assert set(Workflow.objects.values_list("state", flat=True)) == set(State)
    assert Post.objects.count() == len(set(Post.objects.values_list("slug", flat=True))) == 7
    published = Post.objects.published().get(workflow__state=State.PUBLISHED)
    assert [s.is_valid for s in Signature.objects.filter(revision=published.live_revision)] == [True]
    assert audit.verify().ok
