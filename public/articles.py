"""A public article: a live post together with the valid review that lets it be public."""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from html.parser import HTMLParser

from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

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
SOURCES_VERSION = "2"
_DOI_LINK = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)", re.IGNORECASE)


def _visible(text: str) -> bool:
    """Whether a text shows anything: not only spaces, zero-width or other format characters."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs") for char in text)


class _Citations(HTMLParser):
    """The footnotes (section.footnotes > ol > li) and outside links (http/https) of a revision's stored HTML,
    in order of first use: a footnote takes the place of its first reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Source | str] = []  # a str is the id of a footnote referred to there
        self.notes: dict[str, Source] = {}
        self.note_id = ""
        self.in_footnotes = self.in_backref = False
        self.note: list[str] | None = None  # text of the footnote being read
        self.note_url = ""
        self.link: list[str] | None = None  # text of the link being read
        self.link_url = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "footnotes":
            self.in_footnotes = True
        elif tag == "li" and self.in_footnotes:
            self.note, self.note_url, self.note_id = [], "", attrs.get("id") or ""
        elif tag == "a":
            self.in_backref = attrs.get("class") == "footnote-backref"
            href = attrs.get("href") or ""
            if href.startswith("#") and not self.in_footnotes:
                self.found.append(href[1:])
            elif href.startswith(("https://", "http://")):
                self.link, self.link_url = [], href

    def handle_endtag(self, tag):
        if tag == "a":
            if self.link is not None and _visible("".join(self.link)):
                if self.note is not None:
                    self.note_url = self.note_url or self.link_url
                else:
                    self.found.append(_source(" ".join("".join(self.link).split()), self.link_url))
            self.link, self.in_backref = None, False
        elif tag == "li" and self.note is not None:
            text = " ".join("".join(self.note).split())
            if _visible(text):
                self.notes[self.note_id] = _source(text, self.note_url)
            self.note = None
        elif tag == "section":
            self.in_footnotes = False

    def handle_data(self, data):
        if self.link is not None:
            self.link.append(data)
        if self.note is not None and not self.in_backref:
            self.note.append(data)


def _source(text: str, url: str) -> Source:
    doi = _DOI_LINK.fullmatch(url)
    return Source(text="" if text == url else text, url=url, doi=doi[1] if doi else "")


def sources_in(stored_html: str) -> list[Source]:
    """The sources a revision cites, read from its stored, sanitised HTML, which the reviewer read as it is:
    its footnotes and every outside link with visible text, in order of first use; each address once.
    Nothing comes from the Markdown, which may hold what the HTML does not show."""
    parser = _Citations()
    parser.feed(stored_html)
    parser.close()
    in_order = [parser.notes.get(item) if isinstance(item, str) else item for item in parser.found]
    seen: set[str] = set()
    unique = []
    for source in [*in_order, *parser.notes.values()]:
        if source is None:  # a link to something in the article that is not a footnote
            continue
        key = source.url.lower().rstrip("/") if source.url else f"note:{source.text}"
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def sources_of(revision) -> list[Source]:
    """The sources of a revision (sources_in its stored HTML), found once per content hash and kept in the cache:
    the hash covers the HTML, so the list never goes stale."""
    key = f"article-sources:{SOURCES_VERSION}:{revision.content_hash}"
    found = cache.get(key)
    if found is None:
        found = sources_in(revision.html)
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

    def page(self, number):
        page = super().page(number)
        page.object_list = articles_from(page.object_list)
        return page


def public_article_pages(per_page: int) -> ArticlePaginator:
    """Every public article, `per_page` at a time; only the page asked for is verified."""
    paginator = ArticlePaginator(public_posts(), per_page)
    paginator.count = public_post_count()  # counting what public_posts() checks would cost a scan
    return paginator
