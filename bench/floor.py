"""The floor: bare Django views that read each page's rows with one plain query and a minimal template.

Information beside the budgets, not a budget: each sits behind the same middleware as the page it stands
for, so the difference between a page and its floor is roughly what the product's own views, selectors and
templates cost on top of Django itself. One view here is not a floor but a yardstick: `queue_same_job`,
bare Django doing the queue's job.

The floors use the models and nothing else of the product: they say in plain ORM which rows each page
shows (which posts wait, which are due a re-review), so the product's own selectors can change freely.
The queue's floors read every column a row of the tab shows; the others read a title, a date and one or
two more columns, fewer than their pages show.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils import timezone

from content.models import Post
from review.models import Signature, Workflow
from review.states import State

# The pages' sizes, as the product shows them at the time of writing.
PUBLIC_PAGE_SIZE = 10
FEED_SIZE = 20
REVIEWER_PAGE_SIZE = 25
DESK_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 25
SITEMAP_PAGE_SIZE = 1000

WAITING = Q(state=State.IN_REVIEW)


def rereview_due() -> Q:
    """Live posts whose review is due: the date the workflow keeps for it has passed (or was never set)."""
    return Q(state=State.PUBLISHED, post__live_revision__isnull=False) & (
        Q(review_due_at__isnull=True) | Q(review_due_at__lte=timezone.now()))


_engine = engines["django"]
LIST = _engine.from_string(
    "<!doctype html><title>floor</title><ul>{% for row in rows %}"
    "<li><a href=\"{{ row.slug }}\">{{ row.title }}</a> {{ row.when|date:'j M Y' }} {{ row.extra }}</li>"
    "{% endfor %}</ul>"
)
ARTICLE = _engine.from_string(
    "<!doctype html><title>{{ row.title }}</title><h1>{{ row.title }}</h1><p>{{ row.summary }}</p>"
    "<p>{{ row.when|date:'j M Y' }}</p>{{ row.html|safe }}"
)
XML = _engine.from_string(
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><urlset>{% for row in rows %}"
    "<url><loc>{{ row.slug }}</loc><lastmod>{{ row.when|date:'c' }}</lastmod><t>{{ row.title }}</t></url>"
    "{% endfor %}</urlset>"
)

# The queue's tabs: every column a row shows, each printed plainly.
WORK = _engine.from_string(
    "<!doctype html><title>floor</title><table>{% for row in rows %}<tr>"
    "<td><a href=\"{{ row.slug }}\">{{ row.title }}</a></td><td>{{ row.first_name }} {{ row.last_name }}</td>"
    "<td>{{ row.when|date:'j M Y, H:i' }}</td><td>{{ row.body|wordcount }}</td><td>{{ row.reviewed_before }}</td>"
    "<td>{{ row.assignee_name }}</td><td>{{ row.state }}</td></tr>{% endfor %}</table>"
)
SIGNED = _engine.from_string(
    "<!doctype html><title>floor</title><table>{% for row in rows %}<tr>"
    "<td><a href=\"{{ row.slug }}\">{{ row.title }}</a></td><td>{{ row.first_name }} {{ row.last_name }}</td>"
    "<td>{{ row.when|date:'j M Y, H:i' }}</td><td>v{{ row.version }}</td><td>{{ row.meaning }}</td>"
    "<td>{{ row.state }}</td></tr>{% endfor %}</table>"
)

# Not a floor: see queue_same_job.
QUEUE_SAME_JOB = _engine.from_string(
    "<!doctype html><title>queue</title><nav>{% for tab, n in counts.items %}<a href=\"?tab={{ tab }}\">{{ tab }} "
    "{{ n }}</a>{% endfor %}</nav><table>{% for row in rows %}<tr>"
    "<td><a href=\"{% url 'review:post' row.post_id %}\">{{ row.title }}</a></td>"
    "<td>{{ row.first_name }} {{ row.last_name }}</td>"
    "<td><time datetime=\"{{ row.submitted_at|date:'c' }}\">{{ row.submitted_at|date:'j M Y, H:i' }}</time></td>"
    "<td>{{ row.submitted_at|timesince:now }}</td><td>{{ row.body|wordcount }}</td>"
    "<td>{{ row.reviewed_before|yesno:'Yes,No' }}</td>"
    "<td>{% if row.assignee_name %}{{ row.assignee_name }}{% else %}"
    "<form method=\"post\" action=\"{% url 'review:claim' row.post_id %}\">{% csrf_token %}"
    "<input type=\"hidden\" name=\"expected_state\" value=\"{{ row.state }}\"><button>Claim</button></form>"
    "{% endif %}</td></tr>{% endfor %}</table>"
)


def _list(request, rows, template=LIST, content_type="text/html; charset=utf-8"):
    return HttpResponse(template.render({"rows": rows}, request), content_type=content_type)


def _public():
    return Post.objects.filter(live_revision__isnull=False).order_by("-first_published_at", "-pk")


@login_required
def dashboard(request):
    # Both columns of the workflow's (changed_at, post) index: ordering by the post's own pk sorts every row.
    rows = (Post.objects.order_by("-workflow__changed_at", "-workflow__post_id")
            .values("slug", title=F("current_revision__title"), when=F("workflow__changed_at"),
                    extra=F("workflow__state"))[:DESK_PAGE_SIZE])
    return _list(request, list(rows))


@login_required
def post(request, pk):
    row = (Post.objects.filter(pk=pk)
           .values("slug", title=F("current_revision__title"), summary=F("current_revision__summary"),
                   html=F("current_revision__html"), when=F("updated_at")).first())
    if row is None:
        raise Http404
    return HttpResponse(ARTICLE.render({"row": row}, request))


@login_required
def queue(request, tab):
    """A tab's rows with what each shows (title, author, date, words, reviewed before?, reviewer), in one plain
    query. The rows of the page, and not only their titles and dates: a floor of four columns from two
    tables measured the extra joins, text and "reviewed before?" as the product's own overhead."""
    user = request.user
    limit = QUEUE_PAGE_SIZE
    if tab == "signed":
        rows = (Signature.objects.filter(signer=user).order_by("-signed_at")
                .values("meaning", slug=F("revision__post__slug"), title=F("revision__title"),
                        first_name=F("revision__post__author__first_name"),
                        last_name=F("revision__post__author__last_name"), when=F("signed_at"),
                        version=F("revision__number"), state=F("revision__post__workflow__state"))[:limit])
        return _list(request, list(rows), SIGNED)
    if tab == "waiting":
        shown = WAITING
    else:
        due = rereview_due()
        shown = (WAITING | due) & Q(assignee=user) if tab == "assigned" else due
    order = ("review_due_at", "pk") if tab == "rereview" else ("submitted_at", "pk")
    rows = (Workflow.objects.exclude(post__author=user).filter(shown).order_by(*order)
            .annotate(reviewed_before=Exists(Signature.objects.filter(revision__post=OuterRef("post"))))
            .values("state", "reviewed_before", slug=F("post__slug"), title=F("post__current_revision__title"),
                    body=F("post__current_revision__body"), first_name=F("post__author__first_name"),
                    last_name=F("post__author__last_name"), when=F(order[0]),
                    assignee_name=F("assignee__reviewer_profile__display_name"))[:limit])
    return _list(request, list(rows), WORK)


