"""Builds a benchmark database of a given size with bulk inserts, valid hashes, signatures and audit chain.

The services are the only way the product changes data; they are far too slow for 100,000 posts, so
this writes the same rows directly, computing every hash, seal and chain link the way the services do,
so that `verify_audit` and every signature check pass on the result.

Rows go in through the database cursor (`executemany`), each column converted the way Django converts it
for this database, with the primary keys of posts and revisions chosen here: the posts can then name their
current and live revisions when they are inserted, and no row is written twice. Model instances and
`bulk_create`/`bulk_update` took 50 s for 10,000 posts, mostly in building SQL; this takes a tenth of it.
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from content.hashing import content_hash
from content.models import Post, Revision
from content.rendering import render_markdown
from review import audit, publication, roles, signing
from review.demo.articles import ARTICLES
from review.models import AuditEvent, AuditHead, Comment, Publication, ReviewerProfile, Signature, Workflow
from review.states import Meaning, State

BENCH_PASSWORD = "bench-password-not-secret"
REVIEWERS = 20
AUDIT_EVENTS_PER_POST = 10  # 1,000,000 events at 100,000 posts
POSTS_PER_AUTHOR = 400
ROWS_PER_STATEMENT = 5000

# The state of post i is STATE_MIX[i % 20]: a publisher's archive is mostly published, and every
# state occurs within the first few posts, so even a tiny database shows every page.
_P = State.PUBLISHED
STATE_MIX = [_P, State.IN_REVIEW, _P, State.DRAFT, _P, State.CHANGES_REQUESTED, _P, State.APPROVED, _P,
             State.ARCHIVED, _P, State.IN_REVIEW, _P, State.DRAFT, _P, State.SCHEDULED, _P, _P, _P, State.ARCHIVED]
# Of the published posts signed more than a year ago, those in every fifth block of 20 are due a re-review.
REREVIEW_EVERY = 5


EXTRA_PARAGRAPHS = [
    "Speak to your doctor before starting any new treatment, especially if you are pregnant.",
    "Results vary between individuals, and more than one session may be needed.",
    "Side effects such as redness and swelling usually settle within a few days.",
    "Use SPF 50 every day and reapply it every two hours when outdoors.",
    "Bring a list of your current medicines and skincare products to your consultation.",
    "Follow the aftercare instructions you are given, and call the clinic if anything worries you.",
    "## Frequently asked questions\n\n- **Does it hurt?** Most patients feel mild discomfort.\n"
    "- **How long does it take?** About thirty minutes.",
    "## Sources\n\nThe recommendations above follow current dermatology guidance.",
]
COMMENTS = [
    ("Please cite a source for this claim.", "stimulate collagen production"),
    ("Soften this: results vary between patients.", "Results vary between individuals"),
    ("Say how long the redness usually lasts.", ""),
    ("Add the contraindications for pregnancy.", ""),
]
CHECKLIST = {"checklist": ["Claims are accurate and current"]}


def distinct_bodies(count: int = 32) -> list[tuple[str, str]]:
    """Markdown bodies of a few hundred words and their HTML, rendered once each."""
    rng = random.Random(7)
    bodies = []
    for k in range(count):
        base = ARTICLES[k % len(ARTICLES)]["body"]
        extra = "\n\n".join(rng.sample(EXTRA_PARAGRAPHS, 3))
        body = f"{base}\n\n{extra}\n\nRevision note {k}."
        bodies.append((body, str(render_markdown(body))))
    return bodies


class Rows:
    """Rows of one model's table, inserted through the cursor in statements of many rows.

    `names` are the fields each row gives, in order; every other column gets its field's default, and
    date-times and JSON are converted as Django converts them for this database. Close it to write the rest.
    """

    def __init__(self, model, names: list[str]):
        meta = model._meta  # Django's documented Model _meta API
        fields = [meta.get_field(name) for name in names]
        given = {field.column for field in fields}
        rest = [field for field in meta.concrete_fields if field.column not in given and not field.primary_key]
        self.defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in rest)
        columns = [field.column for field in fields + rest]
        quote = connection.ops.quote_name
        table, columns = quote(meta.db_table), ", ".join(map(quote, columns))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields + rest))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.converters = [(index, self._converter(field)) for index, field in enumerate(fields)
                           if self._converter(field) is not None]
        self.pending: list = []
        self.count = 0

    @staticmethod
    def _converter(field):
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def add(self, *values) -> None:
        if self.converters:
            values = list(values)
            for index, convert in self.converters:
                if values[index] is not None:
                    values[index] = convert(values[index])
        self.pending.append((*values, *self.defaults))
        if len(self.pending) >= ROWS_PER_STATEMENT:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY, through the psycopg cursor Django wraps: a tenth of the server's time of INSERTs.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.pending)
        self.count += len(self.pending)
        self.pending = []

    def close(self) -> int:
        self.flush()
        return self.count


def _users(count_authors: int):
    User = get_user_model()
    groups = roles.ensure_roles(Group, Permission)
    password = make_password(BENCH_PASSWORD)
    users = [User(username="bench-publisher", first_name="Pat", last_name="Publisher", password=password,
                  email="publisher@bench.example")]
    users += [User(username=f"bench-author-{i}", first_name="Author", last_name=str(i), password=password,
                   email=f"author{i}@bench.example") for i in range(count_authors)]
    users += [User(username=f"bench-reviewer-{i}", first_name="Reviewer", last_name=str(i), password=password,
                   email=f"reviewer{i}@bench.example") for i in range(REVIEWERS)]
    User.objects.bulk_create(users)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    publisher = users["bench-publisher"]
    authors = [users[f"bench-author-{i}"] for i in range(count_authors)]
    reviewers = [users[f"bench-reviewer-{i}"] for i in range(REVIEWERS)]
    through = User.groups.through
    memberships = [through(user_id=publisher.pk, group_id=groups[roles.PUBLISHER].pk)]
    memberships += [through(user_id=a.pk, group_id=groups[roles.AUTHOR].pk) for a in authors]
    memberships += [through(user_id=r.pk, group_id=groups[roles.REVIEWER].pk) for r in reviewers]
    through.objects.bulk_create(memberships)
    ReviewerProfile.objects.bulk_create([
        ReviewerProfile(user=r, honorific="Dr.", display_name=f"Reviewer {i}", credentials="MBBS (Singapore), MRCP (UK)",
                        registration_number=f"M{20000 + i}B", specialty="Dermatology", slug=f"dr-reviewer-{i}",
                        bio="Consultant dermatologist.", meaning=Meaning.MEDICAL)
        for i, r in enumerate(reviewers)
    ])
    profiles = {p.user_id: p for p in ReviewerProfile.objects.all()}
    return publisher, authors, reviewers, profiles


class _Signatures(Rows):
    FIELDS = ["revision", "revision_hash", "signer", "reviewer", "printed_name", "credentials",
              "registration_number", "meaning", "statement", "details", "signed_at", "seal"]

    def __init__(self):
        super().__init__(Signature, self.FIELDS)

    def sign(self, revision_id: int, revision_hash: str, profile, signed_at) -> None:
        fields = dict(revision_id=revision_id, revision_hash=revision_hash, signer_id=profile.user_id,
                      printed_name=profile.printed_name, credentials=profile.credentials,
                      registration_number=profile.registration_number, meaning=profile.meaning,
                      signed_at=signed_at, statement=signing.ATTESTATION, details=CHECKLIST)
        self.add(revision_id, revision_hash, profile.user_id, profile.pk, profile.printed_name, profile.credentials,
                 profile.registration_number, profile.meaning, signing.ATTESTATION, CHECKLIST, signed_at,
                 signing.seal(**fields))


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


@transaction.atomic
def build(posts: int, *, seed: int = 1) -> dict:
    """Fill an empty, migrated database with `posts` posts and everything around them."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=3 * 365)
    publisher, authors, reviewers, profiles = _users(max(3, posts // POSTS_PER_AUTHOR))
    names = {user.pk: user.get_full_name() for user in [publisher, *authors]}
    names.update({user_id: profile.printed_name for user_id, profile in profiles.items()})
    bodies = distinct_bodies()

    post_rows = Rows(Post, ["id", "slug", "author", "created_at", "updated_at", "current_revision",
                            "live_revision", "first_published_at", "published_at"])
    revision_rows = Rows(Revision, ["id", "post", "number", "title", "summary", "body", "html", "author",
                                    "created_at", "content_hash"])
    workflow_rows = Rows(Workflow, ["post", "state", "changed_at", "submitted_at", "assignee",
                                    "scheduled_for", "rereview_flagged_at", "review_due_at"])
    comment_rows = Rows(Comment, ["post", "revision", "author", "body", "quote_exact", "created_at"])
    signature_rows = _Signatures()
    # (when, action, actor id, post id, from state, to state, revision hash, detail), chained once sorted.
    events: list[tuple] = []

    def event(when, action, actor_id, post_id, from_state="", to_state="", revision_hash="", detail=None):
        events.append((when, action, actor_id, post_id, str(from_state), str(to_state), revision_hash, detail or {}))

    first_post, next_revision = _next_id(Post), _next_id(Revision)
    for i in range(posts):
        post_id = first_post + i
        state = STATE_MIX[i % len(STATE_MIX)]
        created = now - span * (posts - i) / posts - timedelta(days=2)
        author = authors[i % len(authors)]
        article = ARTICLES[i % len(ARTICLES)]

        revisions = []  # (id, number, content hash)
        for n in range(1, 2 + i % 3 + 1):
            body, html = bodies[(i * 7 + n) % len(bodies)]
            title = f"Article {i}: {article['title']}" + (f" (v{n})" if n > 1 else "")
            summary = article["summary"]
            digest = content_hash(title=title, summary=summary, body=body, html=html)
            revision_rows.add(next_revision, post_id, n, title, summary, body, html,
                              author.pk if n % 4 else publisher.pk, created + timedelta(hours=n), digest)
            revisions.append((next_revision, n, digest))
            next_revision += 1
        current_id, _, current_hash = revisions[-1]
        reviewer = reviewers[i % len(reviewers)]
        profile = profiles[reviewer.pk]

        event(created, "create", author.pk, post_id, "", State.DRAFT, revisions[0][2], {"revision": 1})
        for _, number, digest in revisions[1:]:
            event(created + timedelta(hours=number), "save", author.pk, post_id, State.DRAFT, State.DRAFT, digest,
                  {"revision": number})
        last = created + timedelta(hours=len(revisions))
        submitted = last + timedelta(hours=1)
        changed_at, submitted_at, assignee, scheduled_for, flagged, review_due = last, None, None, None, None, None
        live, first_published, published = None, None, None
        if state != State.DRAFT:
            event(submitted, "submit", author.pk, post_id, State.DRAFT, State.IN_REVIEW, current_hash)
        if state in (State.IN_REVIEW, State.CHANGES_REQUESTED):
            submitted_at = changed_at = submitted
            if i % 3 == 0:
                assignee = reviewer.pk
                event(submitted + timedelta(minutes=5), "claim", reviewer.pk, post_id, state, state)
        if state == State.CHANGES_REQUESTED or (state == State.IN_REVIEW and i % 2):
            text, quote = COMMENTS[i % len(COMMENTS)]
            when = submitted + timedelta(hours=2)
            comment_rows.add(post_id, current_id, reviewer.pk, text, quote, when)
            event(when, "comment", reviewer.pk, post_id, State.IN_REVIEW, State.IN_REVIEW, current_hash)
            if state == State.CHANGES_REQUESTED:
                event(when, "request_changes", reviewer.pk, post_id, State.IN_REVIEW, State.CHANGES_REQUESTED)
        if state in (State.APPROVED, State.SCHEDULED, State.PUBLISHED, State.ARCHIVED):
            signed = submitted + timedelta(days=1)
            signature_rows.sign(current_id, current_hash, profile, signed)
            event(signed, "sign", reviewer.pk, post_id, State.IN_REVIEW, State.IN_REVIEW, current_hash,
                  {"meaning": profile.meaning})
            event(signed, "approve", reviewer.pk, post_id, State.IN_REVIEW, State.APPROVED, current_hash)
            changed_at = signed
            if state in (State.PUBLISHED, State.ARCHIVED):
                first_published = published = signed + timedelta(hours=3)
                live = current_id
                event(published, "publish", publisher.pk, post_id, State.APPROVED, State.PUBLISHED, current_hash)
                changed_at = published
                due = (i // len(STATE_MIX)) % REREVIEW_EVERY == 0
                if state == State.PUBLISHED and now - signed < timedelta(days=365):
                    review_due = signed + timedelta(days=365)
                elif state == State.PUBLISHED and due:
                    flagged = review_due = signed + timedelta(days=365)
                    event(flagged, "rereview_due", None, post_id, State.PUBLISHED, State.PUBLISHED)
                elif state == State.PUBLISHED:
                    # Renewed within the last year by a second reviewer.
                    other = profiles[reviewers[(i + 1) % len(reviewers)].pk]
                    renewed = now - timedelta(days=1 + i % 300)
                    signature_rows.sign(current_id, current_hash, other, renewed)
                    review_due = renewed + timedelta(days=365)
                    event(renewed, "sign", other.user_id, post_id, State.PUBLISHED, State.PUBLISHED, current_hash)
                    event(renewed, "renew_review", other.user_id, post_id, State.PUBLISHED, State.PUBLISHED)
                if state == State.ARCHIVED:
                    gone = published + timedelta(days=30)
                    live = published = None
                    event(gone, "unpublish", publisher.pk, post_id, State.PUBLISHED, State.ARCHIVED)
                    changed_at = gone
            elif state == State.SCHEDULED:
                scheduled_for = now + timedelta(days=1 + i % 20)
                event(signed + timedelta(hours=1), "schedule", publisher.pk, post_id, State.APPROVED,
                      State.SCHEDULED)
        post_rows.add(post_id, f"article-{i}", author.pk, created, changed_at, current_id, live, first_published,
                      published)
        workflow_rows.add(post_id, state, changed_at, submitted_at, assignee, scheduled_for, flagged, review_due)

    counts = {"posts": post_rows.close(), "revisions": revision_rows.close(), "workflows": workflow_rows.close(),
              "signatures": signature_rows.close(), "comments": comment_rows.close()}

    # Pad the trail to its realistic length with reviewers' comments on past versions; each live post's
    # publication record adds one event after them (below).
    target = AUDIT_EVENTS_PER_POST * posts - sum(1 for state in (STATE_MIX[i % len(STATE_MIX)] for i in range(posts))
                                                 if state == State.PUBLISHED)
    while len(events) < target:
        index = rng.randrange(posts)
        created = now - span * (posts - index) / posts - timedelta(days=2)
        event(created + timedelta(minutes=rng.randrange(60 * 24 * 30)), "comment",
              reviewers[rng.randrange(REVIEWERS)].pk, first_post + index)
    del events[target:]
    events.sort(key=lambda e: e[0])

    event_rows = Rows(AuditEvent, ["seq", "created_at", "actor", "actor_name", "action", "post", "from_state",
                                   "to_state", "revision_hash", "detail", "prev_hash", "hash"])
    prev = audit.GENESIS
    for seq, (when, action, actor_id, post_id, from_state, to_state, revision_hash, detail) in enumerate(events, 1):
        actor_name = names[actor_id] if actor_id else "system"
        digest = audit.event_hash(seq=seq, created_at=when, actor_id=actor_id, actor_name=actor_name, action=action,
                                  post_id=post_id, from_state=from_state, to_state=to_state,
                                  revision_hash=revision_hash, detail=detail, prev_hash=prev)
        event_rows.add(seq, when, actor_id, actor_name, action, post_id, from_state, to_state, revision_hash, detail,
                       prev, digest)
        prev = digest
    counts["audit_events"] = event_rows.close()
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": counts["audit_events"], "hash": prev})
    # The sealed records that let live posts be shown, made as an upgrade makes them (migration review.0013).
    counts["publications"] = publication.record_existing_publications(
        Post=Post, Workflow=Workflow, Signature=Signature, AuditEvent=AuditEvent, AuditHead=AuditHead,
        Publication=Publication, report=lambda line: None)
    counts["audit_events"] += counts["publications"]

    # Primary keys were chosen here: let the database's own counters continue after them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Post, Revision]):
            cursor.execute(sql)
    return {**counts, "reviewers": REVIEWERS, "authors": len(authors)}
