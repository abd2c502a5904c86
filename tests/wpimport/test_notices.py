"""The writer and the doctor see what the import left to do: claimed reviews, pictures with no description."""

import pytest
from django.urls import reverse

from content.models import Post
from review import services
from tests import factories
from tests.wpimport import exports
from wpimport.importer import MISSING_ALT

pytestmark = pytest.mark.django_db

CONTENT = ('<p>Acne is common.</p><img src="https://clinic.example/wp-content/uploads/2019/05/acne.jpg" alt="">'
           '<p><strong>Reviewed by:</strong> Dr Jane Lim (dermatologist)</p>')
CLAIM = "The old site claimed a review by Dr Jane Lim (dermatologist); it needs a real signature."
NO_ALT = "The picture 2019/05/acne.jpg had no alt text on the old site; the writer must describe it."


@pytest.fixture
def imported(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", CONTENT)))
    run_import(path, "--media", exports.media(tmp_path, "2019/05/acne.jpg"))
    return Post.objects.get()


@pytest.fixture
def publisher():
    return factories.make_publisher()


def test_editor_page_shows_the_claimed_review_and_the_picture_to_describe(client, imported, publisher):
    client.force_login(publisher)

    content = client.get(reverse("editor:post", args=[imported.pk])).content.decode()

    assert "Imported from WordPress" in content and "From https://clinic.example/2019/05/acne-basics/" in content
    assert CLAIM in content and NO_ALT in content


def test_review_page_shows_the_doctor_the_claimed_review(client, imported, publisher):
    reviewer = factories.make_reviewer()
    services.post_submit(imported, user=publisher)
    client.force_login(reviewer)

    content = client.get(reverse("review:post", args=[imported.pk])).content.decode()

    assert CLAIM in content


def test_picture_notice_goes_once_the_writer_describes_the_picture(client, imported, publisher):
    revision = imported.current_revision
    services.post_save_draft(imported, user=publisher, title=revision.title, summary=revision.summary,
                             body=revision.body.replace(MISSING_ALT, "Acne on a cheek"))
    client.force_login(publisher)

    content = client.get(reverse("editor:post", args=[imported.pk])).content.decode()

    assert NO_ALT not in content and CLAIM in content


def test_notices_go_once_the_post_is_published_here(client, imported, publisher):
    revision = imported.current_revision
    services.post_save_draft(imported, user=publisher, title=revision.title, summary=revision.summary,
                             body=revision.body.replace(MISSING_ALT, "Acne on a cheek"))
    services.post_submit(imported, user=publisher)
    services.revision_sign(imported, user=factories.make_reviewer(), password=factories.PASSWORD, attested=True)
    services.post_publish(imported, user=publisher)
    client.force_login(publisher)

    content = client.get(reverse("editor:post", args=[imported.pk])).content.decode()

    assert "Imported from WordPress" not in content


def test_post_typed_here_shows_no_import_notice(client, publisher):
    post = factories.make_post(author=publisher)
    client.force_login(publisher)

    assert "Imported from WordPress" not in client.get(reverse("editor:post", args=[post.pk])).content.decode()
