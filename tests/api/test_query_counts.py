"""The API reads a page of articles in a fixed number of queries, however many articles it holds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from review import attestations
from review.states import State


def queries_for(api, path) -> int:
    api(path)  # the token's first use of the minute records it: one more write, not counted here
    with CaptureQueriesContext(connection) as queries:
        assert api(path).status_code == 200
    return len(queries)


def test_api_article_list_costs_the_same_for_one_article_and_three(api, post_in):
    attestations.attest(post_in(State.PUBLISHED, title="First article"))
    one = queries_for(api, "/api/v1/articles/")
    for n in range(2):
        attestations.attest(post_in(State.PUBLISHED, title=f"Article {n}"))

    assert queries_for(api, "/api/v1/articles/") == one
    assert all(a["attestation_url"] for a in api("/api/v1/articles/").json()["results"])


def test_api_draft_list_costs_the_same_for_one_draft_and_three(api, post_in, preview_token):
    post_in(State.DRAFT, title="First draft")
    one = queries_for(lambda path: api(path, token=preview_token), "/api/v1/drafts/")
    post_in(State.IN_REVIEW, title="Second draft")
    post_in(State.APPROVED, title="Third draft")

    assert queries_for(lambda path: api(path, token=preview_token), "/api/v1/drafts/") == one
