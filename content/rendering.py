"""Markdown to safe HTML: the one renderer for previews, revisions and the public site."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

# What may reach a reader's browser. Anything not listed is removed, with the
# contents of script and style elements dropped entirely.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes", "decoding"},
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


def heading_id(value: str, separator: str) -> str:
    # A prefix keeps heading anchors from colliding with the page's own element ids.
    return "sec-" + (slugify(value, allow_unicode=True) or "heading")


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that is safe to show to any reader."""
    html = markdown.markdown(
        text,
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs={
            "toc": {"slugify": heading_id},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
