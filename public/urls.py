"""URLs of the public site."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from public import views
from public.feeds import LatestArticlesFeed
from public.sitemaps import SITEMAPS



def public_view(view):
    """Django's own feed and sitemap views, read-only and revalidated like the pages."""
    return require_safe(views.revalidate(view))


app_name = "public"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:index"), name="home"),
    path("blog/", views.index, name="index"),
    path("blog/feed/", public_view(LatestArticlesFeed()), name="feed"),
    path("blog/<str:slug>/", views.article, name="article"),
    path("reviewers/<str:slug>/", views.reviewer, name="reviewer"),
    path("editorial-policy/", views.editorial_policy, name="editorial_policy"),
    path("sitemap.xml", public_view(sitemap_views.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap_section"}, name="sitemap"),
    path("sitemap-<str:section>.xml", public_view(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
