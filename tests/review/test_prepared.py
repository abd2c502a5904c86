"""A prepared read gives what its queryset gives, for whatever values it is called with, in one query;
`count_each` gives what `.count()` gives for each queryset, in one query."""

import pytest

from content.models import Revision
from review.prepared import Prepared, count_each
from tests.factories import make_author, make_post

revisions_titled = Prepared(
    lambda title: Revision.objects.filter(title=title).select_related("post__author").order_by("pk"), arity=1)


@pytest.fixture
def posts(db):
    author = make_author("writer")
    return [make_post(author=author, title=title) for title in ("Sun care", "Acne", "Sun care")]


def test_prepared_returns_what_the_queryset_returns(posts):
    expected = list(Revision.objects.filter(title="Sun care").order_by("pk"))

    found = revisions_titled("Sun care")

    assert [(r.pk, r.title, r.content_hash) for r in found] == [(r.pk, r.title, r.content_hash) for r in expected]
    assert len(found) == 2


def test_prepared_uses_each_calls_values(posts):
    assert [r.post.slug for r in revisions_titled("Acne")] == [posts[1].slug]
    assert revisions_titled("No such title") == []
    assert len(revisions_titled("Sun care")) == 2


def test_prepared_loads_related_objects_in_the_same_query(posts, django_assert_num_queries):
    revisions_titled("Acne")  # compiled on first use

    with django_assert_num_queries(1):
        [revision] = revisions_titled("Acne")
        assert revision.post.author.username == "writer"


def test_prepared_refuses_a_value_that_does_not_reach_the_sql(db):
    ignores_its_value = Prepared(lambda title: Revision.objects.filter(title="fixed"), arity=1)

    with pytest.raises(ValueError):
        ignores_its_value("anything")


def test_count_each_counts_every_queryset_in_one_query(posts, django_assert_num_queries):
    querysets = {
        "sun care": Revision.objects.filter(title="Sun care"),
        "by writer": Revision.objects.filter(post__author__username="writer").exclude(title="Acne"),
        "none": Revision.objects.filter(title="No such title"),
        "sliced": Revision.objects.order_by("pk")[:1],
    }

    with django_assert_num_queries(1):
        found = count_each(querysets)

    assert found == {"sun care": 2, "by writer": 2, "none": 0, "sliced": 1}
    assert found == {name: queryset.count() for name, queryset in querysets.items()}
