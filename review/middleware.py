"""Refuse writes while the record keys do not match the records (review.key_check); reads keep working."""

from django.http import HttpResponse
from django.urls import reverse

from review import key_check

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class RecordKeyGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Signing in and out writes no record, and staff must be able to sign in to read.
        if request.method not in SAFE_METHODS and request.path not in (reverse("login"), reverse("logout")):
            problem = key_check.problem()
            if problem:
                return HttpResponse(problem, status=503, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
