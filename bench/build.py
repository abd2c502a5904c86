"""Builds a benchmark database of a given size with bulk inserts, valid hashes, signatures and audit chain.

The services are the only way the product changes data; they are far too slow for 10,000 posts, so
this writes the same rows directly, computing every hash, seal and chain link the way the services do,
so that `verify_audit` and every signature check pass on the result.
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from content.hashing import content_hash
from content.models import Post, Revision
from content.rendering import render_markdown
from review import audit, roles, signing
from review.demo.articles import ARTICLES
from review.models import AuditEvent, AuditHead, Comment, ReviewerProfile, Signature, Workflow
from review.states import Meaning, State

BENCH_PASSWORD = "bench-password-not-secret"
REVIEWERS = 20
AUDIT_EVENTS_PER_POST = 10  # 100,000 events at 10,000 posts
BATCH = 2000

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


def _signature(revision, reviewer, profile, signed_at) -> Signature:
    fields = dict(
        revision_id=revision.pk, revision_hash=revision.content_hash, signer_id=reviewer.pk,
        printed_name=profile.printed_name, credentials=profile.credentials,
        registration_number=profile.registration_number, meaning=profile.meaning, signed_at=signed_at,
        statement=signing.ATTESTATION, details={"checklist": ["Claims are accurate and current"]},
    )
    return Signature(reviewer=profile, seal=signing.seal(**fields), **fields)


@transaction.atomic
def build(posts: int, *, seed: int = 1) -> dict:
    """Fill an empty, migrated database with `posts` posts and everything around them."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=3 * 365)
    publisher, authors, reviewers, profiles = _users(max(3, posts // 400))
    bodies = distinct_bodies()

    # Posts, then their revisions, then point the posts at them.
    plan = []
    post_rows = []
    for i in range(posts):
        state = STATE_MIX[i % len(STATE_MIX)]
        created = now - span * (posts - i) / posts - timedelta(days=2)
        author = authors[i % len(authors)]
        plan.append({"state": state, "created": created, "author": author, "revisions": 2 + i % 3})
        post_rows.append(Post(slug=f"article-{i}", author=author, created_at=created, updated_at=created))
    Post.objects.bulk_create(post_rows, batch_size=BATCH)
    post_rows = list(Post.objects.order_by("pk"))

    revision_rows = []
    for i, (post, p) in enumerate(zip(post_rows, plan, strict=True)):
        for n in range(1, p["revisions"] + 1):
            body, html = bodies[(i * 7 + n) % len(bodies)]
            title = f"Article {i}: {ARTICLES[i % len(ARTICLES)]['title']}" + (f" (v{n})" if n > 1 else "")
            summary = ARTICLES[i % len(ARTICLES)]["summary"]
            revision_rows.append(Revision(
                post=post, number=n, title=title, summary=summary, body=body, html=html,
                author=p["author"] if n % 4 else publisher, created_at=p["created"] + timedelta(hours=n),
                content_hash=content_hash(title=title, summary=summary, body=body, html=html),
            ))
    Revision.objects.bulk_create(revision_rows, batch_size=BATCH)
    by_post: dict[int, list[Revision]] = {}
    for revision in Revision.objects.order_by("post_id", "number").only("pk", "post_id", "number", "content_hash"):
        by_post.setdefault(revision.post_id, []).append(revision)

    signatures, comments, workflows, events = [], [], [], []

    def event(when, action, actor, post, from_state="", to_state="", revision_hash="", detail=None):
        events.append((when, action, actor, post, str(from_state), str(to_state), revision_hash, detail or {}))

    for i, (post, p) in enumerate(zip(post_rows, plan, strict=True)):
        state, created, author = p["state"], p["created"], p["author"]
        revisions = by_post[post.pk]
        current = revisions[-1]
        reviewer = reviewers[i % len(reviewers)]
        profile = profiles[reviewer.pk]
        post.current_revision_id = current.pk
        event(created, "create", author, post, "", State.DRAFT, revisions[0].content_hash, {"revision": 1})
        for revision in revisions[1:]:
            event(created + timedelta(hours=revision.number), "save", author, post, State.DRAFT, State.DRAFT,
                  revision.content_hash, {"revision": revision.number})
        last = created + timedelta(hours=len(revisions))
        submitted = last + timedelta(hours=1)
        workflow = Workflow(post=post, state=state, changed_at=last)
        if state != State.DRAFT:
            event(submitted, "submit", author, post, State.DRAFT, State.IN_REVIEW, current.content_hash)
        if state in (State.IN_REVIEW, State.CHANGES_REQUESTED):
            workflow.submitted_at = submitted
            workflow.changed_at = submitted
            if i % 3 == 0:
                workflow.assignee = reviewer
                event(submitted + timedelta(minutes=5), "claim", reviewer, post, state, state)
        if state == State.CHANGES_REQUESTED or (state == State.IN_REVIEW and i % 2):
            text, quote = COMMENTS[i % len(COMMENTS)]
            when = submitted + timedelta(hours=2)
            comments.append(Comment(post=post, revision=current, author=reviewer, body=text, quote_exact=quote,
                                    created_at=when))
            event(when, "comment", reviewer, post, State.IN_REVIEW, State.IN_REVIEW, current.content_hash)
            if state == State.CHANGES_REQUESTED:
                event(when, "request_changes", reviewer, post, State.IN_REVIEW, State.CHANGES_REQUESTED)
        if state in (State.APPROVED, State.SCHEDULED, State.PUBLISHED, State.ARCHIVED):
            signed = submitted + timedelta(days=1)
            signatures.append(_signature(current, reviewer, profile, signed))
            event(signed, "sign", reviewer, post, State.IN_REVIEW, State.IN_REVIEW, current.content_hash,
                  {"meaning": profile.meaning})
            event(signed, "approve", reviewer, post, State.IN_REVIEW, State.APPROVED, current.content_hash)
            workflow.changed_at = signed
            if state in (State.PUBLISHED, State.ARCHIVED):
                published = signed + timedelta(hours=3)
                post.first_published_at = published
                post.published_at = published
                post.live_revision_id = current.pk
                event(published, "publish", publisher, post, State.APPROVED, State.PUBLISHED, current.content_hash)
                workflow.changed_at = published
                due = (i // len(STATE_MIX)) % REREVIEW_EVERY == 0
                if state == State.PUBLISHED and now - signed < timedelta(days=365):
                    workflow.review_due_at = signed + timedelta(days=365)
                elif state == State.PUBLISHED and due:
                    workflow.rereview_flagged_at = workflow.review_due_at = signed + timedelta(days=365)
                    event(workflow.rereview_flagged_at, "rereview_due", None, post, State.PUBLISHED, State.PUBLISHED)
                elif state == State.PUBLISHED:
                    # Renewed within the last year by a second reviewer.
                    other = reviewers[(i + 1) % len(reviewers)]
                    renewed = now - timedelta(days=1 + i % 300)
                    signatures.append(_signature(current, other, profiles[other.pk], renewed))
                    workflow.review_due_at = renewed + timedelta(days=365)
                    event(renewed, "sign", other, post, State.PUBLISHED, State.PUBLISHED, current.content_hash)
                    event(renewed, "renew_review", other, post, State.PUBLISHED, State.PUBLISHED)
                if state == State.ARCHIVED:
                    gone = published + timedelta(days=30)
                    post.live_revision_id = None
                    post.published_at = None
                    event(gone, "unpublish", publisher, post, State.PUBLISHED, State.ARCHIVED)
                    workflow.changed_at = gone
            elif state == State.SCHEDULED:
                workflow.scheduled_for = now + timedelta(days=1 + i % 20)
                event(signed + timedelta(hours=1), "schedule", publisher, post, State.APPROVED, State.SCHEDULED)
        post.updated_at = workflow.changed_at
        workflows.append(workflow)

    Post.objects.bulk_update(post_rows, ["current_revision", "live_revision", "first_published_at", "published_at",
                                         "updated_at"], batch_size=BATCH)
    Workflow.objects.bulk_create(workflows, batch_size=BATCH)
    Signature.objects.bulk_create(signatures, batch_size=BATCH)
    Comment.objects.bulk_create(comments, batch_size=BATCH)

    # Pad the trail to its realistic length with reviewers' comments on past versions.
    target = AUDIT_EVENTS_PER_POST * posts
    while len(events) < target:
        index = rng.randrange(posts)
        post, reviewer = post_rows[index], reviewers[rng.randrange(REVIEWERS)]
        when = plan[index]["created"]
        event(when + timedelta(minutes=rng.randrange(60 * 24 * 30)), "comment", reviewer, post, "", "")
    events = sorted(events[:target], key=lambda e: e[0])

    names = {}
    prev, rows = audit.GENESIS, []
    for seq, (when, action, actor, post, from_state, to_state, revision_hash, detail) in enumerate(events, 1):
        if actor is not None and actor.pk not in names:
            names[actor.pk] = profiles[actor.pk].printed_name if actor.pk in profiles else actor.get_full_name()
        fields = dict(seq=seq, created_at=when, actor_id=actor.pk if actor else None,
                      actor_name=names[actor.pk] if actor else "system", action=action,
                      post_id=post.pk if post else None, from_state=from_state, to_state=to_state,
                      revision_hash=revision_hash, detail=detail, prev_hash=prev)
        prev = audit.event_hash(**fields)
        rows.append(AuditEvent(hash=prev, **fields))
    AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": len(rows), "hash": prev})
    return {"posts": posts, "revisions": len(revision_rows), "signatures": len(signatures),
            "comments": len(comments), "audit_events": len(rows), "reviewers": REVIEWERS,
            "authors": len(authors)}
