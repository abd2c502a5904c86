"""Reading a WordPress export (WXR): streamed, with entities, DTDs and oversized files refused.

The file is read twice with defusedxml's iterparse, one <item> at a time, so memory does not grow with the
export: first for the site (its authors and its attachments, which posts refer to by id), then for the posts.
A file that is not well-formed XML is then read item by item, as WordPress's own importer falls back to
doing, so one broken post costs that post alone.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring, iterparse

# Largest export read; a bigger one is refused before any of it is parsed (--max-megabytes).
MAX_MEGABYTES = 512
# Largest single <item> read when the file is not well-formed and is read item by item.
MAX_ITEM_BYTES = 16 * 1024 * 1024
READ_BLOCK = 1024 * 1024

# Namespaces by what their URI ends with, whatever the WXR version (1.0, 1.1, 1.2).
_PREFIXES = [
    (re.compile(r"wordpress\.org/export/[\d.]+/excerpt/$"), "excerpt"),
    (re.compile(r"wordpress\.org/export/[\d.]+/$"), "wp"),
    (re.compile(r"purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"purl\.org/dc/elements/1\.1/$"), "dc"),
]
# Post meta the import reads: the featured picture, an attachment's file and alt text.
META_KEYS = {"_thumbnail_id", "_wp_attached_file", "_wp_attachment_image_alt"}


class ExportUnreadable(Exception):
    """Nothing of the file can be read: the message says why, in words for the person running the import."""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Attachment:
    post_id: int
    url: str
    file: str = ""  # relative to wp-content/uploads, e.g. 2019/05/acne.jpg
    alt: str = ""


@dataclass
class Item:
    """One <item> of the export, as text; nothing is interpreted yet but its id."""

    post_id: int | None
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    status: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date_gmt: str = ""
    date: str = ""
    pub_date: str = ""
    attachment_url: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (domain, name): category, post_tag …
    comments: int = 0


@dataclass
class BrokenItem:
    """An item that could not be read at all: where it was, and what it seemed to be."""

    line: int
    title: str
    error: str


@dataclass
class Site:
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)  # by login
    attachments: dict[int, Attachment] = field(default_factory=dict)
    item_count: int = 0
    # Set when the file is not well-formed: the parser's complaint, read item by item after it.
    not_well_formed: str = ""

    @property
    def blog_path(self) -> str:
        """The path the old blog lived under ("" at the root of its host)."""
        return urlsplit(self.base_blog_url or self.base_site_url).path.rstrip("/")


def local_name(tag: str) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` as `wp:post_id`; unknown namespaces keep their local name."""
    if not tag.startswith("{"):
        return tag
    uri, _, name = tag[1:].partition("}")
    for pattern, prefix in _PREFIXES:
        if pattern.search(uri):
            return f"{prefix}:{name}"
    return name


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: Element) -> dict[str, Element]:
    found = {}
    for child in element:
        found.setdefault(local_name(child.tag), child)
    return found


def as_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def read_author(element: Element) -> Author:
    children = _children(element)
    return Author(login=_text(children.get("wp:author_login")), email=_text(children.get("wp:author_email")),
                  display_name=_text(children.get("wp:author_display_name")),
                  first_name=_text(children.get("wp:author_first_name")),
                  last_name=_text(children.get("wp:author_last_name")))


def read_item(element: Element) -> Item:
    children = _children(element)
    meta = {}
    terms = []
    comments = 0
    for child in element:
        name = local_name(child.tag)
        if name == "wp:postmeta":
            parts = _children(child)
            key = _text(parts.get("wp:meta_key"))
            if key in META_KEYS:
                meta[key] = _text(parts.get("wp:meta_value"))
        elif name == "category":
            terms.append((child.get("domain", "category"), (child.text or "").strip()))
        elif name == "wp:comment":
            comments += 1

    def text(name: str, strip: bool = True) -> str:
        value = children.get(name)
        if value is None:
            return ""
        return (value.text or "").strip() if strip else (value.text or "")

    return Item(
        post_id=as_int(text("wp:post_id")), post_type=text("wp:post_type") or "post", title=text("title"),
        link=text("link"), guid=text("guid"), slug=unquote(text("wp:post_name")), status=text("wp:status"),
        creator=text("dc:creator"), content=text("content:encoded", strip=False),
        excerpt=text("excerpt:encoded", strip=False), date_gmt=text("wp:post_date_gmt"), date=text("wp:post_date"),
        pub_date=text("pubDate"), attachment_url=text("wp:attachment_url"), meta=meta, terms=terms,
        comments=comments,
    )


