"""What anyone may fetch to check the site without trusting it: the attestation keys and the newest audit
checkpoint (README: Verifying a review; docs/attestation.md). Thin: the documents come from review/."""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from public.views import revalidate
from review import checkpoints, public_signing


def for_anyone(response):
    """Other sites' pages and tools may read these documents too."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@revalidate
def keys(request):
    return for_anyone(JsonResponse(public_signing.key_set(), json_dumps_params={"indent": 1}))


@require_safe
@revalidate
def newest_checkpoint(request):
    newest = checkpoints.newest_document()
    if newest is None:
        raise Http404("No checkpoint has been made yet.")
    return for_anyone(HttpResponse(newest[1], content_type="application/json"))
