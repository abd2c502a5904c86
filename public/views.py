"""The public site: the article index, articles, reviewer pages, the editorial policy and robots.txt.

Pages show stored HTML only, and reach the workflow only through `review.selectors`.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.http import http_date, quote_etag
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from public.articles import Article, public_article_pages, table_of_contents
from public.models import EditorialPolicy
from public.sitemaps import SITEMAPS
from config.site import absolute_url
from review import selectors

PAGE_SIZE = 10
# A reviewer may have signed thousands of articles: their page lists them a page at a time.
REVIEWER_PAGE_SIZE = 25
# Readers and caches may keep a page, but must ask again before showing it, so that
# publishing, unpublishing and re-reviews are visible at once.
revalidate = cache_control(public=True, max_age=0, must_revalidate=True)
# Part of every ETag: bump it when the article template changes what it shows.
ARTICLE_TEMPLATE_VERSION = "3"  # 2: the "Sources" list; 3: attested regions and "Verify this review"
# An article, once read and verified (one query, its content hash and its signature's seal), is kept in the
# cache and served from there for this many seconds; then it is read and verified again. A change made through
# the application (publish, unpublish, a re-review, the review policy, a reviewer's or author's name) drops it
# at once (review.selectors.public_generation). A row altered behind the application's back is caught at the
# next check, within these seconds; until then readers get the page that was verified, with the signed words,
# never the altered ones.
ARTICLE_RECHECK_SECONDS = 10
# Answers a GET with 304 when the reader's copy has the ETag or Last-Modified the view's response sets.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


@require_safe
@revalidate
def index(request):
    try:
        page = public_article_pages(PAGE_SIZE).page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.")
    return _render(request, "public/index.html", {
        "page": page,
        "articles": page.object_list,
    })


def structured_data(request, article: Article) -> dict:
    """schema.org MedicalWebPage for the article; every value in it is also visible on the page."""
    review = article.review
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": absolute_url(article.url),
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_iso,
        "dateModified": article.modified_iso,
        "author": {"@type": "Person", "name": article.author_name},
        "reviewedBy": {
            "@type": "Person",
            "honorificPrefix": review.honorific,
            "name": review.name,
            "url": absolute_url(article.reviewer_url),
            "hasCredential": {"@type": "EducationalOccupationalCredential", "name": review.credentials},
        },
        "lastReviewed": timezone.localdate(review.signed_at).isoformat(),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patients"},
        **({"image": pictures} if (pictures := _structured_images(request, article)) else {}),
    }


def _structured_images(request, article: Article) -> list[dict]:
    """The pictures the signed revision shows (hero first), as schema.org ImageObjects."""
    seen, found = set(), []
    for entry in article.revision.images:
        if entry["image"] in seen:
            continue
        seen.add(entry["image"])
        found.append({"@type": "ImageObject", "url": absolute_url(entry["src"]),
                      "width": entry["width"], "height": entry["height"],
                      **({"caption": entry["caption"]} if entry["caption"] else {})})
    return found


# As django.utils.html.json_script does: the JSON can never close the script element early.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES))  # noqa: S308


def article_etag(article: Article, data: dict) -> str:
    """A hash of everything the page shows: its structured data, the signed content, the review and the template."""
    shown = [data, settings.SITE_NAME, article.revision.content_hash, article.review.signature_id,
             article.review.next_review_due.isoformat(), ARTICLE_TEMPLATE_VERSION]
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:32]


def _verified_article(request, slug) -> dict | None:
    """The page at `slug` with its ETag and Last-Modified, read and verified now; None if nothing is public there."""
    found = selectors.public_post(slug)
    if found is None:
        return None
    found = Article(*found)
    data = structured_data(request, found)
    page = render_to_string("public/article.html", {
        "site_name": settings.SITE_NAME,
        "article": found,
        "review": found.review,
        "toc": table_of_contents(found.revision.html),
        "canonical_url": data["url"],
        "structured_data": data,
        "structured_data_json": json_ld(data),
    }, request)
    return {"page": page, "etag": article_etag(found, data), "last_modified": found.last_changed.timestamp()}


def _kept_article(request, slug) -> dict | None:
    """`_verified_article`, kept in the cache for ARTICLE_RECHECK_SECONDS under the present state of everything
    the page shows (`selectors.public_generation`) and its address. The public pages are alike for every
    reader (they do not name the user), except for a reader with messages waiting: theirs is made for them."""
    if len(get_messages(request)):
        return _verified_article(request, slug)
    address = request.build_absolute_uri(request.path)
    key = "public-article:" + hashlib.sha256(f"{selectors.public_generation()} {address}".encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = _verified_article(request, slug)
        if kept is not None:
            cache.set(key, kept, ARTICLE_RECHECK_SECONDS)
    return kept


@require_safe
@revalidate
@conditional_get
def article(request, slug):
    """The article, if its live revision carries a valid medical signature (see ARTICLE_RECHECK_SECONDS)."""
    shown = _kept_article(request, slug)
    if shown is None:
        raise Http404("No published article at this address.")
    response = HttpResponse(shown["page"])
    response["ETag"] = quote_etag(shown["etag"])
    response["Last-Modified"] = http_date(shown["last_modified"])
    return response


@require_safe
@revalidate
def reviewer(request, slug):
    profile = selectors.reviewer_by_slug(slug)
    if profile is None:
        raise Http404("No reviewer at this address.")
    paginator = Paginator(selectors.reviewer_posts(profile), REVIEWER_PAGE_SIZE)
    paginator.count = selectors.reviewer_post_count(profile)  # from their signatures, not every live post
    if not profile.is_active and not paginator.count:
        raise Http404("No reviewer at this address.")
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.")
    reviewed = [Article(post, review) for post, review in selectors.reviewed_posts(profile, page.object_list)]
    return _render(request, "public/reviewer.html", {
        "profile": profile,
        "page": page,
        "articles": reviewed,
        "canonical_url": absolute_url(reverse("public:reviewer", args=[profile.slug])),
    })


@require_safe
@revalidate
def editorial_policy(request):
    return _render(request, "public/editorial_policy.html", {
        "policy": EditorialPolicy.current(),
        "reviewers": selectors.public_reviewers(),
        "rereview_days": selectors.rereview_interval_days(),
        "canonical_url": absolute_url(reverse("public:editorial_policy")),
    })


@require_safe
@revalidate
@x_robots_tag
def sitemap_index(request):
    """`/sitemap.xml`, as Django's index view makes it, but with addresses on SITE_URL: Django's view
    takes the host from the request."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("public:sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ("/accounts/", "/admin/", "/editor/", "/review/")),
        "",
        f"Sitemap: {absolute_url(reverse('public:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _render(request, template, context):
    return render(request, template, {"site_name": settings.SITE_NAME, **context})
