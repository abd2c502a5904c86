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
    return [vector for vectors in load_sections().values() for vector in vectors]


_SECTION = ";; --- section: "


def load_sections() -> dict[str, list[str]]:
    """The corpus's vectors by section (a `;; --- section: <name>` line starts one); those before the first
    such line are under ""."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith(_SECTION):
            current = line[len(_SECTION):].strip()
            sections[current] = []
        elif line.strip() and not line.startswith(";;"):
            sections[current].append(_PLACEHOLDER.sub(_expand, line))
    return sections


OUTSIDE_HOST = "outside.example"  # the host every vector of "loads from another host" names


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


# Attributes whose address a browser fetches by itself, with no click (srcset-like ones hold several).
FETCHED_ATTRIBUTES = {"src", "poster", "data", "background", "lowsrc", "dynsrc", "ping", "codebase", "archive",
                      "manifest", "icon", "xlink:href"}
FETCHED_LISTS = {"srcset", "imagesrcset"}
# Elements whose href is fetched rather than followed.
FETCHED_HREF = {"link", "image", "use", "feimage", "base", "script"}
_CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)['"]?([^'")\s;]+)""", re.IGNORECASE)


class _Fetches(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.hidden: list[str] = []
        self.ids: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "template", "noscript"):
            self.hidden.append(f"<{tag}>")
        self.in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name in FETCHED_ATTRIBUTES or (name == "href" and tag in FETCHED_HREF):
                self.addresses.append(value)
            elif name in FETCHED_LISTS:
                self.addresses += [c.split()[0] for c in value.split(",") if c.strip()]
            elif name == "style":
                self.addresses += _CSS_URL.findall(value)
            if name in ("hidden", "style"):
                self.hidden.append(f"<{tag} {name}>")
            if name == "id":
                self.ids.append(value)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.addresses += _CSS_URL.findall(data)


def _inspect(html: str) -> _Fetches:
    inspector = _Fetches()
    inspector.feed(html)
    inspector.close()
    return inspector


def fetched_addresses(html: str) -> list[str]:
    """Every address a browser would fetch for this HTML by itself: src, srcset candidates, poster, data,
    background, ping, the href of <link>/<image>/<use>, CSS url() and @import."""
    return _inspect(html).addresses


def hidden_markup(html: str) -> list[str]:
    """Elements and attributes of this HTML that do not display what they hold."""
    return _inspect(html).hidden


def element_ids(html: str) -> list[str]:
    return _inspect(html).ids
