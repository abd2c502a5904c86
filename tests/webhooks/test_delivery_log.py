"""The delivery log page: publishers read every message and its attempts, and send a failed one again."""

import pytest

from webhooks.models import Attempt, Delivery, Subscription


@pytest.fixture
def failed(db):
    subscription = Subscription.objects.create(url="https://www.example-clinic.sg/hook", description="Clinic website",
                                               events=["article.published"])
    delivery = Delivery.objects.create(subscription=subscription, event="article.published", payload="{}",
                                       status=Delivery.Status.FAILED, attempts=2)
    Attempt.objects.create(delivery=delivery, status_code=503, duration_ms=12)
    Attempt.objects.create(delivery=delivery, error="Connection refused")
    return delivery


def test_delivery_log_shows_publishers_each_attempt(client, publisher, failed):
    client.force_login(publisher)

    html = client.get("/webhooks/deliveries/").content.decode()

    assert "article.published" in html and "Clinic website" in html
    assert "Failed; retries used up" in html
    assert "HTTP 503" in html and "Connection refused" in html
    assert "Send again" in html


@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_delivery_log_is_for_publishers_only(client, request, failed, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/webhooks/deliveries/").status_code == 403
    assert client.post(f"/webhooks/deliveries/{failed.pk}/send-again/").status_code == 403
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_delivery_log_asks_a_visitor_to_log_in(client, failed):
    assert client.get("/webhooks/deliveries/")["Location"].startswith("/accounts/login/")


def test_delivery_send_again_queues_the_message_once_more(client, publisher, failed, django_capture_on_commit_callbacks):
    client.force_login(publisher)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/webhooks/deliveries/{failed.pk}/send-again/", follow=True)

    assert "sending again to Clinic website" in response.content.decode()
    assert Delivery.objects.get().status == Delivery.Status.PENDING
    assert len(queued) == 1  # the delivery task, enqueued when the change commits


def test_delivery_log_filters_by_status(client, publisher, failed):
    client.force_login(publisher)

    assert "Clinic website" not in client.get("/webhooks/deliveries/?status=delivered").content.decode()
    assert "Clinic website" in client.get("/webhooks/deliveries/?status=failed").content.decode()
