"""Every URL of the project × every role × the methods it answers: the exact status each must get.

The URLs come from the URLconf itself, so a view added without an expected answer here
fails `test_every_url_has_an_expected_answer` and its matrix case with "add an expected
answer for <name>". Forbidden is 403 (or, for someone not logged in, a redirect to log
in); a 500 would surface as the view's exception. Every answer carries the strict
Content-Security-Policy.

The users and posts are made once for the module inside a transaction that is rolled
back at the end; each case runs in its own savepoint (pytest-django's `db`), so a POST
that succeeds changes nothing for the next case.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from review import attestations, services
from review.models import ReviewPolicy
from review.states import State
from tests import factories

ROLES = ("anonymous", "author", "other_author", "reviewer", "author_reviewer", "publisher", "admin")

LOGIN = "302 → log in"  # a redirect to /accounts/login/?next=…
ADMIN_LOGIN = "302 → admin log in"  # the admin's own log-in page
MOVED = "302"  # a redirect anywhere but a log-in page: the usual answer to a successful POST

# Admin pages are Django's own; a few are walked explicitly rather than every ModelAdmin URL.
ADMIN_URLS = {"admin:index": "/admin/", "admin:review_signature_changelist": "/admin/review/signature/",
              "admin:review_auditevent_changelist": "/admin/review/auditevent/"}


def url_names(resolver=None, prefix="") -> list[str]:
    """Every named URL pattern of the project, namespaced; the admin include is left out."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            # Unnamed patterns (such as static() serving media in development) are keyed by their route.
            names.append(prefix + (pattern.name or f"{UNNAMED}{pattern.pattern}"))
    return names


UNNAMED = "unnamed:"
MEDIA_PATTERN = f"{UNNAMED}^media/(?P<path>.*)$"


def path_for(name: str, kwargs: dict) -> str:
    from django.urls import reverse

    if name.startswith(UNNAMED):
        return kwargs["path"]
    return ADMIN_URLS.get(name) or reverse(name, kwargs=kwargs)


def answers(default, **by_role) -> dict:
    """The status for every role: `default` for the logged-in ones, LOGIN for anonymous unless given."""
    expected = {role: default for role in ROLES}
    expected["anonymous"] = LOGIN
    expected.update(by_role)
    return expected


def public(status) -> dict:
    return {role: status for role in ROLES}


@dataclass(frozen=True)
class Case:
    method: str
    expect: dict
    label: str = ""
    kwargs: Callable = lambda world, role: {}
    data: Callable = lambda world, role: {}


def post_pk(state, *, owned=True, missing=False):
    """The URL kwargs of a post in `state`: the author_reviewer gets the twin they wrote themselves."""

    def kwargs(world, role):
        if missing:
            return {"pk": 999_999}
        return {"pk": world.post(state, role if owned else "author").pk}

    return kwargs


def action_kwargs(state, action):
    def kwargs(world, role):
        return {"pk": world.post(state, role).pk, "action": action}

    return kwargs


def comment_kwargs(world, role):
    post = world.post(State.IN_REVIEW, role)
    return {"pk": post.pk, "comment_pk": world.comments[post.pk].pk}


def edit_data(state):
    def data(world, role):
        post = world.post(state, role)
        return {"title": "Aftercare, revised", "summary": "Revised.", "body": "A revised body.", "slug": "",
                "base_revision": post.current_revision_id, "action": "save"}

    return data


def decision_data(state, **extra):
    def data(world, role):
        post = world.post(state, role)
        return {"expected_state": post.workflow.state, "expected_revision": post.current_revision_id, **extra}

    return data


def sign_data(state):
    def data(world, role):
        return {**decision_data(state)(world, role), "password": factories.PASSWORD, "attest": "on",
                "checklist": list(ReviewPolicy.current().checklist)}

    return data


def tiny_png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile("handpiece.png", buffer.getvalue(), content_type="image/png")


EDITORS_ONLY = {"reviewer": 403}
OWN_POST = {"other_author": 403}
NEW_POST = {"title": "A new post", "summary": "New.", "body": "Plain words.", "slug": "", "action": "save"}

