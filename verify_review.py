#!/usr/bin/env python3
"""Check an article's "Medically reviewed by" line against its signed review attestation.

    python verify_review.py https://clinic.example/blog/some-article/

It fetches the page, the attestation the page links to, the site's public keys and its status list;
checks the attestation's Ed25519 signature; checks that the page shows the attested title, summary,
body (byte for byte), reviewer, credentials and review date; and that the attestation is still
current. It prints each check, or exactly what differs, and exits 0 only when everything matches
(1 when something does not, 2 when something could not be fetched or read).

It depends on nothing but Python 3.11+ and the `cryptography` package, so that anyone can run it
without trusting the site it checks. The formats are specified in docs/attestation.md.
"""

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ATTESTATION_MEDIA_TYPE = "application/vnd.medreview.attestation+json"
ATTESTATION_TYPE = "medreview-review-attestation/1"
STATUS_TYPE = "medreview-status-list/1"
CHECKPOINT_TYPE = "medreview-checkpoint/1"
WELL_KNOWN = "/.well-known/medreview/"
# A status list older than this may hide a revocation.
STATUS_MAX_AGE = timedelta(days=1)
BEGIN = re.compile(r"<!--medreview:begin ([a-z][a-z-]*) sha256=([0-9a-f]{64})-->")
USER_AGENT = "verify_review/1 (+docs/attestation.md)"


class Unreadable(Exception):
    """Something could not be fetched or read: the check cannot even be made (exit 2)."""


# --- fetching and signed documents


