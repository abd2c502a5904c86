"""The project's URLs; each app owns its own urls.py."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