EXPECTED: dict[str, list[Case]] = {
    "login": [
        Case("GET", public(200)),
        Case("POST", public(MOVED), "valid credentials",
             data=lambda world, role: {"username": "m-author", "password": factories.PASSWORD}),
        Case("POST", public(200), "wrong password: the form again",
             data=lambda world, role: {"username": "m-author", "password": "wrong"}),
    ],
    "logout": [Case("GET", public(405)), Case("POST", public(LOGIN))],
    "password_reset": [
        Case("GET", public(200)),
        Case("POST", public(MOVED), "any address: the same answer, whether an account uses it or not",
             data=lambda world, role: {"email": "m-author@example.com"}),
    ],
    "password_reset_done": [Case("GET", public(200))],
    "password_reset_confirm": [Case("GET", public(200), "a link that does not work says so",
                                    kwargs=lambda world, role: {"uidb64": "MQ", "token": "not-a-token"})],
    "password_reset_complete": [Case("GET", public(200))],
    "favicon": [Case("GET", public(301))],
    "password_change": [
        Case("GET", answers(200)),
        Case("POST", answers(200), "a wrong old password: the form again, saying so",
             data=lambda world, role: {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}),
    ],
    "password_change_done": [Case("GET", answers(200))],
    "admin:index": [
        Case("GET", answers(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, admin=200)),
    ],
    "admin:review_signature_changelist": [Case("GET", answers(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, admin=200))],
    "admin:review_auditevent_changelist": [Case("GET", answers(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, admin=200))],
    # --- the editor
    "editor:dashboard": [Case("GET", answers(200, **EDITORS_ONLY)), Case("POST", answers(405))],
    "editor:post_create": [
        Case("GET", answers(200, **EDITORS_ONLY)),
        Case("POST", answers(MOVED, **EDITORS_ONLY), "valid", data=lambda world, role: NEW_POST),
        Case("POST", answers(400, **EDITORS_ONLY), "no title", data=lambda world, role: {**NEW_POST, "title": ""}),
        Case("POST", answers(400, **EDITORS_ONLY), "slug taken",
             data=lambda world, role: {**NEW_POST, "slug": world.post(State.DRAFT, "author").slug}),
    ],
    "editor:preview": [
        Case("GET", answers(405)),
        Case("POST", answers(200, **EDITORS_ONLY), data=lambda world, role: {"body": "**Bold** words."}),
    ],
    "editor:image_upload": [
        Case("GET", answers(200, **EDITORS_ONLY)),
        # A refused upload only: a valid one would write into the real MEDIA_ROOT.
        Case("POST", answers(400, **EDITORS_ONLY), "no file", data=lambda world, role: {"alt": "A handpiece"}),
    ],
    "editor:image_upload": [
        Case("GET", answers(200, **EDITORS_ONLY)),
        Case("POST", answers(201, **EDITORS_ONLY), "a picture with alt text", data=lambda world, role: {
            "file": tiny_png(), "alt": "A laser handpiece on a white table"}),
        Case("POST", answers(400, **EDITORS_ONLY), "no picture", data=lambda world, role: {"alt": "Alt"}),
    ],
    "editor:image_status": [
        Case("GET", answers(404, **EDITORS_ONLY), "no such picture", kwargs=lambda world, role: {"pk": 999_999}),
        Case("POST", answers(405), kwargs=lambda world, role: {"pk": 999_999}),
    ],
    "editor:post": [
        # A reviewer sees a post only once it has been submitted (a draft is the writer's own).
        Case("GET", answers(200, **OWN_POST, reviewer=403), "draft", kwargs=post_pk(State.DRAFT)),
        Case("GET", answers(200, **OWN_POST), "published", kwargs=post_pk(State.PUBLISHED)),
        Case("GET", answers(404), "no such post", kwargs=post_pk(State.DRAFT, missing=True)),
        Case("POST", answers(405), kwargs=post_pk(State.DRAFT)),
    ],
    "editor:post_edit": [
        Case("GET", answers(200, other_author=403, reviewer=403), "draft", kwargs=post_pk(State.DRAFT)),
        # A frozen post sends its writers to the post's page with the reason; others may never edit.
        Case("GET", answers(MOVED, other_author=403, reviewer=403), "in review", kwargs=post_pk(State.IN_REVIEW)),
        Case("GET", answers(404), "no such post", kwargs=post_pk(State.DRAFT, missing=True)),
        Case("POST", answers(MOVED, other_author=403, reviewer=403), "draft",
             kwargs=post_pk(State.DRAFT), data=edit_data(State.DRAFT)),
        Case("POST", answers(MOVED, other_author=403, reviewer=403), "published: a new working draft",
             kwargs=post_pk(State.PUBLISHED), data=edit_data(State.PUBLISHED)),
        Case("POST", answers(400, other_author=403, reviewer=403), "in review is frozen",
             kwargs=post_pk(State.IN_REVIEW), data=edit_data(State.IN_REVIEW)),
        Case("POST", answers(409, other_author=403, reviewer=403), "stale base revision",
             kwargs=post_pk(State.DRAFT),
             data=lambda world, role: {**edit_data(State.DRAFT)(world, role), "base_revision": world.post(State.PUBLISHED).current_revision_id}),
    ],
    "editor:post_diff": [
        Case("GET", answers(200, **OWN_POST), kwargs=post_pk(State.PUBLISHED)),
        Case("GET", answers(404), "no such post", kwargs=post_pk(State.DRAFT, missing=True)),
        Case("POST", answers(405), kwargs=post_pk(State.PUBLISHED)),
    ],
    "editor:post_action": [
        Case("GET", answers(405), kwargs=action_kwargs(State.DRAFT, "submit")),
        Case("POST", answers(MOVED, other_author=403, reviewer=403), "submit a draft",
             kwargs=action_kwargs(State.DRAFT, "submit")),
        Case("POST", answers(400, other_author=403, reviewer=403), "publish a draft: refused for its state",
             kwargs=action_kwargs(State.DRAFT, "publish")),
        Case("POST", answers(403, publisher=MOVED, admin=MOVED), "publish an approved post",
             kwargs=action_kwargs(State.APPROVED, "publish")),
        Case("POST", answers(409, other_author=403, reviewer=403), "submit, but the page was stale",
             kwargs=action_kwargs(State.DRAFT, "submit"), data=lambda world, role: {"expected_state": "approved"}),
        Case("POST", answers(404), "no such action", kwargs=action_kwargs(State.DRAFT, "explode")),
    ],
    # Answering a comment: whoever may comment on the post (its writers, publishers, and reviewers while it is theirs).
    "editor:comment_reply": [
        Case("GET", answers(405), kwargs=comment_kwargs),
        Case("POST", answers(MOVED, other_author=403), kwargs=comment_kwargs,
             data=lambda world, role: {f"reply-{comment_kwargs(world, role)['comment_pk']}-body": "Source added."}),
        Case("POST", answers(400, other_author=403), "empty", kwargs=comment_kwargs),
        Case("POST", answers(404, other_author=403), "no such comment",
             kwargs=lambda world, role: {"pk": world.post(State.IN_REVIEW, role).pk, "comment_pk": 999_999}),
    ],
    "editor:comment_resolve": [
        Case("GET", answers(405), kwargs=comment_kwargs),
        Case("POST", answers(MOVED, other_author=403), kwargs=comment_kwargs),
    ],
    "editor:set_due_date": [
        Case("GET", answers(405), kwargs=post_pk(State.IN_REVIEW)),
        Case("POST", answers(403, publisher=MOVED, admin=MOVED), kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"due_date": "2099-01-31", "expected_state": State.IN_REVIEW}),
        Case("POST", answers(403, publisher=400, admin=400), "not a date", kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"due_date": "soon"}),
    ],
    # --- the review app
    "review:queue": [
        Case("GET", answers(403, reviewer=200, author_reviewer=200)),
        Case("POST", answers(405)),
    ],
    "review:post": [
        Case("GET", answers(200, author=403, other_author=403), "in review", kwargs=post_pk(State.IN_REVIEW)),
        Case("GET", answers(200, author=403, other_author=403), "published", kwargs=post_pk(State.PUBLISHED)),
        Case("GET", answers(404), "no such post", kwargs=post_pk(State.IN_REVIEW, missing=True)),
        Case("POST", answers(405), kwargs=post_pk(State.IN_REVIEW)),
    ],
    "review:audit_pack": [
        Case("GET", answers(200, author=403, other_author=403), "in review", kwargs=post_pk(State.IN_REVIEW)),
        Case("GET", answers(200, author=403, other_author=403), "published", kwargs=post_pk(State.PUBLISHED)),
        Case("GET", answers(404), "no such post", kwargs=post_pk(State.IN_REVIEW, missing=True)),
        Case("POST", answers(405), kwargs=post_pk(State.IN_REVIEW)),
    ],
    "review:sign": [
        Case("GET", answers(405), kwargs=post_pk(State.IN_REVIEW)),
        # Nobody signs their own post: the author who reviews is refused on the post they wrote.
        Case("POST", answers(403, reviewer=MOVED), "in review", kwargs=post_pk(State.IN_REVIEW),
             data=sign_data(State.IN_REVIEW)),
        Case("POST", answers(403, reviewer=400, author_reviewer=400), "a draft: refused for its state",
             kwargs=post_pk(State.DRAFT), data=sign_data(State.DRAFT)),
        Case("POST", answers(403, reviewer=409, author_reviewer=409), "the page was stale", kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {**sign_data(State.IN_REVIEW)(world, role), "expected_state": "draft"}),
    ],
    "review:request_changes": [
        Case("GET", answers(405), kwargs=post_pk(State.IN_REVIEW)),
        Case("POST", answers(403, reviewer=MOVED), "in review", kwargs=post_pk(State.IN_REVIEW),
             data=decision_data(State.IN_REVIEW, comment="Please cite a source.")),
        Case("POST", answers(403, reviewer=400, author_reviewer=400), "a draft: refused for its state",
             kwargs=post_pk(State.DRAFT), data=decision_data(State.DRAFT, comment="Please cite a source.")),
    ],
    "review:comment": [
        Case("GET", answers(405, author=405, other_author=405), kwargs=post_pk(State.IN_REVIEW)),
        Case("POST", answers(MOVED, author=403, other_author=403), kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"body": "Is there a source for this?"}),
        Case("POST", answers(400, author=403, other_author=403), "empty", kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"body": ""}),
    ],
    "review:resolve": [
        Case("GET", answers(405), kwargs=comment_kwargs),
        Case("POST", answers(MOVED, author=403, other_author=403), kwargs=comment_kwargs),
        Case("POST", answers(404, author=403, other_author=403), "no such comment",
             kwargs=lambda world, role: {"pk": world.post(State.IN_REVIEW, role).pk, "comment_pk": 999_999}),
    ],
    "review:claim": [
        Case("GET", answers(405), kwargs=post_pk(State.IN_REVIEW)),
        Case("POST", answers(403, reviewer=MOVED), kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"expected_state": State.IN_REVIEW}),
        Case("POST", answers(403, reviewer=400, author_reviewer=400), "a draft: refused for its state",
             kwargs=post_pk(State.DRAFT)),
    ],
    "review:assign": [
        Case("GET", answers(405), kwargs=post_pk(State.IN_REVIEW)),
        Case("POST", answers(403, publisher=MOVED, admin=MOVED), kwargs=post_pk(State.IN_REVIEW),
             data=lambda world, role: {"reviewer": world.users["reviewer"].pk, "expected_state": State.IN_REVIEW}),
        Case("POST", answers(403, publisher=400, admin=400), "no reviewer chosen", kwargs=post_pk(State.IN_REVIEW)),
    ],
    # Uploaded pictures, served by Django only in development (DEBUG): nothing outside MEDIA_ROOT.
    MEDIA_PATTERN: [
        Case("GET", public(404), "no such file", kwargs=lambda world, role: {"path": "/media/missing.png"}),
        Case("GET", public(400), "no way out of the folder",
             kwargs=lambda world, role: {"path": "/media/..%2f..%2fconfig%2fsettings.py"}),
    ],
    # --- the public site: the same for everyone
    "public:home": [Case("GET", public(MOVED))],
    "public:index": [Case("GET", public(200)), Case("POST", public(405))],
    "public:feed": [Case("GET", public(200)), Case("POST", public(405))],
    "public:article": [
        Case("GET", public(200), "published", kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
        Case("GET", public(404), "a draft is not public",
             kwargs=lambda world, role: {"slug": world.post(State.DRAFT).slug}),
        Case("GET", public(404), "approved but not yet published",
             kwargs=lambda world, role: {"slug": world.post(State.APPROVED).slug}),
        Case("GET", public(404), "archived", kwargs=lambda world, role: {"slug": world.post(State.ARCHIVED).slug}),
        Case("POST", public(405), kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
    ],
    "public:reviewer": [
        Case("GET", public(200), kwargs=lambda world, role: {"slug": world.users["reviewer"].reviewer_profile.slug}),
        Case("GET", public(404), "no such reviewer", kwargs=lambda world, role: {"slug": "nobody"}),
        Case("POST", public(405), kwargs=lambda world, role: {"slug": world.users["reviewer"].reviewer_profile.slug}),
    ],
    "public:editorial_policy": [Case("GET", public(200)), Case("POST", public(405))],
    "public:sitemap": [Case("GET", public(200)), Case("POST", public(405))],
    "public:sitemap_section": [
        Case("GET", public(200), "articles", kwargs=lambda world, role: {"section": "articles"}),
        Case("GET", public(404), "no such section", kwargs=lambda world, role: {"section": "nothing"}),
        Case("POST", public(405), kwargs=lambda world, role: {"section": "articles"}),
    ],
    "public:robots": [Case("GET", public(200)), Case("POST", public(405))],
    # --- checking a review: documents and a page, the same for everyone
    "public:review_verification": [
        Case("GET", public(200), "attested", kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
        Case("GET", public(404), "never attested", kwargs=lambda world, role: {"slug": world.post(State.DRAFT).slug}),
        Case("POST", public(405), kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
    ],
    "public:article_attestation": [
        Case("GET", public(200), "attested", kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
        Case("GET", public(404), "never attested", kwargs=lambda world, role: {"slug": world.post(State.DRAFT).slug}),
        Case("POST", public(405), kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug}),
    ],
    "public:attestation": [
        Case("GET", public(200), "known", kwargs=lambda world, role: {"uid": world.attestation.uid}),
        Case("GET", public(404), "unknown", kwargs=lambda world, role: {"uid": "00000000-0000-0000-0000-000000000000"}),
        Case("POST", public(405), kwargs=lambda world, role: {"uid": world.attestation.uid}),
    ],
    "public:attestation_keys": [Case("GET", public(200)), Case("POST", public(405))],
    "public:attestation_status": [Case("GET", public(200)), Case("POST", public(405))],
    "public:newest_checkpoint": [Case("GET", public(404), "none in this test's storage"), Case("POST", public(405))],
    "public:verifier": [Case("GET", public(200)), Case("POST", public(405))],
    # --- the JSON API: a bearer token, never a session, opens it (tests/api/test_permission_matrix.py walks the
    # token scopes); its schema and documentation are open to anyone.
    "api:articles": [Case("GET", public(401)), Case("POST", public(401))],
    "api:article": [Case("GET", public(401), kwargs=lambda world, role: {"slug": world.post(State.PUBLISHED).slug})],
    "api:reviewers": [Case("GET", public(401))],
    "api:reviewer": [Case("GET", public(401),
                          kwargs=lambda world, role: {"slug": world.users["reviewer"].reviewer_profile.slug})],
    "api:drafts": [Case("GET", public(401))],
    "api:draft": [Case("GET", public(401), kwargs=lambda world, role: {"slug": world.post(State.DRAFT).slug})],
    "api:schema": [Case("GET", public(200)), Case("POST", public(405))],
    "api:docs": [Case("GET", public(200)), Case("POST", public(405))],
    # --- the webhook delivery log: publishers (and administrators) only
    "webhooks:log": [
        Case("GET", answers(403, publisher=200, admin=200)),
        Case("POST", public(405)),
    ],
    "webhooks:send_again": [
        Case("GET", public(405), kwargs=lambda world, role: {"pk": 999_999}),
        Case("POST", answers(403, publisher=404, admin=404), "no such delivery",
             kwargs=lambda world, role: {"pk": 999_999}),
    ],
}

WALKED = sorted(set(url_names()) | set(ADMIN_URLS))


def matrix():
    for name in WALKED:
        if name not in EXPECTED:
            yield pytest.param(name, None, None, id=f"{name}-UNKNOWN")
            continue
        for case in EXPECTED[name]:
            for role in ROLES:
                label = f"-{case.label}" if case.label else ""
                yield pytest.param(name, case, role, id=f"{name}-{case.method}{label}-{role}")


# --- the world every case looks at


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, attestation_key_file):
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    # The published post's attestation is signed once, with the tests' key and a throwaway checkpoint folder.
    witness = override_settings(ATTESTATION_KEY_FILE=attestation_key_file, STORAGES={
        **settings.STORAGES, "checkpoints": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                             "OPTIONS": {"location": str(tmp_path_factory.mktemp("checkpoints"))}}})
    with hashers, witness, django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


BODY = "Plain words about the week after a treatment.\n\n## Aftercare\n\n- Rest.\n"


def _build_world():
    from review import roles

    users = {
        "author": factories.make_author("m-author"),
        "other_author": factories.make_author("m-other-author"),
        "reviewer": factories.make_reviewer("m-reviewer", display_name="Ian Tan"),
        "publisher": factories.make_publisher("m-publisher"),
        "admin": get_user_model().objects.create_superuser("m-admin", "admin@clinic.example", factories.PASSWORD),
    }
    users["author_reviewer"] = factories.user_with_roles(roles.AUTHOR, roles.REVIEWER, username="m-writer-doctor")
    factories.ReviewerProfileFactory(user=users["author_reviewer"])
    users["author_reviewer"] = get_user_model().objects.get(pk=users["author_reviewer"].pk)

    posts, comments = {}, {}
    for owner in ("author", "author_reviewer"):
        for state in (State.DRAFT, State.IN_REVIEW, State.APPROVED, State.PUBLISHED, State.ARCHIVED):
            post = factories.make_post(author=users[owner], reviewer=users["reviewer"], publisher=users["publisher"],
                                       state=state, title=f"{state} by {owner}", body=BODY)
            posts[state, owner] = post
    for owner in ("author", "author_reviewer"):
        post = posts[State.IN_REVIEW, owner]
        comments[post.pk] = services.comment_add(post=post, user=users["reviewer"], body="Source?")

    def post(state, role="author"):
        return posts[state, "author_reviewer" if role == "author_reviewer" else "author"]

    attestation = attestations.attest(post(State.PUBLISHED))
    return SimpleNamespace(users=users, posts=posts, comments=comments, post=post, attestation=attestation)


# --- the tests


def test_every_url_has_an_expected_answer():
    missing = [name for name in WALKED if name not in EXPECTED]
    assert not missing, "add an expected answer for " + ", ".join(missing)
    # Unnamed patterns such as the development media URL exist only under some settings.
    stale = sorted(set(EXPECTED) - set(WALKED) - {name for name in EXPECTED if name.startswith(UNNAMED)})
    assert not stale, "these URL names no longer exist; remove their expectations: " + ", ".join(stale)


def test_the_walk_finds_the_apps_urls():
    names = set(url_names())
    assert {"login", "editor:post_action", "review:sign", "public:article"} <= names
    assert not any(name.startswith("admin:") for name in names)


@pytest.mark.parametrize(("name", "case", "role"), list(matrix()))
def test_permission_matrix(db, world, settings, tmp_path, name, case, role):
    settings.MEDIA_ROOT = tmp_path  # uploads land in a throwaway folder
    if case is None:
        pytest.fail(f"add an expected answer for {name}")
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    path = path_for(name, case.kwargs(world, role))
    data = case.data(world, role)
    response = client.get(path) if case.method == "GET" else client.post(path, data)

    expected = case.expect[role]
    got = _describe(response)
    assert got == expected, f"{case.method} {path} as {role}: expected {expected}, got {got}"
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{path}: no strict CSP ({policy!r})"


def _describe(response):
    """The status as the expectations spell it: redirects say whether they go to a log-in page."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
        return MOVED
    return response.status_code
