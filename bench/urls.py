"""The project's URLs plus the floor views, for the benchmark only."""

from django.urls import path

from bench import floor
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("__floor__/editor/", floor.dashboard, name="floor-dashboard"),
    path("__floor__/posts/<int:pk>/", floor.post, name="floor-post"),
    path("__floor__/queue/<str:tab>/", floor.queue, name="floor-queue"),
    path("__floor__/queue-same-job/", floor.queue_same_job, name="queue-same-job"),
    path("__floor__/blog/", floor.index, name="floor-index"),
    path("__floor__/blog/<str:slug>/", floor.article, name="floor-article"),
    path("__floor__/reviewers/<str:slug>/", floor.reviewer, name="floor-reviewer"),
    path("__floor__/feed/", floor.feed, name="floor-feed"),
    path("__floor__/sitemap.xml", floor.sitemap, name="floor-sitemap"),
    path("__floor__/sitemap-index.xml", floor.sitemap_index, name="floor-sitemap-index"),
    *project_urlpatterns,
]
