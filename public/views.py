"""The public site: the article index, articles, reviewer pages, the editorial policy and robots.txt.

Pages show stored HTML only, and reach the workflow only through `review.selectors`.
"""

import hashlib
import json

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

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


def _article(request, slug) -> Article | None:
    """The public article at `slug`, loaded once per request for both the ETag and the page."""
    cached = getattr(request, "_public_article", None)
    if cached is None or cached[0] != slug:
        found = selectors.public_post(slug)
        cached = (slug, Article(*found) if found else None)
        request._public_article = cached
    return cached[1]


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


def _article_etag(request, slug):
    article = _article(request, slug)
    if article is None:
        return None
    # Everything the page shows comes from the signed content and the structured data.
    data = structured_data(request, article)
    data["_"] = [article.revision.content_hash, article.review.next_review_due.isoformat(), ARTICLE_TEMPLATE_VERSION]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _article_last_modified(request, slug):
    article = _article(request, slug)
    return article.last_changed if article else None


@require_safe
@revalidate
@condition(etag_func=_article_etag, last_modified_func=_article_last_modified)
def article(request, slug):
    found = _article(request, slug)
    if found is None:
        raise Http404("No published article at this address.")
    data = structured_data(request, found)
    return _render(request, "public/article.html", {
        "article": found,
        "review": found.review,
        "toc": table_of_contents(found.revision.html),
        "canonical_url": data["url"],
        "structured_data": data,
        "structured_data_json": json_ld(data),
    })


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
