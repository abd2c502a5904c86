"""What the public pages keep in the cache is named by `public_generation()`: every change of something they
show, made through the application, names a new one; signing in does not."""

import pytest

from review import services
from review.models import ReviewPolicy
from review.selectors import public_generation
from review.states import State
from tests import factories
from tests.factories import PASSWORD


@pytest.mark.parametrize("change", ["unpublish", "re-review", "policy", "reviewer profile", "author name"])
def test_public_generation_changes_with_what_public_pages_show(post_in, reviewer, second_reviewer, publisher, change):
    post = post_in(State.PUBLISHED)
    if change == "re-review":
        factories.let_reviews_lapse()
        services.flag_rereviews_due()  # renewal waits until the review is due
    before = public_generation()
    if change == "unpublish":
        services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")
    elif change == "re-review":
        services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    elif change == "policy":
        ReviewPolicy.objects.create(rereview_days=30)
    elif change == "reviewer profile":
        profile = reviewer.reviewer_profile
        profile.honorific = "A/Prof."
        profile.save()
    else:
        post.author.first_name = "Mei"
        post.author.save()
    assert public_generation() != before


def test_public_generation_stays_when_someone_signs_in(client, author):
    before = public_generation()
    # Through the real login form: django-axes checks every sign-in against its request.
    response = client.post("/accounts/login/", {"username": author.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert public_generation() == before
