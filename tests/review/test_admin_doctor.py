"""The administrator's "Add a doctor" form and the review policy page (issue 17.18)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from review import roles, rules
from review.models import ReviewerProfile, ReviewPolicy
from tests import factories

pytestmark = pytest.mark.django_db

ADD = "/admin/review/reviewerprofile/add/"


def doctor(**overrides):
    return {
        "account": "", "username": "drlim", "first_name": "Wei", "last_name": "Lim", "email": "lim@clinic.example",
        "password": "a long enough pass phrase 42", "honorific": "Dr.", "display_name": "Lim Wei",
        "credentials": "MBBS (Singapore)", "registration_number": "M77777Z", "registering_body": "Singapore Medical Council",
        "verified_until": (timezone.localdate() + timedelta(days=300)).isoformat(), "specialty": "Dermatology",
        "bio": "", "slug": "lim-wei", "meaning": "medical", **overrides,
    }


def test_add_a_doctor_creates_the_account_group_and_profile_in_one_form(admin_client):
    page = admin_client.get(ADD).content.decode()
    assert "Add a doctor" in page

    response = admin_client.post(ADD, doctor())

    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="drlim")
    assert user.check_password("a long enough pass phrase 42")
    assert list(user.groups.values_list("name", flat=True)) == [roles.REVIEWER]
    assert user.reviewer_profile.registration_number == "M77777Z"
    assert rules.is_reviewer(get_user_model().objects.get(pk=user.pk))


def test_add_a_doctor_to_an_existing_account(admin_client):
    existing = factories.make_author(username="writer_md")
    response = admin_client.post(ADD, doctor(account=existing.pk, username="", email="", password=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ReviewerProfile.objects.get(user=existing).display_name == "Lim Wei"
    assert set(existing.groups.values_list("name", flat=True)) == {roles.AUTHOR, roles.REVIEWER}


def test_add_a_doctor_refuses_a_registration_number_already_used(admin_client, reviewer):
    taken = reviewer.reviewer_profile.registration_number
    response = admin_client.post(ADD, doctor(registration_number=taken))
    assert response.status_code == 200
    assert "Another reviewer profile already has this registration number." in response.content.decode()
    assert not get_user_model().objects.filter(username="drlim").exists()


def test_add_a_doctor_requires_verified_until(admin_client):
    response = admin_client.post(ADD, doctor(verified_until=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.filter(username="drlim").exists()


def test_add_a_doctor_offers_only_accounts_without_a_profile(admin_client, reviewer, author):
    page = admin_client.get(ADD).content.decode()
    assert f'value="{author.pk}"' in page
    assert f'value="{reviewer.pk}"' not in page


def test_policy_page_shows_the_values_in_force(admin_client, settings):
    settings.REVIEW_POLICY = {"REQUIRED_SIGNOFFS": {"medical": 1}, "REREVIEW_DAYS": 365}
    ReviewPolicy.objects.create(rereview_days=180)
    policy = ReviewPolicy.objects.get()
    page = admin_client.get(f"/admin/review/reviewpolicy/{policy.pk}/change/").content.decode()
    assert "In force now" in page
    assert "1 × Medical accuracy review" in page
    assert "<strong>180 days</strong>" in page
    assert "Blank keeps the default: 365 days." in page
