"""A doctor's identity cannot be handed to someone else (issue 16, holes 5 and 6): a profile's account is fixed
once it has signed; changes of a reviewer's identity and passwords set by someone else are audit events; after
someone else sets a reviewer's password they must choose their own before signing; the audit pack names the
account that made each signature; the review line links to the reviewer the signature sealed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from review import audit, audit_pack, services
from review.models import AuditEvent, ReviewerProfile, Signature
from review.services.errors import SigningRefused
from review.states import State
from tests.factories import make_author, make_reviewer

NEW_PASSWORD = "a brand new pass phrase 42"


@pytest.fixture
def signed(post_in):
    return post_in(State.PUBLISHED)


def test_reviewer_profile_account_cannot_change_once_it_has_signed(signed, reviewer):
    profile = ReviewerProfile.objects.get(user=reviewer)
    profile.user = make_author("impostor")
    with pytest.raises(ValidationError):
        profile.save()
    assert ReviewerProfile.objects.get(pk=profile.pk).user_id == reviewer.pk
    assert not AuditEvent.objects.filter(action="reviewer_changed").exists()


def test_reviewer_profile_account_is_read_only_in_the_admin_once_it_has_signed(admin_client, signed, reviewer):
    page = admin_client.get(f"/admin/review/reviewerprofile/{reviewer.reviewer_profile.pk}/change/").content.decode()
    assert 'name="user"' not in page


def test_reviewer_profile_account_of_a_reviewer_who_never_signed_may_change(db):
    reviewer = make_reviewer("new-doctor")
    profile = reviewer.reviewer_profile
    profile.user = make_author("right-account")
    profile.save()
    event = AuditEvent.objects.get(action="reviewer_changed")
    assert event.detail["changes"]["user_id"] == [reviewer.pk, profile.user_id]


def reviewer_form(profile, **changes):
    data = {field: getattr(profile, field) for field in (
        "honorific", "display_name", "credentials", "registration_number", "registering_body", "specialty", "bio",
        "slug", "meaning")}
    data.update({"user": profile.user_id, "verified_until": profile.verified_until.isoformat(), "is_active": "on"})
    data.update(changes)
    return data


@pytest.mark.parametrize("field, value", [
    ("display_name", "Someone Else"), ("credentials", "FRCP (London)"), ("registration_number", "M99999Z"),
])
def test_reviewer_identity_change_in_the_admin_is_an_audit_event(admin_client, admin_user, signed, reviewer,
                                                                 field, value):
    profile = reviewer.reviewer_profile
    before = getattr(profile, field)
    response = admin_client.post(f"/admin/review/reviewerprofile/{profile.pk}/change/",
                                 reviewer_form(profile, **{field: value}))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="reviewer_changed")
    assert (event.actor_id, event.detail) == (admin_user.pk, {"profile_id": profile.pk,
                                                              "changes": {field: [before, value]}})
    assert audit.verify().ok


def test_password_set_by_an_administrator_is_audited_and_stops_signing(client, admin_client, admin_user, post_in,
                                                                       reviewer):
    response = admin_client.post(f"/admin/auth/user/{reviewer.pk}/password/",
                                 {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="password_set_by_other")
    assert (event.actor_id, event.detail["account_id"]) == (admin_user.pk, reviewer.pk)

    post = post_in(State.IN_REVIEW)
    with pytest.raises(SigningRefused, match="Someone else set your password"):
        services.revision_sign(post, user=reviewer, password=NEW_PASSWORD, attested=True)
    reviewer.refresh_from_db()  # its new password, which the session is bound to
    client.force_login(reviewer)
    page = client.get(f"/review/posts/{post.pk}/").content.decode()
    assert "Someone else set your password" in page and 'href="/accounts/password-change/"' in page

    response = client.post("/accounts/password-change/", {
        "old_password": NEW_PASSWORD, "new_password1": "only I know this one 7", "new_password2": "only I know this one 7"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_set_by_owner", actor=reviewer).exists()
    reviewer.refresh_from_db()
    services.revision_sign(post, user=reviewer, password="only I know this one 7", attested=True)
    assert Signature.objects.filter(revision=post.current_revision, signer=reviewer).exists()


def test_password_set_by_the_changepassword_command_is_audited_and_stops_signing(post_in, reviewer, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "reviewer", stdout=None)
    event = AuditEvent.objects.get(action="password_set_by_other")
    assert (event.actor_id, event.detail["how"]) == (None, "command line or script")
    with pytest.raises(SigningRefused):
        services.revision_sign(post_in(State.IN_REVIEW), user=reviewer, password=NEW_PASSWORD, attested=True)


def test_password_set_by_a_script_is_audited(reviewer):
    account = get_user_model().objects.get(pk=reviewer.pk)
    account.set_password(NEW_PASSWORD)
    account.save()
    assert AuditEvent.objects.get(action="password_set_by_other").detail["account_id"] == reviewer.pk


def test_audit_pack_names_the_account_that_made_each_signature(signed, reviewer):
    pack = audit_pack.build(signed)
    assert [(s["account"], s["account_id"], s["account_sealed"]) for s in pack["signatures"]] == [
        ("reviewer", reviewer.pk, True)]
    assert f"reviewer (#{reviewer.pk})" in audit_pack.render_html(pack)


def test_signer_record_is_sealed_in_the_signature(signed, reviewer):
    signature = Signature.objects.get(revision=signed.live_revision)
    assert signature.details["signer"] == {"account_id": reviewer.pk, "username": "reviewer",
                                           "reviewer_id": reviewer.reviewer_profile.pk,
                                           "reviewer_slug": reviewer.reviewer_profile.slug}


def test_review_line_links_the_sealed_reviewer_not_the_profile_field(client, signed, reviewer):
    sealed_slug = reviewer.reviewer_profile.slug
    ReviewerProfile.objects.filter(pk=reviewer.reviewer_profile.pk).update(slug="someone-else")
    page = client.get(f"/blog/{signed.slug}/").content.decode()
    assert f'href="/reviewers/{sealed_slug}/"' in page
    assert 'href="/reviewers/someone-else/"' not in page


def test_signature_moved_to_another_reviewer_behind_the_application_is_not_public(client, signed, reviewer,
                                                                                    second_reviewer):
    from tests.public.test_tampering import assert_not_public, tamper

    tamper(Signature, Signature.objects.get(revision=signed.live_revision).pk,
           reviewer_id=second_reviewer.reviewer_profile.pk)
    assert_not_public(client, signed, second_reviewer)


def test_reviewer_slug_change_keeps_old_links_working(client, signed, reviewer):
    profile = reviewer.reviewer_profile
    old = profile.slug
    profile.slug = "ian-tan"
    profile.save()
    response = client.get(f"/reviewers/{old}/")
    assert (response.status_code, response["Location"]) == (301, "/reviewers/ian-tan/")
    page = client.get(f"/blog/{signed.slug}/").content.decode()
    assert f'href="/reviewers/{old}/"' in page  # as signed; it leads to the page above
    assert AuditEvent.objects.get(action="reviewer_changed").detail["changes"] == {"slug": [old, "ian-tan"]}


def test_reviewer_profile_account_is_fixed_by_the_database_too(signed, reviewer):
    from django.db import DatabaseError, transaction

    impostor = make_author("impostor")
    with pytest.raises(DatabaseError, match="keeps its account"), transaction.atomic():
        ReviewerProfile.objects.filter(pk=reviewer.reviewer_profile.pk).update(user=impostor)
    assert ReviewerProfile.objects.get(pk=reviewer.reviewer_profile.pk).user_id == reviewer.pk


# --- whether a reviewer must choose their own password: on their profile, kept by review.identity


def test_reviewer_profile_says_who_set_the_password_last(reviewer):
    assert not ReviewerProfile.objects.get(user=reviewer).password_set_by_other
    reviewer.set_password(NEW_PASSWORD)  # a script: someone else
    reviewer.save()
    assert ReviewerProfile.objects.get(user=reviewer).password_set_by_other
    assert reviewer.reviewer_profile.password_set_by_other  # the account in hand says so too


def test_reviewer_profile_saved_from_an_old_copy_keeps_the_password_flag(reviewer):
    stale = ReviewerProfile.objects.get(user=reviewer)
    account = get_user_model().objects.get(pk=reviewer.pk)
    account.set_password(NEW_PASSWORD)
    account.save()
    stale.bio = "Dermatologist."  # an administrator's edit, of a copy loaded before the password was set
    stale.save()
    assert ReviewerProfile.objects.get(user=reviewer).password_set_by_other


def test_reviewer_profile_given_another_account_says_what_that_accounts_passwords_say(reviewer):
    other = make_author("locum")
    other.set_password(NEW_PASSWORD)  # no profile yet: nothing to say
    other.save()
    profile = ReviewerProfile.objects.get(user=reviewer)
    reviewer.set_password(NEW_PASSWORD)
    reviewer.save()
    profile.refresh_from_db()
    assert profile.password_set_by_other
    profile.user = other
    profile.save()
    assert not ReviewerProfile.objects.get(pk=profile.pk).password_set_by_other


@pytest.mark.django_db(transaction=True)
def test_migration_takes_the_password_flag_from_the_audit_trail(reviewer, second_reviewer):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from review import identity

    reviewer.set_password(NEW_PASSWORD)  # by someone else
    reviewer.save()
    second_reviewer.set_password(NEW_PASSWORD)
    second_reviewer.save()
    audit.record(identity.PASSWORD_SET_BY_OWNER, actor=second_reviewer,
                 detail={"account_id": second_reviewer.pk, "username": "reviewer2", "how": "signed in"})
    ReviewerProfile.objects.update(password_set_by_other=False)  # as before the column existed

    executor = MigrationExecutor(connection)
    executor.migrate([("review", "0017_audit_post_action_index")])
    executor.loader.build_graph()
    executor.migrate([("review", "0018_reviewer_password_set_by_other")])

    flags = dict(ReviewerProfile.objects.values_list("user_id", "password_set_by_other"))
    assert flags == {reviewer.pk: True, second_reviewer.pk: False}
