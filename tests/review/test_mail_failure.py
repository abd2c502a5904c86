"""A mail server that is down neither undoes nor blocks an action, and an administrator can see the failure."""

from review import services
from review.models import AuditEvent
from review.states import State


def test_submitting_with_the_mail_server_down_still_submits_and_records_the_failure(
        post_in, author, reviewer, settings, django_capture_on_commit_callbacks, admin_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    post = post_in(State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(post, user=author)
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    failure = AuditEvent.objects.get(action="notification_failed")
    assert failure.post == post and failure.detail["subject"].startswith("Waiting for your review")
    page = admin_client.get("/admin/review/auditevent/?action=notification_failed")
    assert page.status_code == 200 and "notification_failed" in page.content.decode()
