"""The rendered article page, kept per ETag for anonymous readers, so a busy article is rendered once.

The ETag is computed on every request from the database and the signature checks (see
`public.views._article_etag`): it changes whenever anything the page shows changes, and an article
whose signature no longer verifies has none and is never served from here. Only the template work is
saved. Signed-in users (whose navigation differs) and requests carrying messages always get a fresh page.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache

TIMEOUT = 3600
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not any(header in request.META for header in CONDITIONAL_HEADERS)  # the view answers 304 itself
        and not len(get_messages(request))
    )


def per_etag(etag_func, prefix: str):
    """Serve the view's 200 response from the cache while `etag_func(request, **kwargs)` is unchanged."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            etag = etag_func(request, *args, **kwargs)
            if etag is None:
                return view(request, *args, **kwargs)
            site = hashlib.sha256(settings.SITE_NAME.encode()).hexdigest()[:12]  # the page shows the site's name
            key = f"{prefix}:{site}:{etag}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming and not response.cookies:
                    cache.set(key, response, TIMEOUT)
            return response

        return wrapped

    return decorator
