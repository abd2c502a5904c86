"""A prepared read gives what its queryset gives, for whatever values it is called with, in one query;
`PreparedCounts` gives what `.count()` gives for each queryset, in one query."""

import pytest

from content.models import Revision
from django.db.models import Exists, F, OuterRef

from review.prepared import Prepared, PreparedCounts
from tests.factories import make_author, make_post

revisions_titled = Prepared(
    lambda title: Revision.objects.filter(title=title).select_related("post__author").order_by("pk"), takes=(str,))


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
    ignores_its_value = Prepared(lambda title: Revision.objects.filter(title="fixed"), takes=(str,))

    with pytest.raises(ValueError):
        ignores_its_value("anything")


def test_prepared_counts_count_every_queryset_in_one_query(posts, django_assert_num_queries):
    querysets = {
        "sun care": Revision.objects.filter(title="Sun care"),
        "by writer": Revision.objects.filter(post__author__username="writer").exclude(title="Acne"),
        "none": Revision.objects.filter(title="No such title"),
        "sliced": Revision.objects.order_by("pk")[:1],
    }

    with django_assert_num_queries(1):
        found = PreparedCounts(lambda: querysets, takes=())()

    assert found == {"sun care": 2, "by writer": 2, "none": 0, "sliced": 1}
    assert found == {name: queryset.count() for name, queryset in querysets.items()}


def test_prepared_takes_a_number_used_several_times_and_sets_annotations(posts):
    writer = posts[0].author
    written_by = Prepared(
        lambda author_id: Revision.objects.filter(author=author_id, post__author=author_id)
        .annotate(has_twin=Exists(Revision.objects.filter(title=OuterRef("title")).exclude(pk=OuterRef("pk"))))
        .order_by("pk"),
        takes=(int,),
    )

    found = written_by(writer.pk)

    assert [(r.title, r.has_twin) for r in found] == [("Sun care", True), ("Acne", False), ("Sun care", True)]
    assert written_by(writer.pk + 1000) == []


def test_prepared_counts_count_for_any_value(posts, django_assert_num_queries):
    writer = posts[0].author
    counts_for = PreparedCounts(lambda author_id: {
        "written": Revision.objects.filter(author=author_id),
        "sun care": Revision.objects.filter(author=author_id, title="Sun care"),
    }, takes=(int,))
    counts_for(writer.pk)  # compiled on first use

    with django_assert_num_queries(1):
        assert counts_for(writer.pk) == {"written": 3, "sun care": 2}
    assert counts_for(writer.pk + 1000) == {"written": 0, "sun care": 0}


def test_prepared_refuses_a_value_hidden_inside_a_pattern(db):
    with pytest.raises(ValueError):
        Prepared(lambda title: Revision.objects.filter(title__contains=title), takes=(str,))("Sun")


def test_prepared_values_give_the_dicts_the_queryset_gives(posts):
    titles_of = Prepared(lambda author_id: Revision.objects.filter(author=author_id).order_by("pk")
                         .values("title", writer=F("post__author__username")), takes=(int,))

    assert titles_of(posts[0].author_id) == list(Revision.objects.filter(author=posts[0].author_id).order_by("pk")
                                                 .values("title", writer=F("post__author__username")))
    assert titles_of(posts[0].author_id)[1] == {"title": "Acne", "writer": "writer"}