def attachment_of(item: Item) -> Attachment | None:
    if item.post_type != "attachment" or item.post_id is None:
        return None
    return Attachment(post_id=item.post_id, url=item.attachment_url or item.guid,
                      file=item.meta.get("_wp_attached_file", ""), alt=item.meta.get("_wp_attachment_image_alt", ""))


def check_size(path: str, max_megabytes: float) -> None:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ExportUnreadable(f"Cannot open {path}: {exc.strerror or exc}.") from exc
    if size > max_megabytes * 1024 * 1024:
        raise ExportUnreadable(
            f"{path} is {size / 1024 / 1024:,.0f} MB; the limit is {max_megabytes:g} MB. Split the export in "
            "WordPress (Tools › Export, by date or author) or raise the limit with --max-megabytes.")
    if size == 0:
        raise ExportUnreadable(f"{path} is empty.")


def _hostile(exc: defusedxml.DefusedXmlException) -> ExportUnreadable:
    kind = type(exc).__name__
    what = {"DTDForbidden": "a document type declaration (DTD)",
            "EntitiesForbidden": "entity declarations",
            "ExternalReferenceForbidden": "a reference to an outside file or address"}.get(kind, "markup")
    return ExportUnreadable(
        f"The file contains {what}. A WordPress export never does, and such markup can make a reader expand "
        "text without end or read other files, so nothing of it was imported.")


def _stream(path: str) -> Iterator[tuple[str, Element]]:
    """("author" | "item" | "site", element) for each author and item, then the channel; elements are let go."""
    channel = None
    with open(path, "rb") as source:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            name = local_name(element.tag)
            if event == "start":
                if name == "channel" and channel is None:
                    channel = element
                continue
            if name == "item" or name == "wp:author":
                yield ("item" if name == "item" else "author"), element
                element.clear()
                if channel is not None:
                    channel.remove(element)
            elif name == "channel":
                yield "site", element


def _salvage(path: str) -> Iterator[tuple[str, Element | BrokenItem]]:
    """The same, for a file that is not well-formed: each <item> is cut out and read on its own."""
    with open(path, "rb") as source:
        buffer = b""
        line = 1
        header_done = False
        wrapper_start = b"<rss><channel>"
        while True:
            block = source.read(READ_BLOCK)
            buffer += block
            if not header_done:
                start = _ITEM_START.search(buffer)
                if start is None and block:
                    if len(buffer) > MAX_ITEM_BYTES:
                        raise ExportUnreadable("No <item> was found in the first 16 MB: this is not a WordPress export.")
                    continue
                header = buffer[:start.start()] if start else buffer
                declaration = re.match(rb"\s*<\?xml[^>]*\?>", header)
                rss = re.search(rb"<rss\b[^>]*>", header)
                if rss is None:
                    raise ExportUnreadable("This is not a WordPress export: it has no <rss> element.")
                if re.search(rb"<!DOCTYPE|<!ENTITY", header, re.IGNORECASE):
                    raise _hostile(defusedxml.DTDForbidden(None, None, None))
                wrapper_start = (declaration.group(0) if declaration else b"") + rss.group(0) + b"<channel>"
                try:
                    channel = fromstring(header[rss.start():] + b"</channel></rss>", forbid_dtd=True).find("channel")
                except (ParseError, defusedxml.DefusedXmlException):
                    channel = None
                if channel is not None:
                    for child in list(channel):
                        if local_name(child.tag) == "wp:author":
                            yield "author", child
                    yield "site", channel
                line += header.count(b"\n")
                buffer = buffer[len(header):]
                header_done = True
                if start is None:
                    return
            while True:
                start = _ITEM_START.search(buffer)
                if start is None:
                    break
                end = buffer.find(b"</item>", start.end())
                if end < 0:
                    if not block or len(buffer) - start.start() > MAX_ITEM_BYTES:
                        yield "item", BrokenItem(line + buffer.count(b"\n", 0, start.start()), _guess_title(
                            buffer[start.start():]), "the item has no end" + (
                                " (the file stops inside it)" if not block else " within 16 MB"))
                        line += buffer.count(b"\n", 0, start.end())
                        buffer = buffer[start.end():]
                        continue
                    break
                chunk = buffer[start.start():end + len(b"</item>")]
                item_line = line + buffer.count(b"\n", 0, start.start())
                try:
                    element = fromstring(wrapper_start + chunk + b"</channel></rss>", forbid_dtd=True)
                    yield "item", element.find("channel/item")
                except defusedxml.DefusedXmlException as exc:
                    yield "item", BrokenItem(item_line, _guess_title(chunk), str(_hostile(exc)))
                except ParseError as exc:
                    yield "item", BrokenItem(item_line, _guess_title(chunk), "not well-formed XML (" + _where(
                        exc, line_offset=item_line - 1 - wrapper_start.count(b"\n")) + ")")
                consumed = end + len(b"</item>")
                line += buffer.count(b"\n", 0, consumed)
                buffer = buffer[consumed:]
            if not block:
                return
            # Keep only what may still hold the start of an item.
            keep_from = max(0, len(buffer) - 8) if _ITEM_START.search(buffer) is None else 0
            line += buffer.count(b"\n", 0, keep_from)
            buffer = buffer[keep_from:]


