"""The read-only JSON API: published articles and reviewers, as the public site shows them; drafts for previews.

What is published is decided where the public site decides it (`public.articles.articles_from`, through
`ArticlePaginator`, and `review.selectors.public_post`): an article whose signature or publication record does
not verify is absent here as it is there.
"""

from datetime import datetime, time

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from api.access import PreviewsDrafts, ReadsPublished
from api.serializers import ArticleSerializer, DraftSerializer, ReviewerSerializer
from content.models import Image, Post
from public.articles import Article, ArticlePaginator
from public.views import conditional_get
from review import attestations, selectors
from review.states import State

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

UPDATED_SINCE = OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, required=False,
    description="Only what changed at or after this moment (ISO 8601; without an offset, the site's time zone). "
                "Articles: published, given a new version or reviewed again since. Unpublished articles simply "
                "drop out of the list; the `article.unpublished` webhook says so at once.",
)


def updated_since(request):
    """The `updated_since` query parameter as an aware datetime, None if absent; 400 if it is not a date."""
    raw = request.query_params.get("updated_since")
    if raw is None:
        return None
    raw = raw.strip().replace(" ", "+")  # a "+" in a query string arrives as a space
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:  # well formed, but no such day or time (2026-02-30)
        moment = None
    if moment is None:
        raise ValidationError({"updated_since": ["Give a date and time in ISO 8601, "
                                                 "for example 2026-11-23T09:00:00+08:00."]})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ArticlePagination(Pagination):
    """Pages of public posts; each page holds the articles of its posts that pass the public site's check."""

    django_paginator_class = ArticlePaginator


def article_context(view, articles) -> None:
    """What the serializer reads for every article of a page at once: hero pictures and attestations."""
    view.hero_images = pictures_of(article.revision for article in articles)
    view.issued_attestations = attestations.newest_for_each([article.post for article in articles])


def pictures_of(revisions) -> dict[int, Image]:
    """The uploads behind the hero pictures of `revisions`, in one query."""
    ids = {revision.hero["image"] for revision in revisions if revision.hero}
    return Image.objects.in_bulk(ids) if ids else {}


@method_decorator(conditional_get, name="dispatch")
class ApiView(generics.GenericAPIView):
    """Every API answer: conditional GET (ETag from the body, 304 when it matches), kept only by the caller."""

    # What a page's serializer reads of all its items at once (set by `list`/`retrieve`): see `article_context`.
    hero_images: dict = {}
    issued_attestations: dict = {}

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "images": self.hero_images,
                "attestations": self.issued_attestations}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Shared caches must not keep what a token unlocked; the caller revalidates with its ETag.
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Authorization"])
        return response


@extend_schema(tags=["articles"], parameters=[UPDATED_SINCE])
class ArticleList(ApiView, generics.ListAPIView):
    """Published articles, newest first publication first."""

    permission_classes = [ReadsPublished]
    serializer_class = ArticleSerializer
    pagination_class = ArticlePagination

    def get_queryset(self):
        posts = selectors.public_posts()
        since = updated_since(self.request)
        return posts if since is None else selectors.changed_since(posts, since)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        article_context(self, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["articles"])
class ArticleDetail(ApiView, generics.RetrieveAPIView):
    """One published article with its review line; 404 where the public site has no article."""

    permission_classes = [ReadsPublished]
    serializer_class = ArticleSerializer

    def retrieve(self, request, *args, **kwargs):
        found = selectors.public_post(self.kwargs["slug"])
        if found is None:
            raise Http404("No published article at this address.")
        article = Article(*found)
        article_context(self, [article])
        response = Response(self.get_serializer(article).data)
        response["Last-Modified"] = http_date(article.last_changed.timestamp())
        return response


@extend_schema(tags=["reviewers"])
class ReviewerList(ApiView, generics.ListAPIView):
    """The reviewers the editorial policy page lists, with their bios."""

    permission_classes = [ReadsPublished]
    serializer_class = ReviewerSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_reviewers()


@extend_schema(tags=["reviewers"])
class ReviewerDetail(ApiView, generics.RetrieveAPIView):
    permission_classes = [ReadsPublished]
    serializer_class = ReviewerSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_reviewers()


def drafts():
    """Every post's working copy except archived ones: what a preview may show."""
    return (Post.objects.filter(current_revision__isnull=False).exclude(workflow__state=State.ARCHIVED)
            .select_related("current_revision", "workflow").order_by("-updated_at", "-pk"))


@extend_schema(tags=["previews"], parameters=[OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, required=False,
    description="Only working copies edited, or moved to another state, at or after this moment (ISO 8601).")])
class DraftList(ApiView, generics.ListAPIView):
    """Working copies of every post not archived, newest edit first. Needs a preview token."""

    permission_classes = [PreviewsDrafts]
    serializer_class = DraftSerializer
    pagination_class = Pagination

    def get_queryset(self):
        since = updated_since(self.request)
        posts = drafts()
        return posts if since is None else posts.filter(Q(updated_at__gte=since) | Q(workflow__changed_at__gte=since))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.hero_images = pictures_of(post.current_revision for post in page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["previews"])
class DraftDetail(ApiView, generics.RetrieveAPIView):
    """A post's working copy, whatever its state. Needs a preview token."""

    permission_classes = [PreviewsDrafts]
    serializer_class = DraftSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return drafts()

    def retrieve(self, request, *args, **kwargs):
        post = self.get_object()
        self.hero_images = pictures_of([post.current_revision])
        return Response(self.get_serializer(post).data)
