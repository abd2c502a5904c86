"""The project's URLs; each app owns its own urls.py."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from background.admin import tasks_site
from config import views

urlpatterns = [
    path("accounts/", include("review.account_urls")),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/tasks/", tasks_site.urls),  # background tasks, for publishers too (background/admin.py)
    path("admin/", admin.site.urls),
    path("editor/", include("editor.urls")),
    path("review/", include("review.urls")),
    path("api/", include("api.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("", include("public.urls")),
]
# Uploaded pictures: served by Django in development only (an empty list unless DEBUG).
# In production the web server or a storage backend serves MEDIA_URL (README: Pictures).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "config.views.server_error"