_ITEM_START = re.compile(rb"<item[\s>]")


def _guess_title(chunk: bytes) -> str:
    found = re.search(rb"<title>(?:<!\[CDATA\[)?(.{0,200}?)(?:\]\]>)?</title>", chunk, re.S)
    return found.group(1).decode("utf-8", "replace").strip() if found else ""


def _where(exc: ParseError, line_offset: int = 0) -> str:
    line, column = getattr(exc, "position", (0, 0))
    line += line_offset
    reason = str(exc).split(":")[0]
    return f"line {line}, column {column + 1}: {reason}"


def _events(path: str, site: Site) -> Iterator[tuple[str, Element | BrokenItem]]:
    return _salvage(path) if site.not_well_formed else _stream(path)


def read_site(path: str, *, max_megabytes: float = MAX_MEGABYTES) -> Site:
    """The first reading: the site's addresses, authors and attachments, and whether the file is well-formed."""
    check_size(path, max_megabytes)
    site = Site()
    try:
        _collect(site, _stream(path))
    except defusedxml.DefusedXmlException as exc:
        raise _hostile(exc) from exc
    except ParseError as exc:
        site = Site(not_well_formed=_where(exc))
        try:
            _collect(site, _salvage(path))
        except defusedxml.DefusedXmlException as hostile:
            raise _hostile(hostile) from hostile
        if not site.item_count:
            raise ExportUnreadable(f"The file is not well-formed XML ({site.not_well_formed}) and no post could "
                                   "be read from it.") from exc
    if not site.item_count and not site.authors and not site.base_site_url:
        raise ExportUnreadable("This is not a WordPress export: it has no <item> and no site address. "
                               "Export from WordPress with Tools › Export › All content.")
    return site


def _collect(site: Site, events) -> None:
    for kind, element in events:
        if kind == "author":
            author = read_author(element)
            if author.login:
                site.authors.setdefault(author.login, author)
        elif kind == "site":
            children = _children(element)
            site.base_site_url = _text(children.get("wp:base_site_url")) or _text(children.get("link"))
            site.base_blog_url = _text(children.get("wp:base_blog_url")) or site.base_site_url
        elif kind == "item":
            site.item_count += 1
            if isinstance(element, BrokenItem):
                continue
            attachment = attachment_of(read_item(element))
            if attachment is not None:
                site.attachments[attachment.post_id] = attachment


def read_items(path: str, site: Site) -> Iterator[Item | BrokenItem]:
    """The second reading: every item in the file's order (posts, pages, attachments …), or why one is unreadable."""
    try:
        for kind, element in _events(path, site):
            if kind == "item":
                yield element if isinstance(element, BrokenItem) else read_item(element)
    except ParseError as exc:  # the file changed between the two readings
        yield BrokenItem(getattr(exc, "position", (0, 0))[0], "", f"the file stopped being readable ({_where(exc)})")
