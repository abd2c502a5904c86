"""Moved addresses: an old address answers 301 to where the page lives now.

`record_move` is the one writer of the table, so that a page moved twice never sends a reader through
a chain or a loop; `MovedAddressMiddleware` answers a 404 at an old address with the move.
"""

from django.db import transaction
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from public.models import MovedAddress


@transaction.atomic
def record_move(*, old_path: str, new_path: str) -> None:
    """From now on `old_path` answers 301 to `new_path`; earlier moves to `old_path` follow on."""
    if old_path == new_path:
        return
    # Addresses that led to old_path lead straight to the new one (no chains).
    MovedAddress.objects.filter(new_path=old_path).update(new_path=new_path)
    # The new address is live again: it no longer leads anywhere else (no loops).
    MovedAddress.objects.filter(old_path=new_path).delete()
    MovedAddress.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})


def moved_to(path: str) -> str | None:
    """Where an old address leads now, or None when it never moved."""
    return MovedAddress.objects.filter(old_path=path).values_list("new_path", flat=True).first()


@require_safe
def home(request):
    """The site's root leads to the blog; with a query it may be an old address (WordPress's /?p=123), which
    leads to where that page lives now. The root never answers 404, so the middleware cannot do this here."""
    if request.GET:
        post_id = request.GET.get("p", "")
        new_path = moved_to(request.get_full_path()) or (moved_to(f"/?p={post_id}") if post_id.isdigit() else None)
        if new_path:
            return HttpResponsePermanentRedirect(new_path)
    return HttpResponseRedirect(reverse("public:index"))


class MovedAddressMiddleware:
    """A page that answers 404 at an address that moved answers 301 to where it lives now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        new_path = moved_to(request.get_full_path()) or moved_to(request.path)
        return HttpResponsePermanentRedirect(new_path) if new_path else response


# The public pages whose slug the workflow may change (review.signals.address_changed), by kind.
SLUGGED_PAGES = {"article": "public:article", "reviewer": "public:reviewer"}


def address_changed_receiver(*, kind: str, old_slug: str, new_slug: str, **kwargs) -> None:
    """A post or a reviewer took a new slug: its old address answers 301 to the new one."""
    name = SLUGGED_PAGES[kind]
    record_move(old_path=reverse(name, args=[old_slug]), new_path=reverse(name, args=[new_slug]))
