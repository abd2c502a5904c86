"""URLs of the public site."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from public import redirects, verification, views
from public.feeds import LatestArticlesFeed
from public.sitemaps import SITEMAPS



def public_view(view):
    """Django's own feed and sitemap views, read-only and revalidated like the pages."""
    return require_safe(views.revalidate(view))


app_name = "public"
urlpatterns = [
    path("", redirects.home, name="home"),
    path("blog/", views.index, name="index"),
    path("blog/feed/", public_view(LatestArticlesFeed()), name="feed"),
    path("blog/<str:slug>/", views.article, name="article"),
    path("blog/<str:slug>/review/", verification.review_verification, name="review_verification"),
    path("blog/<str:slug>/attestation.json", verification.article_attestation, name="article_attestation"),
    path("attestations/<uuid:uid>.json", verification.attestation, name="attestation"),
    path("reviewers/<str:slug>/", views.reviewer, name="reviewer"),
    path("editorial-policy/", views.editorial_policy, name="editorial_policy"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", public_view(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/medreview/keys.json", verification.keys, name="attestation_keys"),
    path(".well-known/medreview/checkpoint.json", verification.newest_checkpoint, name="newest_checkpoint"),
    path(".well-known/medreview/status.json", verification.status_list, name="attestation_status"),
    path(".well-known/medreview/verify_review.py", verification.verifier, name="verifier"),
]
