"""Hostile requests that are not form fields: absurd numbers in the query, NUL bytes, foreign charsets."""

import pytest
from django.urls import reverse

from review.states import State

pytestmark = pytest.mark.django_db


# --- numbers no revision could have


@pytest.mark.parametrize("number", ["99999999999999999999999999", "-99999999999999999999999999", "7"])
def test_compare_with_a_revision_number_the_post_does_not_have_is_a_404(client, post_in, author, number):
    post = post_in(State.DRAFT)
    client.force_login(author)
    url = reverse("editor:post_diff", args=[post.pk])

    for query in ({"from": number, "to": 1}, {"from": 1, "to": number}):
        response = client.get(url, query)
        assert response.status_code == 404
        assert "Choose two revisions of this post to compare." in response.content.decode()
