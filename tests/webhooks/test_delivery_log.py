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
    assert f"/webhooks/deliveries/{failed.pk}/send-again/" in html


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


def test_delivered_message_offers_no_send_again(client, publisher, failed):
    Delivery.objects.filter(pk=failed.pk).update(status=Delivery.Status.DELIVERED)
    client.force_login(publisher)

    assert "send-again" not in client.get("/webhooks/deliveries/").content.decode()  # no button
    response = client.post(f"/webhooks/deliveries/{failed.pk}/send-again/", follow=True)

    assert "delivered already; nothing to send" in response.content.decode()
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


@pytest.mark.parametrize("is_publisher", [True, False])
def test_admin_send_again_is_for_publishers_as_on_the_log(client, failed, is_publisher):
    from django.contrib.auth.models import Permission

    from tests import factories

    staff = factories.make_publisher("office-admin") if is_publisher else factories.UserFactory(username="office-admin")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(staff)

    page = client.get("/admin/webhooks/delivery/").content.decode()
    assert "Clinic website" in page and ("send_again" in page) == is_publisher
    client.post("/admin/webhooks/delivery/", {"action": "send_again", "_selected_action": [failed.pk]})
    expected = Delivery.Status.PENDING if is_publisher else Delivery.Status.FAILED
    assert Delivery.objects.get().status == expected
