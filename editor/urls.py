"""URLs of the editor app. /editor/posts/<pk>/ is the post's page that notification emails link to."""

from django.urls import path

from editor import image_views, views

app_name = "editor"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.post_create, name="post_create"),
    path("preview/", views.preview, name="preview"),
    path("images/", image_views.image_upload, name="image_upload"),
    path("images/<int:pk>/", image_views.image_status, name="image_status"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/compare/", views.post_diff, name="post_diff"),
    path("posts/<int:pk>/actions/<slug:action>/", views.post_action, name="post_action"),
    path("posts/<int:pk>/comments/<int:comment_pk>/reply/", views.comment_reply, name="comment_reply"),
    path("posts/<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("posts/<int:pk>/due-date/", views.set_due_date, name="set_due_date"),
]
