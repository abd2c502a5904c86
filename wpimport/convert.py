"""A WordPress post's HTML as a MedReview body: Markdown where it converts cleanly, allowed HTML where it does not.

What the site's renderer refuses (content.rendering: anything that loads from elsewhere or does not display) is
taken out and named in the notes, never dropped in silence; so are shortcodes, embeds and galleries, which are
WordPress's own and mean nothing here. Pictures go through `place_picture`, which the importer gives: it uploads
the file and answers with the upload's reference, or None when the picture cannot come along.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from content.rendering import (ALLOWED_URL_SCHEMES, HIDDEN_TAGS, HIDING_ATTRIBUTES, LOADING_ATTRIBUTES, LOADING_TAGS, PICTURE_ATTRIBUTES,
                               PICTURE_TAGS, refused_in)
from wpimport.claimed_reviews import remove_claims


@dataclass(frozen=True)
class PictureRequest:
    src: str
    alt: str
    caption: str
    attachment_id: int | None


@dataclass(frozen=True)
class PlacedPicture:
    reference: str  # image:<id>/<label>
    alt: str


@dataclass
class Converted:
    markdown: str
    notes: list[str] = field(default_factory=list)
    claimed_reviews: list[str] = field(default_factory=list)
    kept_html: list[str] = field(default_factory=list)  # which elements made a block stay HTML

    @property
    def first_paragraph(self) -> str:
        for block in self.markdown.split("\n\n"):
            if block and not block.startswith(("#", "!", "<", ">", "-", "*", "|")) and not block[0].isdigit():
                return block
        return ""


# Blocks and inline elements Markdown writes as they were.
CONVERTIBLE = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "em", "i", "strong", "b",
               "a", "img", "br", "code", "pre", "hr"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "table", "figure", "dl",
          "div", "section", "aside", "header", "footer", "details", "address", "form", "fieldset", "iframe",
          "video", "audio", "object", "embed", "script", "style", "noscript", "template", "picture"}
# Wrappers whose text stays and whose element means nothing in an article here.
_UNWRAP = {"span", "font", "center", "article", "main", "section", "header", "footer", "aside", "big", "nobr"}
_WORDPRESS_BLOCK = re.compile(r"<!--\s*(/?)wp:([a-z0-9/-]+)(.*?)/?-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.I)
_EMBED = re.compile(r"\[embed[^\]]*\]\s*(.*?)\s*\[/embed\]", re.S | re.I)
# Any other shortcode WordPress would run: one with attributes, closed by [/name], or written [name /].
_SHORTCODE = re.compile(
    r"\[([a-zA-Z][\w-]*)((?:\s+[^\]]*?)?)(/?)\](?:(.*?)\[/\1\])?", re.S)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
_BLANK_LINES = re.compile(r"\n\s*\n")
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_UPLOAD = re.compile(r"/wp-content/uploads/")
# A block tag that starts a paragraph of classic-editor text: that chunk is not wrapped in <p>.
_STARTS_WITH_BLOCK = re.compile(
    r"^\s*<(?:/?)(?:" + "|".join(sorted(_BLOCK | {"li", "tr", "td", "th", "thead", "tbody", "dt", "dd", "caption",
                                                  "figcaption", "h[1-6]"})) + r")\b", re.I)


class _Markdown(MarkdownConverter):
    """markdownify with "-" bullets, # headings and everything that could read as Markdown or HTML escaped."""

    def __init__(self):
        super().__init__(heading_style="ATX", bullets="-", escape_misc=True, escape_asterisks=True,
                         escape_underscores=True, strong_em_symbol="*", code_language="")

    def convert_a(self, el, text, parent_tags):
        href = el.attrs.get("href") or ""
        if href and el.get_text() == href and re.fullmatch(r"https?://[^\s<>]+", href):
            return f"<{href}>"  # an address shown as itself
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        alt = (el.attrs.get("alt") or "").replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        title = (el.attrs.get("title") or "").replace("\\", "\\\\").replace('"', '\\"')
        src = el.attrs.get("src") or ""
        return f'![{alt}]({src}{f" {chr(34)}{title}{chr(34)}" if title else ""})'


