"""Markdown to safe HTML: the one renderer for previews, revisions and the public site.

cmark-gfm (GitHub's C implementation of CommonMark, linear in its input whatever its shape) turns the
Markdown into HTML, and nh3 keeps only the allow-list below. A body shows pictures only through
references to this site's uploads (`image:<id>`): each is replaced by markup written here from the
upload's stored copies. Anything else that would load something, or would not display, is dropped
and reported (`Rendered.refused`), so that saving can refuse it with a message.
"""

import html as html_lib
import re
from dataclasses import dataclass, field

import nh3
from cmarkgfm import cmark
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

# Raw HTML in the Markdown reaches nh3, which decides what of it stays; footnotes as GitHub writes them.
CMARK_OPTIONS = cmark.Options.CMARK_OPT_UNSAFE | cmark.Options.CMARK_OPT_FOOTNOTES
CMARK_EXTENSIONS = ["table", "autolink", "strikethrough"]

# What may reach a reader's browser from the text. Anything not listed is removed, with the
# contents of script and style elements dropped entirely. Nothing listed loads anything: the only
# <img> kept is a reference to an upload, which _place_pictures replaces with the upload's markup.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "small",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Classes are allowed per tag here, and must not also be listed as attributes above.
ALLOWED_CLASSES = {
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "section": {"footnotes"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Every id in a body starts with this, and no id of the pages around a body does (a test checks),
# so an article can never take over an element of the review page such as "sign-panel".
BODY_ID_PREFIX = "body-"

# What a body may not contain, though nh3 would drop it: saving refuses it, naming it.
# Elements that show a picture: a body's pictures can only be uploads, inserted as ![alt](image:<id>) ...
PICTURE_TAGS = {"img", "picture", "source", "svg", "image"}
# ... elements that fetch something else by themselves ...
LOADING_TAGS = {"video", "audio", "track", "iframe", "frame", "frameset", "object", "embed", "applet", "link",
                "script", "use", "feimage", "portal", "meta", "base"}
# ... elements that do not display, so the reviewer would not see what they hold ...
HIDDEN_TAGS = {"style", "template", "noscript"}
# ... and attributes that load something or hide their element (a style can do both).
PICTURE_ATTRIBUTES = {"srcset", "background", "poster", "lowsrc", "dynsrc"}
LOADING_ATTRIBUTES = {"src", "data", "ping", "srcdoc", "codebase", "archive", "imagesrcset", "xlink:href",
                      "manifest", "icon"}
HIDING_ATTRIBUTES = {"style", "hidden"}
# Elements whose href is fetched, not followed.
HREF_LOADS = {"link", "image", "use", "feimage", "base"}
# Elements looked at only for their attributes (<input type=image src=…>).
LOOKED_AT = {"input"}
# Schemes kept while looking, so that a refusal can name any address.
_ANY_SCHEME = {"http", "https", "ftp", "data", "javascript", "vbscript", "file", "blob", "about", "image",
               "mailto", "tel", "livescript"}

# An uploaded picture in Markdown: ![alt](image:<id> "caption"); an optional /<label> after the
# id is the uploaded file's name, there for people and the claims linter only.
PICTURE_SRC = re.compile(r"image:(\d+)(?:/[^\s]*)?")
# The article column is at most about 44rem wide; narrower screens use the full width.
PICTURE_SIZES = "(min-width: 48rem) 44rem, 100vw"

# A start tag as nh3 (html5ever) writes it: attribute values always double-quoted, `"` escaped.
_START_TAG = re.compile(r'<([A-Za-z][^\s/>]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'([^\s=/>]+)(?:="([^"]*)")?')
_IMG = re.compile(r'(<p>)?<img((?:\s+[^\s=/>]+="[^"]*")*)>(</p>)?')
# Most HTML a body may turn into: each reference to a footnote adds a link back to it, so 200 KB of
# references to one note made 11 MB.
MAX_CONVERTED_BYTES = 2_000_000
# How an image in Markdown comes out of cmark.
_MARKDOWN_IMAGE = re.compile(r'<img src="([^"]*)"')
# How deep elements may be inside each other (quotes, lists, HTML tags, counted as they open and close).
MAX_NESTING = 64
# Elements that close themselves (void) or the previous one of their kind (<p>, <li>, <td> …): they add no depth.
_NO_DEPTH = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
             "param", "frame", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt",
             "rtc", "rp", "thead", "tbody", "tfoot", "colgroup", "caption"}
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Elements kept while looking whose content html5ever writes back as text, unescaped.
_RAW_TEXT = {"style", "script", "noscript", "iframe"}
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Picture:
    """What the renderer needs to show an uploaded picture: its resized copies, by URL."""

    id: int
    width: int
    height: int
    src: str  # the largest copy in the original format
    srcset: str  # original format, "url 480w, …"
    webp_srcset: str
    mime: str
    credit: str = ""


@dataclass(frozen=True)
class PictureUse:
    """One reference to an upload in the body: which picture, alt text, caption, and whether it exists."""

    picture_id: int | None
    alt: str
    caption: str
    src: str
    found: bool


@dataclass(frozen=True)
class Refused:
    """Something in a body that saving refuses. kind: "picture" (not an upload here), "load" (fetches
    something else), "hidden" (does not display), "style" (can do either), "nesting" (elements inside
    each other too deep to show) or "size" (too much HTML); markup: what it is, as "<tag>" or "<tag attr>"
    (for nesting and size: how deep, how large); address: what it would load, when it names something."""

    kind: str
    markup: str
    address: str = ""


@dataclass
class Rendered:
    html: SafeString
    pictures: list[PictureUse] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def picture_markup(picture: Picture, *, alt: str, caption: str, eager: bool, standalone: bool) -> str:
    """The markup of a picture: WebP and original-format copies with srcset, sizes and intrinsic size.

    Standalone (a paragraph of its own, or the hero), it is a figure with its caption and credit.
    """
    def attribute(value: str) -> str:
        return html_lib.escape(value, quote=True)

    markup = (
        f'<picture><source type="image/webp" srcset="{attribute(picture.webp_srcset)}" sizes="{PICTURE_SIZES}">'
        f'<img src="{attribute(picture.src)}" srcset="{attribute(picture.srcset)}" sizes="{PICTURE_SIZES}" '
        f'alt="{attribute(alt)}" width="{picture.width}" height="{picture.height}" '
        f'loading="{"eager" if eager else "lazy"}" decoding="async"></picture>'
    )
    if not standalone:
        return markup
    if caption or picture.credit:
        credit = (f"<small>{' ' if caption else ''}{html_lib.escape(picture.credit, quote=False)}</small>"
                  if picture.credit else "")
        markup += f"<figcaption>{html_lib.escape(caption, quote=False)}{credit}</figcaption>"
    return f"<figure>{markup}</figure>"


def heading_id(text: str) -> str:
    return slugify(text, allow_unicode=True) or "heading"


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that is safe to show to any reader."""
    return render_with_pictures(text).html


def render_with_pictures(text: str, pictures: dict[int, Picture] | None = None, *,
                         hero: tuple[Picture, str, str] | None = None) -> Rendered:
    """Render Markdown, showing uploaded `pictures` where the text refers to them, and `hero` (picture, alt,
    caption) above it; also say which uploads the text uses and what it holds that saving must refuse.
    Still a pure function of its arguments."""
    converted = cmark.markdown_to_html_with_extensions(text, CMARK_OPTIONS, CMARK_EXTENSIONS)
    # nh3's HTML parser, like a browser's, takes time for each element in proportion to how deep it is, and
    # for each byte: for HTML too deep or too large, show the text as typed and let saving refuse it.
    if len(converted) > MAX_CONVERTED_BYTES:
        return _as_typed(text, Refused("size", f"{len(converted) / 1_000_000:.1f} MB"))
    if _nests_too_deep(converted):
        return _as_typed(text, Refused("nesting", f"more than {MAX_NESTING} levels"))
    if "<" in text:
        refused = refused_in(converted)
    else:  # no HTML in the text: only Markdown images can be refused, and cmark writes them one way
        refused = [Refused("picture", "<img>", src) for src in map(html_lib.unescape, _MARKDOWN_IMAGE.findall(
            converted)) if not PICTURE_SRC.fullmatch(src)]
    cleaned = nh3.clean(
        converted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES | {"image"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    html, uses = _place_pictures(_add_heading_ids(cleaned), pictures or {}, eager_first=hero is None)
    if hero is not None:
        picture, alt, caption = hero
        html = picture_markup(picture, alt=alt, caption=caption, eager=True, standalone=True) + "\n" + html
    return Rendered(mark_safe(html.strip()), uses, refused)  # noqa: S308 - nh3-clean, plus markup written here


def _as_typed(text: str, refused: Refused) -> Rendered:
    paragraphs = (html_lib.escape(part.strip(), quote=False) for part in text.split("\n\n") if part.strip())
    return Rendered(mark_safe("\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)), [], [refused])


def _nests_too_deep(converted: str) -> bool:
    """Whether more than MAX_NESTING elements could be open at once, counting every start tag that is not
    closed yet (more than a browser would keep open, never fewer)."""
    open_by_tag: dict[str, int] = {}
    depth = 0
    for match in _TAG_NAME.finditer(converted):
        tag = match[2].lower()
        if tag in _NO_DEPTH:
            continue
        if not match[1]:
            open_by_tag[tag] = open_by_tag.get(tag, 0) + 1
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif open_by_tag.get(tag):
            open_by_tag[tag] -= 1
            depth -= 1
    return False


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Prefix ids (and links to them); keep an <img> only as a reference to an upload."""
    if attribute == "id":
        return BODY_ID_PREFIX + value
    if attribute == "href":
        if value.startswith("#"):
            return "#" + BODY_ID_PREFIX + value[1:]
        return None if value.lower().startswith("image:") else value
    if element == "img" and attribute == "src":
        return value if PICTURE_SRC.fullmatch(value) else None
    return value


def _add_heading_ids(html: str) -> str:
    """An id for every heading that has none, from its text, unique within the body."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    slugs: dict[str, str] = {}  # headings with the same text are slugified once

    def add(match: re.Match) -> str:
        if match[2] not in slugs:
            slugs[match[2]] = heading_id(html_lib.unescape(_TAG.sub("", match[2])))
        base = slugs[match[2]]
        candidate, n = base, counters.get(base, 1)
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        counters[base] = n
        used.add(candidate)
        return f'<h{match[1]} id="{BODY_ID_PREFIX}{candidate}">{match[2]}</h{match[1]}>'

    return _HEADING.sub(add, html)


def _attributes(text: str) -> dict[str, str]:
    return {name.lower(): html_lib.unescape(value or "") for name, value in _ATTRIBUTE.findall(text)}


def _place_pictures(html: str, pictures: dict[int, Picture], *, eager_first: bool) -> tuple[str, list[PictureUse]]:
    """Replace each reference to an upload by the upload's markup (a figure when it is a paragraph of its
    own); a reference to a picture that does not exist shows nothing."""
    uses: list[PictureUse] = []
    shown = 0

    def place(match: re.Match) -> str:
        nonlocal shown
        attributes = _attributes(match[2])
        src, alt, caption = attributes.get("src", ""), attributes.get("alt", ""), attributes.get("title", "")
        reference = PICTURE_SRC.fullmatch(src)
        picture = pictures.get(int(reference[1])) if reference else None
        opened, closed = match[1] or "", match[3] or ""
        if reference:
            uses.append(PictureUse(int(reference[1]), alt, caption, src, picture is not None))
        if picture is None:
            return opened + closed
        shown += 1
        eager = eager_first and shown == 1
        standalone = bool(opened and closed)
        markup = picture_markup(picture, alt=alt, caption=caption, eager=eager, standalone=standalone)
        return markup if standalone else opened + markup + closed

    return _IMG.sub(place, html), uses


def refused_in(converted: str) -> list[Refused]:
    """What of the converted HTML saving refuses, in the order it appears, each once.

    nh3 parses it as a browser would and writes back only the elements and attributes looked for,
    in one spelling, so that a plain pattern reads them reliably.
    """
    canonical = nh3.clean(
        converted,
        tags=ALLOWED_TAGS | PICTURE_TAGS | LOADING_TAGS | HIDDEN_TAGS | LOOKED_AT,
        clean_content_tags=set(),
        attributes={"*": PICTURE_ATTRIBUTES | LOADING_ATTRIBUTES | HIDING_ATTRIBUTES,
                    **{tag: {"href"} for tag in HREF_LOADS}},
        url_schemes=_ANY_SCHEME,
        strip_comments=True,
        link_rel=None,
    )
    found: list[Refused] = []
    position = 0
    while match := _START_TAG.search(canonical, position):
        position, text = match.end(), ""
        tag = match[1].lower()
        attributes = _attributes(match[2]) if match[2] else {}
        if tag in _RAW_TEXT:  # what follows, up to the end tag, is text, not markup
            end = canonical.find(f"</{tag}", position)
            text, position = canonical[position:end], end if end >= 0 else len(canonical)
        if tag == "img" and PICTURE_SRC.fullmatch(attributes.get("src", "")):
            del attributes["src"]  # a reference to an upload: the one way a picture gets in
        elif tag in PICTURE_TAGS or tag in LOADING_TAGS:
            named = next((name for name in ("src", "href", "xlink:href", "srcset", "data") if name in attributes), "")
            address = attributes.pop(named, "")
            address = _addresses(address) if named == "srcset" else address
            found.append(Refused("picture" if tag in PICTURE_TAGS else "load", f"<{tag}>", address))
        elif tag == "style":
            found.append(Refused("style", "<style>", _css_addresses(text)))
        elif tag in HIDDEN_TAGS:
            found.append(Refused("hidden", f"<{tag}>"))
        for name, value in attributes.items():
            if name == "style":
                found.append(Refused("style", f"<{tag} style>", _css_addresses(value)))
            elif name in HIDING_ATTRIBUTES:
                found.append(Refused("hidden", f"<{tag} {name}>"))
            elif name in PICTURE_ATTRIBUTES:
                found.append(Refused("picture", f"<{tag} {name}>", _addresses(value)))
            else:
                found.append(Refused("load", f"<{tag} {name}>", value))
    return list(dict.fromkeys(found))


_CSS_ADDRESS = re.compile(r"""(?:url\(\s*|@import\s+)['"]?([^'")\s;]+)""", re.IGNORECASE)


def _css_addresses(css: str) -> str:
    return ", ".join(_CSS_ADDRESS.findall(css))


def _addresses(srcset: str) -> str:
    """The addresses in a srcset, without their widths (a plain address stays as it is)."""
    return ", ".join(address for candidate in srcset.split(",") if (address := (candidate.split() or [""])[0]))
