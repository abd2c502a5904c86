"""A post's timeline on the editor page: failed signing attempts are for administrators, not the writer or publisher."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from review import services
from review.states import State
from tests import factories


@pytest.fixture
def failed_attempt(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.revision_sign(post, user=reviewer, password="not the password", attested=True)
    return post


@pytest.mark.parametrize("role", ["author", "publisher"])
def test_timeline_hides_failed_signing_attempts_from_writers_and_publishers(client, failed_attempt, role, request):
    client.force_login(request.getfixturevalue(role))

    html = client.get(reverse("editor:post", args=[failed_attempt.pk])).content.decode()

    assert "submitted it for review" in html
    assert "tried to sign with a wrong password" not in html


def test_timeline_shows_failed_signing_attempts_to_administrators(client, failed_attempt):
    admin = factories.make_publisher("chief")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    html = client.get(reverse("editor:post", args=[failed_attempt.pk])).content.decode()

    assert "tried to sign with a wrong password" in html