def _attributes(text: str) -> dict[str, str]:
    return {m[1].lower(): next(v for v in m.groups()[1:] if v is not None) for m in _ATTRIBUTE.finditer(text)}


def _autop(text: str) -> str:
    """WordPress's classic editor keeps paragraphs as blank lines and line breaks as newlines: make them HTML."""
    chunks = [chunk.strip() for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n")) if chunk.strip()]
    out = []
    for chunk in chunks:
        if _STARTS_WITH_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _wordpress_blocks(html: str, notes: list[str]) -> str:
    """Gutenberg's block comments out; say which blocks meant something WordPress alone can show."""
    seen = Counter(m[2] for m in _WORDPRESS_BLOCK.finditer(html) if not m[1])
    for name, count in sorted(seen.items()):
        short = name.removeprefix("core/").removeprefix("core-")
        if short not in {"paragraph", "heading", "list", "list-item", "quote", "image", "separator", "html",
                           "gallery", "table", "shortcode", "group", "columns", "column", "spacer", "more",
                           "preformatted", "code", "pullquote", "buttons", "button", "media-text", "cover"} and not short.startswith("embed"):
            notes.append(f"{count} WordPress block(s) {name} have no equivalent here; their text was kept.")
    return _COMMENT.sub("", html)


def _shortcodes(html: str, notes: list[str], attachments: dict) -> str:
    def caption(match):
        attributes = _attributes(match[1])
        inner = match[2]
        img_end = inner.lower().rfind("</a>") if "<a" in inner.lower() else -1
        if img_end < 0:
            img_end = inner.find(">", inner.lower().find("<img")) if "<img" in inner.lower() else -1
        else:
            img_end += 3
        picture, text = (inner[:img_end + 1], inner[img_end + 1:]) if img_end >= 0 else (inner, "")
        text = text.strip() or attributes.get("caption", "")
        return f"<figure>{picture}<figcaption>{text}</figcaption></figure>"

    def gallery(match):
        ids = [int(i) for i in re.findall(r"\d+", _attributes(match[1]).get("ids", ""))]
        found = [attachments[i] for i in ids if i in attachments]
        notes.append(f"A gallery of {len(ids)} picture(s) became the pictures one after another"
                     + (f"; {len(ids) - len(found)} of them are not in the export" if len(found) < len(ids) else "")
                     + ".")
        return "".join(f'<figure><img src="{a.url}" class="wp-image-{a.post_id}"></figure>' for a in found)

    def embed(match):
        notes.append(f"An embedded item became a link: {match[1]}")
        return f'<p><a href="{match[1]}">{match[1]}</a></p>'

    def other(match):
        name, attributes, inner = match[1], match[2] or "", match[4]
        if not attributes.strip() and not match[3] and inner is None:
            return match[0]  # "[sic]", "[1]": text, not a shortcode
        shown = match[0] if len(match[0]) <= 120 else match[0][:117] + "…"
        notes.append(f"WordPress shortcode [{name}] was removed" + (", its text kept" if inner else "")
                     + f": {shown}")
        return inner or ""

    html = _CAPTION.sub(caption, html)
    html = _GALLERY.sub(gallery, html)
    html = _EMBED.sub(embed, html)
    return _SHORTCODE.sub(other, html)


def _bare_urls(html: str, notes: list[str]) -> str:
    def link(match):
        notes.append(f"An address on a line of its own, which WordPress showed as an embedded item, is a link: "
                     f"{match[1]}")
        return f'<a href="{match[1]}">{match[1]}</a>'

    return _BARE_URL_LINE.sub(link, html)


def _refusal_note(refused) -> str:
    where = f" ({refused.address})" if refused.address else ""
    if refused.kind == "picture":
        return f"Removed {refused.markup}{where}: only pictures uploaded here can show in a body."
    if refused.kind == "load":
        return f"Removed {refused.markup}{where}: it would make readers' browsers load or run what nobody signed."
    if refused.kind == "style":
        return f"Removed {refused.markup}{where}: the site styles articles, and a style can hide words."
    return f"Removed {refused.markup}: what it holds does not display, so the reviewer would not see it."


def _pictures(soup: BeautifulSoup, place_picture: Callable[[PictureRequest], PlacedPicture | None]) -> None:
    for picture in soup.find_all("picture"):
        for source in picture.find_all("source"):
            source.decompose()
        picture.unwrap()
    for noscript in soup.find_all("noscript"):
        if noscript.find("img") and noscript.find_previous_sibling("img"):
            noscript.decompose()  # a lazy-loading plugin's second copy of the picture before it
    for img in soup.find_all("img"):
        src = img.get("data-src") or img.get("data-lazy-src") or img.get("src") or ""
        figure = img.find_parent("figure")
        caption_element = figure.find("figcaption") if figure else None
        caption = " ".join(caption_element.get_text(" ").split()) if caption_element else ""
        found = _WP_IMAGE_CLASS.search(" ".join(img.get("class") or []))
        placed = place_picture(PictureRequest(src=src, alt=" ".join((img.get("alt") or "").split()),
                                              caption=caption, attachment_id=int(found[1]) if found else None))
        link = img.parent if img.parent is not None and img.parent.name == "a" else None
        if link is not None and _UPLOAD.search(link.get("href", "")) and len(link.get_text(strip=True)) == 0:
            link.unwrap()  # a link to the old site's copy of the same picture
        if placed is None:
            img.decompose()
            continue
        img.attrs = {"src": placed.reference, "alt": placed.alt, **({"title": caption} if caption else {})}
        if figure is not None:
            if caption_element is not None:
                caption_element.decompose()
            if len(figure.find_all("img")) == 1 and not figure.get_text(strip=True):
                figure.name = "p"
                figure.attrs = {}


def _remove_refused(soup: BeautifulSoup, notes: list[str]) -> None:
    notes += list(dict.fromkeys(_refusal_note(refused) for refused in refused_in(str(soup))))
    for element in soup.find_all(True):
        if element.decomposed:
            continue
        if element.name in LOADING_TAGS or element.name in HIDDEN_TAGS or (
                element.name in PICTURE_TAGS and element.name != "img"):
            element.decompose()
            continue
        for name in list(element.attrs):
            if (name in HIDING_ATTRIBUTES or name in PICTURE_ATTRIBUTES or name in LOADING_ATTRIBUTES) and not (
                    element.name == "img" and name == "src"):
                del element.attrs[name]


def _links(soup: BeautifulSoup, notes: list[str]) -> None:
    """A link the renderer would not keep (javascript:, data: …) loses its address, and the notes say so."""
    for link in soup.find_all("a", href=True):
        scheme = _SCHEME.match(link["href"].strip())
        if scheme and scheme[1].lower() not in ALLOWED_URL_SCHEMES:
            notes.append(f"Removed the link to {link['href'][:80]}: only {', '.join(sorted(ALLOWED_URL_SCHEMES))} "
                         "links are kept; its text stays.")
            del link["href"]
            link.unwrap()


_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# An address typed in the text; the punctuation that ends a sentence is not part of it.
_ADDRESS_IN_TEXT = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)\]]*(?:\s|$))")