def fetch(url: str) -> tuple[str, bytes]:
    """The final URL (after redirects) and the body of a successful GET."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (http(s) only, checked below)
            return response.geturl(), response.read()
    except urllib.error.HTTPError as exc:
        raise Unreadable(f"{url} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise Unreadable(f"{url} could not be fetched: {getattr(exc, 'reason', exc)}") from exc


def unb64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise Unreadable("a signed document has a part that is not base64url") from exc


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def open_signed(raw: bytes, keys: list[dict], what: str) -> tuple[dict, dict]:
    """The payload of a flattened JWS (EdDSA) and the key that signed it; Unreadable if it is not one, or
    ValueError with the reason when its signature does not verify."""
    try:
        document = json.loads(raw)
        protected, body, signature = document["protected"], document["payload"], document["signature"]
        header = json.loads(unb64url(protected))
        payload = json.loads(unb64url(body))
    except (ValueError, KeyError, TypeError) as exc:
        raise Unreadable(f"the {what} is not a signed JSON document") from exc
    if header.get("alg") != "EdDSA":
        raise ValueError(f"the {what} is signed with {header.get('alg')!r}, not EdDSA (Ed25519)")
    key = next((k for k in keys if k.get("kid") == header.get("kid")), None)
    if key is None or key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise ValueError(f"the {what} is signed with key {header.get('kid')}, which the site does not publish")
    if thumbprint(key) != key["kid"]:
        raise ValueError(f"the key set lists key {key['kid']} under an id that is not its thumbprint")
    try:
        Ed25519PublicKey.from_public_bytes(unb64url(key["x"])).verify(
            unb64url(signature), f"{protected}.{body}".encode("ascii"))
    except (InvalidSignature, ValueError) as exc:
        raise ValueError(f"the {what}'s signature does not verify with key {key['kid']}") from exc
    return payload, key


def thumbprint(key: dict) -> str:
    """The key's RFC 7638 JWK thumbprint, which is its id."""
    members = json.dumps({"crv": key["crv"], "kty": key["kty"], "x": key["x"]}, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=").decode()


def key_valid_at(key: dict, moment: datetime) -> bool:
    starts = parse_time(key["valid_from"]) if key.get("valid_from") else None
    ends = parse_time(key["valid_until"]) if key.get("valid_until") else None
    return (starts is None or starts <= moment) and (ends is None or moment < ends)


# --- the page


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (tag == "link" and self.href is None and "alternate" in (attributes.get("rel") or "").split()
                and attributes.get("type") == ATTESTATION_MEDIA_TYPE):
            self.href = attributes.get("href")


class TextOf(HTMLParser):
    """A fragment's text, as a reader sees it: tags dropped, character references decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.datetimes = [], []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "time":
            self.datetimes.append(dict(attrs).get("datetime"))


def regions(page: str) -> dict[str, str]:
    """Each marked region's exact HTML, by name (the first region of each name)."""
    found = {}
    for begin in BEGIN.finditer(page):
        name, digest = begin.groups()
        if name in found:
            continue
        end = page.find(f"<!--medreview:end {name} sha256={digest}-->", begin.end())
        if end < 0:
            raise Unreadable(f"the page's {name} region has no end marker")
        inner = page[begin.end():end]
        if hashlib.sha256(inner.encode("utf-8")).hexdigest() != digest:
            raise Unreadable(f"the page's {name} region does not match the digest in its markers")
        found[name] = inner
    return found


def text_of(fragment: str) -> str:
    parser = TextOf()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def time_of(fragment: str) -> str | None:
    parser = TextOf()
    parser.feed(fragment)
    parser.close()
    return parser.datetimes[0] if parser.datetimes else None


def first_difference(shown: str, signed: str) -> str:
    """Where two texts first differ, with a little of each around it."""
    at = next((i for i, (a, b) in enumerate(zip(shown, signed)) if a != b), min(len(shown), len(signed)))
    start = max(0, at - 30)
    return (f"from character {at}: the page has {shown[start:at + 50]!r}, the signed text has "
            f"{signed[start:at + 50]!r} (page {len(shown)} characters, signed {len(signed)})")


def quoted(text: str, limit: int = 80) -> str:
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


# --- the checks


class Report:
    def __init__(self, out):
        self.out, self.failures = out, 0

    def ok(self, what: str):
        print(f"  ok    {what}", file=self.out)

    def fail(self, what: str):
        self.failures += 1
        print(f"  FAIL  {what}", file=self.out)

    def check(self, passed: bool, good: str, bad: str):
        if passed:
            self.ok(good)
        else:
            self.fail(bad)


def verify(url: str, *, out=sys.stdout, keys_file: str | None = None, today: date | None = None) -> int:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise Unreadable(f"{url} is not an http(s) address")
    report = Report(out)
    print(f"Checking {url}", file=out)

    page_url, page_bytes = fetch(url)
    try:
        page = page_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable("the page is not UTF-8") from exc
    report.ok(f"page fetched ({len(page_bytes):,} bytes)")
    finder = LinkFinder()
    finder.feed(page)
    if not finder.href:
        raise Unreadable("the page links no review attestation "
                         f'(<link rel="alternate" type="{ATTESTATION_MEDIA_TYPE}">)')
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(page_url))
    attestation_url, attestation_raw = fetch(urllib.parse.urljoin(page_url, finder.href))
    if keys_file:
        with open(keys_file, "rb") as handle:
            keys = json.load(handle)["keys"]
        keys_from = keys_file
    else:
        keys_from, keys_raw = fetch(origin + WELL_KNOWN + "keys.json")
        keys = json.loads(keys_raw)["keys"]

    try:
        attested, key = open_signed(attestation_raw, keys, "attestation")
    except ValueError as exc:
        report.fail(str(exc))
        return finish(report, out)
    if attested.get("type") != ATTESTATION_TYPE:
        raise Unreadable(f"{attestation_url} is not a review attestation ({attested.get('type')!r})")
    issued = parse_time(attested["issued_at"])
    report.ok(f"attestation {attested['id']} ({attestation_url}), issued {attested['issued_at']}")
    report.check(key_valid_at(key, issued),
                 f"signature verifies with key {key['kid']} (Ed25519, from {keys_from}), valid when it was made",
                 f"the attestation was signed with key {key['kid']} outside that key's validity "
                 f"({key.get('valid_from')} to {key.get('valid_until') or 'now'})")

    report.check(attested["url"] == page_url, f"address: {page_url}",
                 f"address: the attestation is for {attested['url']}, not {page_url}")

    shown = regions(page)
    for name, label in (("title", "title"), ("summary", "summary")):
        on_page = text_of(shown[name]) if name in shown else ""
        report.check(on_page == attested[name], f"{label}: {quoted(attested[name]) if attested[name] else '(none)'}",
                     f"{label}: the page shows {quoted(on_page)}, the reviewer signed {quoted(attested[name])}")
    body = shown.get("body")
    if body is None:
        report.fail("body: the page has no marked body region")
    else:
        report.check(body == attested["body_html"],
                     f"body: identical byte for byte ({len(body.encode('utf-8')):,} bytes, "
                     f"SHA-256 {attested['body_sha256']})",
                     f"body: the page differs from the signed text {first_difference(body, attested['body_html'])}")

    reviewer = attested["reviewer"]
    on_page = text_of(shown["reviewer"]) if "reviewer" in shown else ""
    report.check(on_page == reviewer["name"], f"reviewer: {reviewer['name']}",
                 f"reviewer: the page names {quoted(on_page)}, the attestation {quoted(reviewer['name'])}")
    on_page = text_of(shown["credentials"]) if "credentials" in shown else ""
    report.check(on_page == reviewer["credentials"],
                 f"credentials: {reviewer['credentials']}; registration {reviewer['registration_number']}"
                 + (f" ({reviewer['registering_body']})" if reviewer.get("registering_body") else ""),
                 f"credentials: the page shows {quoted(on_page)}, the reviewer signed as {quoted(reviewer['credentials'])}")
    on_page = time_of(shown["reviewed"]) if "reviewed" in shown else None
    report.check(on_page == attested["reviewed_on"],
                 f"review date: {attested['reviewed_on']} (signed {attested['signed_at']} as “{attested['meaning']}”)",
                 f"review date: the page says {on_page or 'nothing'}, the reviewer signed on {attested['reviewed_on']} "
                 f"({attested['signed_at']})")

    today = today or datetime.now(UTC).date()
    next_review = date.fromisoformat(attested["next_review"])
    report.check(next_review >= today, f"next review due by {attested['next_review']}",
                 f"the review lapsed: it was due again by {attested['next_review']}")

    status_url, status_raw = fetch(origin + WELL_KNOWN + "status.json")
    try:
        status, _ = open_signed(status_raw, keys, "status list")
    except ValueError as exc:
        report.fail(str(exc))
        return finish(report, out)
    if status.get("type") != STATUS_TYPE:
        raise Unreadable(f"{status_url} is not a status list")
    age = datetime.now(UTC) - parse_time(status["issued_at"])
    report.check(age <= STATUS_MAX_AGE, f"status list signed {status['issued_at']}",
                 f"the status list is stale: signed {status['issued_at']}, {age} ago")
    revoked = status.get("not_current", {}).get(attested["id"])
    report.check(revoked is None, "status: current",
                 f"status: no longer current ({(revoked or {}).get('reason', '').replace('_', ' ')}"
                 + (f" since {revoked['since']}" if revoked and revoked.get("since") else "") + ")")

    checkpoint = attested.get("checkpoint")
    if checkpoint:
        newest_url, newest_raw = fetch(origin + WELL_KNOWN + "checkpoint.json")
        try:
            newest, _ = open_signed(newest_raw, keys, "newest checkpoint")
            report.check(newest.get("type") == CHECKPOINT_TYPE and newest["seq"] >= checkpoint["seq"],
                         f"audit checkpoint #{checkpoint['seq']} of {checkpoint['time']}; the site's newest is "
                         f"#{newest['seq']}",
                         f"the site's newest audit checkpoint (#{newest.get('seq')}) is behind this review's "
                         f"(#{checkpoint['seq']}): its audit trail was cut short")
        except ValueError as exc:
            report.fail(str(exc))
    return finish(report, out, attested)


def finish(report: Report, out, attested: dict | None = None) -> int:
    if report.failures:
        print(f"NOT VERIFIED: {report.failures} check(s) failed.", file=out)
        return 1
    print(f"Verified: this page shows the article {attested['reviewer']['name']} signed on "
          f"{attested['reviewed_on']}, and the review is current.", file=out)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check an article's review line against its signed attestation.")
    parser.add_argument("url", help="the article's address, e.g. https://clinic.example/blog/some-article/")
    parser.add_argument("--keys", metavar="FILE",
                        help="a saved copy of the site's keys.json to trust instead of fetching it")
    options = parser.parse_args(argv)
    try:
        return verify(options.url, keys_file=options.keys)
    except (Unreadable, KeyError, ValueError, json.JSONDecodeError) as exc:
        print(f"CANNOT VERIFY: {exc if isinstance(exc, Unreadable) else f'a document is malformed ({exc!r})'}",
              file=sys.stdout)
        return 2


if __name__ == "__main__":
    sys.exit(main())
