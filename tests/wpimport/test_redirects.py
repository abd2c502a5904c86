"""Old WordPress addresses answer 301 to the imported article, once it is published here."""

import pytest

from content.models import Post
from public.models import MovedAddress
from review import services
from tests import factories
from tests.wpimport import exports

pytestmark = pytest.mark.django_db


def publish(post):
    """Submitted by a publisher (the imported author's account is inactive), signed, published."""
    reviewer, publisher = factories.make_reviewer(), factories.make_publisher()
    services.post_submit(post, user=publisher)
    services.revision_sign(post, user=reviewer, password=factories.PASSWORD, attested=True)
    services.post_publish(post, user=publisher)


@pytest.fixture
def imported(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(
        exports.post(12, "Acne basics", "Acne is common.", slug="acne"),
        exports.post(13, "Laser notes", "Draft notes.", status="draft", slug="laser-notes")))
    run_import(path)
    return Post.objects.get(slug="acne")


def test_old_permalink_answers_301_to_the_published_article(client, imported):
    publish(imported)

    response = client.get("/2019/05/acne/")

    assert response.status_code == 301
    assert response["Location"] == "/blog/acne/"
    assert client.get(response["Location"]).status_code == 200


def test_old_short_address_with_the_post_id_answers_301(client, imported):
    publish(imported)

    assert client.get("/?p=12")["Location"] == "/blog/acne/"
    assert client.get("/?p=12&utm_source=newsletter").status_code == 301
    assert client.get("/?p=12&utm_source=newsletter")["Location"] == "/blog/acne/"


def test_site_root_without_an_old_address_still_leads_to_the_blog(client, imported):
    assert client.get("/")["Location"] == "/blog/"
    assert client.get("/?p=999").status_code == 302
    assert client.get("/?p=999")["Location"] == "/blog/"


def test_old_address_of_a_post_not_yet_published_here_leads_to_a_404(client, imported):
    response = client.get("/2019/05/acne/", follow=True)

    assert response.redirect_chain == [("/blog/acne/", 301)]
    assert response.status_code == 404


def test_only_posts_published_on_the_old_site_get_old_addresses(imported):
    assert set(MovedAddress.objects.values_list("old_path", "new_path")) == {
        ("/2019/05/acne/", "/blog/acne/"), ("/?p=12", "/blog/acne/")}


def test_percent_encoded_permalink_answers_at_its_readable_address(client, tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(
        14, "Skin", "Text.", slug="%e0%a4%a4%e0%a5%8d%e0%a4%b5%e0%a4%9a%e0%a4%be",
        link="https://clinic.example/2019/05/%e0%a4%a4%e0%a5%8d%e0%a4%b5%e0%a4%9a%e0%a4%be/")))
    run_import(path)
    post = Post.objects.get()
    assert post.slug == "त्वचा"
    publish(post)

    response = client.get("/2019/05/%E0%A4%A4%E0%A5%8D%E0%A4%B5%E0%A4%9A%E0%A4%BE/")

    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200
