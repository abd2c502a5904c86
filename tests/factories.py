"""Test data: users in each role, and posts driven to any state through the real services."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from review import roles, services
from review.models import ReviewerProfile
from review.states import State

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@clinic.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save()


def user_with_roles(*role_names, username=None, **kwargs):
    # Transactional tests flush the database, groups from the data migration included.
    roles.ensure_roles(Group, Permission)
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return get_user_model().objects.get(pk=user.pk)  # drop the cached permissions


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    honorific = "Dr."
    display_name = factory.LazyAttribute(lambda p: p.user.get_full_name() or p.user.username)
    credentials = "MBBS (Singapore)"
    registration_number = factory.Sequence(lambda n: f"M{10000 + n}A")
    specialty = "Dermatology"
    bio = "Reviews skin articles."
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    verified_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


def make_author(username=None):
    return user_with_roles(roles.AUTHOR, username=username)


def make_reviewer(username=None, **profile):
    user = user_with_roles(roles.REVIEWER, username=username)
    ReviewerProfileFactory(user=user, **profile)
    return get_user_model().objects.get(pk=user.pk)


def make_publisher(username=None):
    return user_with_roles(roles.PUBLISHER, username=username)


BODY = """Pico laser treatments may **stimulate collagen production**.

## Aftercare

- Use SPF 50 every day.
- Avoid retinoids for five days.
"""


def make_post(*, author, state=State.DRAFT, reviewer=None, publisher=None, title="Caring for your skin after laser",
              summary="What to expect in the week after a laser treatment.", body=BODY, slug=""):
    """A post created and moved to `state` through the same services the product uses."""
    post = services.post_create(author=author, title=title, summary=summary, body=body, slug=slug)
    if state == State.DRAFT:
        return post
    services.post_submit(post, user=author)
    if state == State.IN_REVIEW:
        return refresh(post)
    if state == State.CHANGES_REQUESTED:
        services.post_request_changes(post, user=reviewer, comment="Please cite a source for the collagen claim.")
        return refresh(post)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    if state == State.APPROVED:
        return refresh(post)
    if state == State.SCHEDULED:
        services.post_schedule(post, user=publisher, when=timezone.now() + timedelta(hours=2))
        return refresh(post)
    services.post_publish(post, user=publisher)
    if state == State.ARCHIVED:
        services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")
    return refresh(post)


def refresh(post):
    post.refresh_from_db()
    post.workflow.refresh_from_db()
    return post


def make_review_due(post, *, since=None):
    """As if the live version's sign-off had run out (`since`, default a moment ago): its re-review is due."""
    from datetime import timedelta

    from django.utils import timezone

    from review.models import Workflow

    Workflow.objects.filter(post=post).update(review_due_at=since or timezone.now() - timedelta(seconds=1))
    _counts_changed()


def let_reviews_lapse():
    """As if a year and more passed: every live post's sign-off has run out."""
    from datetime import timedelta

    from django.utils import timezone

    from review.models import Workflow

    Workflow.objects.filter(post__live_revision__isnull=False).update(
        review_due_at=timezone.now() - timedelta(seconds=1))
    _counts_changed()


def _counts_changed():
    """The queue's kept counts go, as when the application itself stores a due date (scheduler.refresh_review_due)."""
    from review import queue

    queue.forget_counts()
