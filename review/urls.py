"""URLs of the review app: the approval queue and review pages."""

from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("posts/<int:pk>/", views.post_review, name="post"),
    path("posts/<int:pk>/sign/", views.sign, name="sign"),
    path("posts/<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment"),
    path("posts/<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="resolve"),
    path("posts/<int:pk>/claim/", views.claim, name="claim"),
    path("posts/<int:pk>/assign/", views.assign, name="assign"),
    path("posts/<int:pk>/audit-pack/", views.audit_pack_view, name="audit_pack"),
]
