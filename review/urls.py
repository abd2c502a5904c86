"""URLs of the review app: the approval queue and review pages."""

from django.urls import path

app_name = "review"
urlpatterns: list = []
