"""Load demo users and sample articles in every review state; running it again changes nothing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from claims import findings as claim_findings
from content.models import Post
from review import roles, services
from review.demo.articles import ARTICLES
from review.models import ReviewerProfile

DEFAULT_PASSWORD = "medreview-demo"

USERS = [
    # username, first, last, email, groups, is_superuser
    ("author", "Aisha", "Rahman", "author@clinic.example", [roles.AUTHOR], False),
    ("reviewer", "Ian", "Tan", "ian.tan@clinic.example", [roles.REVIEWER], False),
    ("reviewer2", "Mei Lin", "Goh", "meilin.goh@clinic.example", [roles.REVIEWER], False),
    ("publisher", "Priya", "Nair", "publisher@clinic.example", [roles.PUBLISHER], False),
    ("admin", "Site", "Administrator", "admin@clinic.example", [], True),
]

PROFILES = {
    "reviewer": dict(
        honorific="Dr.", display_name="Ian Tan", credentials="MBBS (Singapore), MRCP (UK)",
        registration_number="M12345A", registering_body="Singapore Medical Council",
        specialty="Dermatology", slug="ian-tan",
        bio="Dr. Ian Tan is a dermatologist with fifteen years of practice in medical and laser "
            "dermatology. He reviews every article on skin treatments before it is published.",
    ),
    "reviewer2": dict(
        honorific="Dr.", display_name="Goh Mei Lin", credentials="MBBS (Singapore), MMed (Family Medicine)",
        registration_number="M23456B", registering_body="Singapore Medical Council",
        specialty="Family medicine", slug="goh-mei-lin",
        bio="Dr. Goh Mei Lin is a family physician with an interest in skin health and patient education.",
    ),
}


class Command(BaseCommand):
    help = "Create demo users (author, reviewer, reviewer2, publisher, admin) and sample posts in every state."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo user.")

    def handle(self, *args, password, **options):
        users = self.ensure_users(password)
        created = 0
        for article in ARTICLES:
            if Post.objects.filter(slug=article["slug"]).exists():
                continue
            # The sample history is made up; nobody should get email about it.
            with transaction.atomic(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                self.make_post(article, users, password)
            created += 1
        self.stdout.write(
            f"Demo ready: users {', '.join(users)} (password: {password}); {created} new sample post(s)."
        )

    def ensure_users(self, password):
        User = get_user_model()
        users = {}
        for username, first, last, email, groups, superuser in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults=dict(first_name=first, last_name=last, email=email,
                              is_staff=superuser, is_superuser=superuser),
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            if username in PROFILES:
                profile = dict(PROFILES[username])
                profile.setdefault("verified_until", timezone.localdate() + timedelta(days=730))
                ReviewerProfile.objects.get_or_create(user=user, defaults=profile)
            users[username] = User.objects.get(pk=user.pk)  # fresh permission cache
        return users

    def make_post(self, article, users, password):
        author, reviewer, publisher = users["author"], users["reviewer"], users["publisher"]
        post = services.post_create(author=author, title=article["title"], summary=article["summary"],
                                    body=article["body"], slug=article["slug"])
        state = article["state"]
        if state == "draft":
            return
        justifications = None
        if article.get("justification"):
            justifications = {f.key: article["justification"]
                              for f in claim_findings.revision_findings(post.current_revision) if f.is_block}
        services.post_submit(post, user=author, justifications=justifications)
        if state == "in_review":
            return
        if state == "changes_requested":
            services.post_request_changes(
                post, user=reviewer,
                comment="We cannot promise complete clearance or no downtime. Please describe the usual "
                        "improvement and recovery honestly, and cite a source.",
                quote={"exact": "100% clearance of acne scars with no downtime", "prefix": "Our fractional laser gives ",
                       "suffix": ".\n\nSubcision releases"},
            )
            return
        services.revision_sign(post, user=reviewer, password=password, attested=True,
                               details={"checklist": "complete"})
        if state == "approved":
            return
        if state == "scheduled":
            tomorrow = timezone.localtime() + timedelta(days=1)
            services.post_schedule(post, user=publisher, when=tomorrow.replace(hour=9, minute=0, second=0, microsecond=0))
            return
        services.post_publish(post, user=publisher)
        if state == "archived":
            services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")
