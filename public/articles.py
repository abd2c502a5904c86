"""A public article: a live post together with the valid review that lets it be public."""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from claims import linter
from content.models import Post
from review.selectors import PublicReview, public_post_count, public_posts, public_reviews_for

# A table of contents is worth showing once an article has this many sections.
TOC_MIN_HEADINGS = 3
# The stored HTML is sanitised by nh3, which keeps only `id` on headings, so this is exact.
HEADING = re.compile(r'<h([23]) id="([^"<>]+)">(.*?)</h\1>', re.S)


@dataclass
class TocEntry:
    anchor: str
    text: str
    children: list["TocEntry"] = field(default_factory=list)


def table_of_contents(stored_html: str) -> list[TocEntry]:
    """Sections (h2) and subsections (h3) of the stored HTML, or [] for a short article."""
    found = [(level, anchor, html.unescape(strip_tags(inner)).strip())
             for level, anchor, inner in HEADING.findall(stored_html)]
    if len(found) < TOC_MIN_HEADINGS:
        return []
    toc: list[TocEntry] = []
    for level, anchor, text in found:
        entry = TocEntry(anchor=anchor, text=text)
        if level == "3" and toc:
            toc[-1].children.append(entry)
        else:
            toc.append(entry)
    return toc


def iso_local(moment: datetime) -> str:
    """ISO 8601 in the site's time zone, to the second, with its offset (as <time> and schema.org want)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Source:
    """One source an article cites: a footnote or reference's text, or a link, with where to read it."""

    text: str
    url: str
    doi: str


# Part of the cache key: bump it when what counts as a source changes.
SOURCES_VERSION = "1"
_EMPHASIS = re.compile(r"(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1")


def sources_of(revision) -> list[Source]:
    """The sources a revision's body cites (URL or DOI; footnotes and reference links), in order of first use.

    Found once per content hash and kept in the cache: the hash covers the body, so the list never goes stale,
    and a public request neither parses nor renders the Markdown again.
    """
    key = f"article-sources:{SOURCES_VERSION}:{revision.content_hash}"
    found = cache.get(key)
    if found is None:
        found = [
            Source(text=_EMPHASIS.sub(r"\2", c.text).strip() if c.kind in ("footnote", "reference", "link") else "",
                   url=c.url, doi=c.doi)
            for c in linter.citations(revision.body)
            if c.url or c.doi or (c.kind == "footnote" and c.text.strip())
        ]
        cache.set(key, found, None)
    return found


@dataclass(frozen=True)
class Article:
    post: Post
    review: PublicReview

    @property
    def revision(self):
        return self.post.live_revision

    @property
    def title(self) -> str:
        return self.revision.title

    @cached_property
    def sources(self) -> list[Source]:
        return sources_of(self.revision)

    @property
    def summary(self) -> str:
        return self.revision.summary

    @property
    def url(self) -> str:
        return reverse("public:article", args=[self.post.slug])

    @property
    def reviewer_url(self) -> str:
        return reverse("public:reviewer", args=[self.review.reviewer_slug])

    @property
    def author_name(self) -> str:
        author = self.post.author
        return author.get_full_name() or author.get_username()

    @property
    def published_at(self) -> datetime:
        return self.post.first_published_at or self.post.published_at

    @property
    def modified_at(self) -> datetime:
        """When the version on the page went live."""
        return self.post.published_at

    @property
    def published_iso(self) -> str:
        return iso_local(self.published_at)

    @property
    def modified_iso(self) -> str:
        return iso_local(self.modified_at)

    @property
    def last_changed(self) -> datetime:
        """The newest moment anything on the page changed: publication or a (re-)review."""
        return max(self.post.published_at, self.review.signed_at)


def articles_from(posts) -> list[Article]:
    """The posts that may be shown, with their reviews; a post without a valid review is dropped."""
    posts = list(posts)
    reviews = public_reviews_for(posts)
    return [Article(post, reviews[post.pk]) for post in posts if post.pk in reviews]


class ArticlePaginator(Paginator):
    """Public posts a page at a time: each page holds the articles of its posts that pass verification."""

    def _get_page(self, object_list, *args, **kwargs):
        return super()._get_page(articles_from(object_list), *args, **kwargs)


def public_article_pages(per_page: int) -> ArticlePaginator:
    """Every public article, `per_page` at a time; only the page asked for is verified."""
    paginator = ArticlePaginator(public_posts(), per_page)
    paginator.count = public_post_count()  # counting what public_posts() checks would cost a scan
    return paginator
