"""How a revision's reader-visible content is normalised and hashed."""

import hashlib
import json
import re
import unicodedata

HASH_VERSION = 1


def normalise_text(value: str) -> str:
    """One spelling for text that reads the same: NFC, LF line ends, no trailing blanks, no NUL.

    NUL is invisible to readers and PostgreSQL cannot store it in text.
    """
    value = unicodedata.normalize("NFC", (value or "").replace("\x00", ""))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def normalise_line(value: str) -> str:
    """normalise_text for one-line text such as a title: line breaks, tabs and other control characters become
    one space, so that a title cannot break an email header or a feed item."""
    return _LINE_BREAKING.sub(" ", normalise_text(value)).strip()


def content_hash(*, title: str, summary: str, body: str, html: str, images=()) -> str:
    """SHA-256 over everything a reader sees; any visible change gives another hash.

    `images` is a sequence of dicts (sha256, alt, caption) for every picture shown.
    """
    payload = {
        "v": HASH_VERSION,
        "title": title,
        "summary": summary,
        "body": body,
        "html": html,
        "images": [dict(sorted(image.items())) for image in images],
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
