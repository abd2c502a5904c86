"""The project's auth backend is Django's model backend that reads a signed-in user with their reviewer profile,
and their permissions in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from config.auth import Backend
from tests import factories


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # nothing read of their permissions yet


@pytest.mark.django_db  # the users come from fixtures named at run time
@pytest.mark.parametrize("who", ["author", "reviewer", "publisher", "author_reviewer"])
def test_permissions_are_their_own_and_their_groups_read_once(request, who, django_assert_num_queries):
    user = request.getfixturevalue(who)
    user.user_permissions.add(Permission.objects.get(codename="view_logentry"))  # one of their own, not a group's
    granted = {f"{p.content_type.app_label}.{p.codename}"
               for p in Permission.objects.filter(user=user) | Permission.objects.filter(group__user=user)}
    user = _fresh(user)

    with django_assert_num_queries(1):  # their own and their groups', together
        found = user.get_all_permissions()
        assert user.has_perm("admin.view_logentry") and user.get_all_permissions() == found

    assert found == granted
    assert "admin.view_logentry" in found and len(found) > 1
    # Django's own backend answers the same.
    assert ModelBackend().get_all_permissions(_fresh(user)) == found


def test_a_permission_taken_away_counts_from_the_next_request(reviewer):
    user = _fresh(reviewer)
    assert user.has_perm("review.sign_post")
    reviewer.groups.clear()
    assert user.has_perm("review.sign_post")  # this request read them already, as Django's backend does
    assert not _fresh(reviewer).has_perm("review.sign_post")


def test_superuser_has_every_permission_and_inactive_user_none(db):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.com", factories.PASSWORD)
    gone = factories.make_author("gone")
    gone.is_active = False
    gone.save()

    assert len(Backend().get_all_permissions(_fresh(admin))) == Permission.objects.count()
    assert Backend().get_all_permissions(_fresh(gone)) == set()
    assert Backend().get_user(gone.pk) is None


def test_signed_in_user_comes_with_their_reviewer_profile(reviewer, author, django_assert_num_queries):
    name = reviewer.reviewer_profile.printed_name
    with django_assert_num_queries(1):
        signed_in = Backend().get_user(reviewer.pk)
        assert signed_in.reviewer_profile.printed_name == name
    with django_assert_num_queries(1):
        writer = Backend().get_user(author.pk)
        assert not hasattr(writer, "reviewer_profile")  # known to have none, without asking again
    assert Backend().get_user(10**9) is None
