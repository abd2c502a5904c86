"""The site's public address: absolute URLs come from SITE_URL, never from a request's Host header.

A visitor chooses the Host header (any port on an allowed host passes Django's check), so an address
built from it would put their choice into canonical links, the feed, the sitemaps and emails.
"""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` ("/blog/x/") on the public site; an address that is already absolute stays as it is."""
    return urljoin(settings.SITE_URL + "/", path)


def domain() -> str:
    """The host (and port, if SITE_URL names one) of the public site."""
    return urlsplit(settings.SITE_URL).netloc


def protocol() -> str:
    return urlsplit(settings.SITE_URL).scheme
