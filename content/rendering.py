"""Markdown to safe HTML: the one renderer for previews, revisions and the public site."""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

# What may reach a reader's browser. Anything not listed is removed, with the
# contents of script and style elements dropped entirely.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "picture", "source", "small",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes", "decoding"},
    "source": {"srcset", "sizes", "type", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Classes are allowed per tag here, and must not also be listed as attributes above.
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_EXTENSIONS = ["tables", "footnotes", "toc", "sane_lists", "fenced_code"]
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What a browser's URL parser ignores: C0 controls and spaces at the ends, tabs and newlines anywhere.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(map(chr, range(0x21)))


def _url_allowed(url: str) -> bool:
    url = _URL_IGNORED.sub("", url).strip(_URL_TRIMMED)
    scheme = _SCHEME.match(url)
    return scheme is None or scheme[1].lower() in ALLOWED_URL_SCHEMES


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 checks the schemes of href and src but not of srcset's candidates: drop a srcset with any bad one."""
    if attribute == "srcset":
        candidates = [part.split()[0] for part in value.split(",") if part.strip()]
        return value if all(_url_allowed(url) for url in candidates) else None
    return value


def heading_id(value: str, separator: str) -> str:
    # A prefix keeps heading anchors from colliding with the page's own element ids.
    return "sec-" + (slugify(value, allow_unicode=True) or "heading")


# An uploaded picture in Markdown: ![alt](image:<id> "caption"); an optional /<label> after the
# id is the uploaded file's name, there for people and the claims linter only.
PICTURE_SRC = re.compile(r"image:(\d+)(?:/[^\s]*)?")
# The article column is at most about 44rem wide; narrower screens use the full width.
PICTURE_SIZES = "(min-width: 48rem) 44rem, 100vw"


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
    """One Markdown image in the body: which picture (None when not an upload), alt text, caption."""

    picture_id: int | None
    alt: str
    caption: str
    src: str
    found: bool


@dataclass
class Rendered:
    html: SafeString
    pictures: list[PictureUse] = field(default_factory=list)


def picture_element(picture: Picture, *, alt: str, caption: str, eager: bool, standalone: bool) -> etree.Element:
    """The markup of a picture: WebP and original-format copies with srcset, sizes and intrinsic size.

    Standalone (a paragraph of its own, or the hero), it is a figure with its caption and credit.
    """
    element = etree.Element("picture")
    etree.SubElement(element, "source", {"type": "image/webp", "srcset": picture.webp_srcset,
                                         "sizes": PICTURE_SIZES})
    etree.SubElement(element, "img", {
        "src": picture.src, "srcset": picture.srcset, "sizes": PICTURE_SIZES, "alt": alt,
        "width": str(picture.width), "height": str(picture.height),
        "loading": "eager" if eager else "lazy", "decoding": "async",
    })
    if not standalone:
        return element
    figure = etree.Element("figure")
    figure.append(element)
    if caption or picture.credit:
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = caption
        if picture.credit:
            credit = etree.SubElement(figcaption, "small")
            credit.text = f"{' ' if caption else ''}{picture.credit}"
    return figure


class _PictureProcessor(Treeprocessor):
    """Turns ![alt](image:<id> "caption") into the picture's markup and notes every image used."""

    def __init__(self, md, pictures: dict[int, Picture], uses: list[PictureUse], eager_first: bool):
        super().__init__(md)
        self.pictures, self.uses, self.eager_first = pictures, uses, eager_first

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            src, alt, caption = img.get("src", ""), img.get("alt", ""), img.get("title", "")
            match = PICTURE_SRC.fullmatch(src)
            picture = self.pictures.get(int(match.group(1))) if match else None
            self.uses.append(PictureUse(int(match.group(1)) if match else None, alt, caption, src,
                                        picture is not None))
            if picture is None:
                continue
            parent = parents[img]
            standalone = (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
                          and not (img.tail or "").strip())
            eager = self.eager_first and sum(u.found for u in self.uses) == 1
            element = picture_element(picture, alt=alt, caption=caption, eager=eager, standalone=standalone)
            if standalone:
                parent.tag, parent.text = element.tag, None
                parent.remove(img)
                parent.extend(list(element))
            else:
                element.tail = img.tail
                index = list(parent).index(img)
                parent.remove(img)
                parent.insert(index, element)


class _PictureExtension(markdown.Extension):
    def __init__(self, pictures, uses, eager_first):
        super().__init__()
        self.args = (pictures, uses, eager_first)

    def extendMarkdown(self, md):
        # After the inline patterns (priority 20) have made the <img> elements.
        md.treeprocessors.register(_PictureProcessor(md, *self.args), "pictures", 15)


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that is safe to show to any reader."""
    return render_with_pictures(text).html


def render_with_pictures(text: str, pictures: dict[int, Picture] | None = None, *,
                         hero: tuple[Picture, str, str] | None = None) -> Rendered:
    """Render Markdown, showing uploaded `pictures` where the text refers to them, and `hero` (picture, alt,
    caption) above it; also say which images the text uses. Still a pure function of its arguments."""
    uses: list[PictureUse] = []
    html = markdown.markdown(
        text,
        extensions=[*MARKDOWN_EXTENSIONS, _PictureExtension(pictures or {}, uses, eager_first=hero is None)],
        extension_configs={
            "toc": {"slugify": heading_id},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    if hero is not None:
        picture, alt, caption = hero
        figure = picture_element(picture, alt=alt, caption=caption, eager=True, standalone=True)
        html = etree.tostring(figure, encoding="unicode", method="html") + "\n" + html
    return Rendered(_clean(html), uses)


def _clean(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
