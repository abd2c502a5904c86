"""The review policy the public pages print from is read once and kept in Django's cache, and a change of it
is shown at once."""

from dataclasses import asdict

from django.contrib.admin.sites import site

from review.models import ReviewPolicy
from review.selectors import POLICY_CACHE_KEY, display_policy


def test_display_policy_is_read_once_then_kept_in_the_cache(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = display_policy()
    with django_assert_num_queries(0):
        assert display_policy() == first


def test_display_policy_saved_is_shown_at_once(db, settings):
    assert display_policy().rereview_days == settings.REVIEW_POLICY["REREVIEW_DAYS"]
    policy = ReviewPolicy.objects.create(rereview_days=30)
    assert display_policy().rereview_days == 30
    policy.rereview_days = 90
    policy.save()
    assert display_policy().rereview_days == 90
    policy.delete()
    assert display_policy().rereview_days == settings.REVIEW_POLICY["REREVIEW_DAYS"]


def test_display_policy_kept_from_before_a_commit_is_dropped_after_it(db, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    old = display_policy()
    with django_capture_on_commit_callbacks(execute=True):
        ReviewPolicy.objects.create(rereview_days=30)
        cache.set(POLICY_CACHE_KEY, asdict(old))  # another request read the old row before the change committed
    assert display_policy().rereview_days == 30


def test_display_policy_follows_the_settings(db, settings):
    display_policy()
    settings.REVIEW_POLICY = {**settings.REVIEW_POLICY, "REREVIEW_DAYS": 7}
    assert display_policy().rereview_days == 7


def test_display_policy_changed_in_the_admin_is_shown_at_once(admin_client):
    assert site.is_registered(ReviewPolicy)
    display_policy()
    response = admin_client.post("/admin/review/reviewpolicy/add/", {
        "medical_signoffs": "", "compliance_signoffs": "", "rereview_days": "45", "checklist": ""})
    assert response.status_code == 302
    assert display_policy().rereview_days == 45
