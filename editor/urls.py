"""URLs of the editor app."""

from django.urls import path

app_name = "editor"
urlpatterns: list = []