@login_required
def queue_same_job(request):
    """Not a floor: the waiting tab's job done the plainest way bare Django can. Four counts, one query for
    the columns a row shows, and a template with each row's link, dates, waiting time, word count and
    claim form; no permissions, page shell, re-review rows or assign menu. Beside the floor, it shows how
    much of the queue's ratio any Django page showing the same would pay."""
    user = request.user
    mine = Workflow.objects.exclude(post__author=user)
    due = rereview_due()
    counts = {"waiting": mine.filter(WAITING).count(),
              "assigned": mine.filter(WAITING | due, assignee=user).count(),
              "rereview": mine.filter(due).count(),
              "signed": Signature.objects.filter(signer=user).count()}
    rows = (mine.filter(WAITING).order_by("submitted_at", "pk")
            .annotate(reviewed_before=Exists(Signature.objects.filter(revision__post=OuterRef("post"))))
            .values("post_id", "state", "submitted_at", "reviewed_before", title=F("post__current_revision__title"),
                    body=F("post__current_revision__body"), first_name=F("post__author__first_name"),
                    last_name=F("post__author__last_name"),
                    assignee_name=F("assignee__reviewer_profile__display_name"))[:QUEUE_PAGE_SIZE])
    context = {"counts": counts, "rows": list(rows), "now": timezone.now()}
    return HttpResponse(QUEUE_SAME_JOB.render(context, request))


def index(request):
    rows = _public().values("slug", title=F("live_revision__title"), when=F("first_published_at"),
                            extra=F("live_revision__summary"))[:PUBLIC_PAGE_SIZE]
    return _list(request, list(rows))


def article(request, slug):
    row = (_public().filter(slug=slug)
           .values("slug", title=F("live_revision__title"), summary=F("live_revision__summary"),
                   html=F("live_revision__html"), when=F("first_published_at")).first())
    if row is None:
        raise Http404
    return HttpResponse(ARTICLE.render({"row": row}, request))


def reviewer(request, slug):
    rows = (_public().filter(live_revision__signatures__reviewer__slug=slug,
                             live_revision__signatures__meaning="medical").distinct()
            .values("slug", "pk", "first_published_at", title=F("live_revision__title"), when=F("first_published_at"),
                    extra=F("live_revision__summary"))[:REVIEWER_PAGE_SIZE])  # the page shows one page of them
    return _list(request, list(rows))


def feed(request):
    rows = _public().values("slug", title=F("live_revision__title"), when=F("first_published_at"),
                            extra=F("live_revision__summary"))[:FEED_SIZE]
    return _list(request, list(rows), XML, "application/rss+xml; charset=utf-8")


def sitemap(request):
    # One page of the articles section.
    rows = _public().values("slug", title=F("live_revision__title"), when=F("published_at"))[:SITEMAP_PAGE_SIZE]
    return _list(request, list(rows), XML, "application/xml; charset=utf-8")


def sitemap_index(request):
    # The index lists one entry per page of each section: the live posts' count says how many.
    pages = -(-_public().count() // SITEMAP_PAGE_SIZE)
    rows = [{"slug": f"sitemap-articles.xml?p={n}", "title": "", "when": None} for n in range(1, pages + 1)]
    return _list(request, rows, XML, "application/xml; charset=utf-8")
