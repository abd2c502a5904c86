"""What anyone may fetch to check a review line without trusting the site's pages: each article's signed
attestation, the keys, the status list and the newest audit checkpoint, and a plain page for patients
(README: Verifying a review; docs/attestation.md). Thin: everything comes from review.attestations."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from public.views import revalidate
from review import attestations

VERIFIER = settings.BASE_DIR / "verify_review.py"


def for_anyone(response):
    """Other sites' pages and tools may read these documents too."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def signed_json(text) -> HttpResponse:
    return for_anyone(HttpResponse(text, content_type="application/json"))


@require_safe
@revalidate
def keys(request):
    return for_anyone(JsonResponse(attestations.key_set(), json_dumps_params={"indent": 1}))


@require_safe
@revalidate
def newest_checkpoint(request):
    newest = attestations.newest_checkpoint()
    if newest is None:
        raise Http404("No checkpoint has been made yet.")
    return signed_json(newest)


@require_safe
@revalidate
def status_list(request):
    document = attestations.status_list()
    if document is None:
        raise Http404("This site signs no attestations.")
    return signed_json(document)


@require_safe
def attestation(request, uid):
    """One attestation, for good: it never changes (whether it is current is in the status list)."""
    document = attestations.document(uid)
    if document is None:
        raise Http404("No attestation with this id.")
    response = signed_json(document)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_safe
@revalidate
def article_attestation(request, slug):
    """The newest attestation of the article at `slug`, where its page links it."""
    found = attestations.newest_for_slug(slug)
    if found is None:
        raise Http404("This article has no review attestation.")
    return signed_json(found.document)


@require_safe
def verifier(request):
    """verify_review.py itself, for readers who want to run it: short, and readable before running."""
    return for_anyone(FileResponse(open(VERIFIER, "rb"), content_type="text/x-python; charset=utf-8"))


@require_safe
@revalidate
def review_verification(request, slug):
    """"Verify this review": who signed what and when, whether it is current, and how to check it oneself."""
    found = attestations.newest_for_slug(slug)
    if found is None:
        raise Http404("This article has no review attestation.")
    article_url = reverse("public:article", args=[slug])
    return render(request, "public/review_verification.html", {
        "site_name": settings.SITE_NAME,
        "facts": attestations.facts(found),
        "status": attestations.status_of(found),
        "attestation_url": request.build_absolute_uri(reverse("public:attestation", args=[found.uid])),
        "article_url": article_url,
        "page_url": request.build_absolute_uri(article_url),
        "keys_url": request.build_absolute_uri(reverse("public:attestation_keys")),
        "status_url": request.build_absolute_uri(reverse("public:attestation_status")),
        "verifier_url": request.build_absolute_uri(reverse("public:verifier")),
        "time_zone": settings.TIME_ZONE,
        "canonical_url": request.build_absolute_uri(),
    })
