from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("deliveries/", views.delivery_log, name="log"),
    path("deliveries/<int:pk>/send-again/", views.delivery_send_again, name="send_again"),
]