def _addresses_as_links(soup: BeautifulSoup) -> None:
    """An address typed in the text becomes a link, so that escaping its characters for Markdown cannot break it."""
    for text in list(soup.find_all(string=_ADDRESS_IN_TEXT)):
        if type(text) is not NavigableString or text.find_parent(["a", "code", "pre"]) is not None:
            continue
        pieces, position = [], 0
        for match in _ADDRESS_IN_TEXT.finditer(str(text)):
            pieces.append(NavigableString(str(text)[position:match.start()]))
            link = soup.new_tag("a", href=match[0])
            link.string = match[0]
            pieces.append(link)
            position = match.end()
        pieces.append(NavigableString(str(text)[position:]))
        for piece in pieces:
            text.insert_before(piece)
        text.extract()


def _simplify(soup: BeautifulSoup) -> None:
    for element in soup.find_all(_UNWRAP):
        element.unwrap()
    for figure in soup.find_all("figure"):
        if len(figure.find_all("img")) != 1:  # an embed's wrapper, or a gallery of several pictures
            figure.unwrap()
    for listing in soup.find_all(["ul", "ol"]):
        items = listing.find_all("li", recursive=False)
        if items and all(len(item.find_all("img")) == 1 and not item.get_text(strip=True) for item in items):
            for item in items:  # a gallery's list: each picture a paragraph of its own, shown with its caption
                paragraph = soup.new_tag("p")
                paragraph.append(item.find("img").extract())
                listing.insert_before(paragraph)
            listing.decompose()
    for div in soup.find_all("div"):
        if div.find(_BLOCK):
            div.unwrap()
        else:
            div.name, div.attrs = "p", {}
    for element in soup.find_all(True):
        keep = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "td": {"colspan", "rowspan"},
                "th": {"colspan", "rowspan", "scope"}}.get(element.name, set())
        element.attrs = {name: value for name, value in element.attrs.items() if name in keep}
    for empty in soup.find_all(["p", "strong", "em", "b", "i"]):
        if not empty.get_text(strip=True) and not empty.find(["img", "br"]) and not empty.decomposed:
            empty.decompose()


