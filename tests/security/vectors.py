"""The hostile-input corpus (xss_vectors.txt) and the checks every rendering of it must pass."""

import re
from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).with_name("xss_vectors.txt")
_PLACEHOLDER = re.compile(r"\{(NL|TAB|U\+([0-9A-Fa-f]{4,6}))\}")


def _expand(match: re.Match) -> str:
    if match[1] == "NL":
        return "\n"
    if match[1] == "TAB":
        return "\t"
    return chr(int(match[2], 16))


def load_vectors() -> list[str]:
    """Every vector of the corpus, placeholders expanded; `;;` lines are comments."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [_PLACEHOLDER.sub(_expand, line) for line in lines if line.strip() and not line.startswith(";;")]


# Attributes a browser treats as a URL to load or follow.
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "background", "poster", "xlink:href",
                  "ping", "cite", "lowsrc", "dynsrc", "codebase", "longdesc", "manifest", "icon"}
ACTIVE_SCHEMES = re.compile(r"(javascript|vbscript|data|livescript):", re.IGNORECASE)  # matched at the start
# Markup that may carry or load script, whatever its attributes.
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
               "style", "svg", "math", "form", "input", "button", "select", "textarea", "template", "noscript",
               "xmp", "plaintext", "isindex", "video", "audio", "track", "marquee", "details", "body", "html"}
# What a browser's URL parser ignores (WHATWG URL): tabs and newlines anywhere, C0 controls and spaces at the ends.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(map(chr, range(0x21)))


def url_is_active(value: str) -> bool:
    """Whether a URL attribute's value (srcset: any of its candidates) would run script or inline a document."""
    value = _URL_IGNORED.sub("", value or "")
    candidates = [part.strip(_URL_TRIMMED).split(" ")[0] for part in value.split(",")] if "," in value else [value]
    return any(ACTIVE_SCHEMES.match(candidate.strip(_URL_TRIMMED)) for candidate in [value, *candidates])


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in URL_ATTRIBUTES and url_is_active(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """What in a fragment of stored HTML could run script or navigate: empty for safe HTML."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
