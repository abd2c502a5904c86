"""The project's auth backend answers as Django's model backend does, with fewer queries."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from config.auth import Backend
from tests import factories


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache yet


@pytest.mark.parametrize("who", ["author", "reviewer", "publisher", "author_reviewer"])
def test_permissions_are_those_of_djangos_model_backend(request, who, django_assert_num_queries):
    user = request.getfixturevalue(who)
    user.user_permissions.add(Permission.objects.get(codename="view_logentry"))  # one of their own, not a group's
    expected = ModelBackend().get_all_permissions(_fresh(user))
    user = _fresh(user)

    with django_assert_num_queries(1):
        found = Backend().get_all_permissions(user)
        assert user.has_perm("admin.view_logentry") and Backend().get_all_permissions(user) == found

    assert found == expected
    assert "admin.view_logentry" in found and len(found) > 1


def test_superuser_has_every_permission_and_inactive_user_none(db):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.com", factories.PASSWORD)
    gone = factories.make_author("gone")
    gone.is_active = False
    gone.save()

    assert Backend().get_all_permissions(_fresh(admin)) == ModelBackend().get_all_permissions(_fresh(admin))
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