def _gather_loose(soup: BeautifulSoup) -> None:
    """Loose text and inline elements between the top-level blocks become paragraphs, where they stand."""
    loose: list = []

    def flush():
        if any(str(node).strip() for node in loose):
            paragraph = soup.new_tag("p")
            loose[0].insert_before(paragraph)
            for node in loose:
                paragraph.append(node.extract())
        loose.clear()

    for node in list(soup.children):
        if isinstance(node, Tag) and (node.name in _BLOCK or node.name in ("li", "table", "dl")):
            flush()
        elif isinstance(node, NavigableString) and not str(node).strip() and not loose:
            node.extract()
        else:
            loose.append(node)
    flush()


def to_markdown(content: str, *, place_picture: Callable[[PictureRequest], PlacedPicture | None],
                attachments: dict | None = None) -> Converted:
    """Convert one post's content (as WordPress stores it) to a body, saying what did not come along as it was."""
    notes: list[str] = []
    gutenberg = "<!-- wp:" in content
    html = _wordpress_blocks(content, notes)
    html = _shortcodes(html, notes, attachments or {})
    html = _bare_urls(html, notes)
    if not gutenberg:
        html = _autop(html)
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    _pictures(soup, place_picture)
    _remove_refused(soup, notes)
    _links(soup, notes)
    _simplify(soup)
    _addresses_as_links(soup)
    _gather_loose(soup)
    claimed = remove_claims(soup)
    converter = _Markdown()
    parts, kept = [], []
    for block in soup.find_all(True, recursive=False):
        tags = {block.name, *(element.name for element in block.find_all(True))}
        if tags <= CONVERTIBLE and block.name != "li":
            markdown = converter.convert(str(block)).strip()
            if markdown:
                parts.append(markdown)
        else:
            kept += sorted(tags - CONVERTIBLE) or [block.name]
            parts.append(_BLANK_LINES.sub("\n", str(block)).strip())
    if kept:
        names = ", ".join(f"<{name}>" for name in dict.fromkeys(kept))
        notes.append(f"Kept as HTML, which Markdown cannot write: {names}.")
    return Converted(markdown="\n\n".join(parts) + "\n" if parts else "", notes=notes, claimed_reviews=claimed,
                     kept_html=list(dict.fromkeys(kept)))
