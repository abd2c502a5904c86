"""Publishers and administrators see queued, running and failed tasks, with the error, and can retry a failure."""

from unittest import mock

import pytest
from django.db import transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from review import notifications
from tests.background.worker import run_queued_tasks

pytestmark = pytest.mark.usefixtures("database_tasks")

TASKS_PAGE = "/admin/tasks/django_tasks_database/dbtaskresult/"


@pytest.fixture
def failed_mail(db, settings):
    settings.EMAIL_RETRY_DELAYS = []
    with transaction.atomic():
        notifications.queue_email("Sign-ins are locked", ["owner@clinic.example"], {}, template="review/email/lockout")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("mail down")):
        run_queued_tasks()
    return DBTaskResult.objects.get()


def test_tasks_page_shows_a_publisher_the_failed_task_with_its_error(client, publisher, failed_mail):
    client.force_login(publisher)

    page = client.get(TASKS_PAGE + "?status__exact=FAILED").content.decode()

    assert "deliver_email" in page and "ConnectionRefusedError: mail down" in page


def test_tasks_page_retry_queues_the_failed_task_again_and_the_worker_sends_it(client, publisher, failed_mail,
                                                                              mailoutbox):
    client.force_login(publisher)

    response = client.post(TASKS_PAGE, {"action": "retry", "_selected_action": [str(failed_mail.pk)]}, follow=True)

    assert "Queued 1 failed task(s) again." in response.content.decode()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    run_queued_tasks()
    assert [m.subject for m in mailoutbox] == ["Sign-ins are locked"]


def test_tasks_page_is_refused_to_authors_and_reviewers(client, author, reviewer, failed_mail):
    for user in (author, reviewer):
        client.force_login(user)
        response = client.get(TASKS_PAGE)
        assert response.status_code == 302 and response["Location"].startswith("/admin/tasks/login/")


def test_tasks_are_in_the_django_admin_for_administrators(admin_client, failed_mail):
    page = admin_client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "ConnectionRefusedError: mail down" in page and "Retry the selected failed tasks" in page


def test_task_page_shows_what_a_task_carries_to_administrators_only(client, publisher, admin_client, failed_mail):
    url = f"{TASKS_PAGE}{failed_mail.pk}/change/"
    client.force_login(publisher)
    assert "owner@clinic.example" not in client.get(url).content.decode()
    assert "ConnectionRefusedError: mail down" in client.get(url).content.decode()
    in_django_admin = f"/admin/django_tasks_database/dbtaskresult/{failed_mail.pk}/change/"
    assert "owner@clinic.example" in admin_client.get(in_django_admin).content.decode()
