"""URLs of the JSON API (/api/) and its OpenAPI schema and documentation."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"
urlpatterns = [
    path("v1/articles/", views.ArticleList.as_view(), name="articles"),
    path("v1/articles/<str:slug>/", views.ArticleDetail.as_view(), name="article"),
    path("v1/reviewers/", views.ReviewerList.as_view(), name="reviewers"),
    path("v1/reviewers/<str:slug>/", views.ReviewerDetail.as_view(), name="reviewer"),
    path("v1/drafts/", views.DraftList.as_view(), name="drafts"),
    path("v1/drafts/<str:slug>/", views.DraftDetail.as_view(), name="draft"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the project's own static files (drf-spectacular-sidecar), its start-up script from this
    # address too (the "split" view), so the page needs nothing from elsewhere and no inline script. Its
    # stylesheet draws small icons as data: SVG images, which this page alone allows.
    path("docs/", csp_update({"img-src": ["data:"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
]
