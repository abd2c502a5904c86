"""The article's JSON-LD: a schema.org MedicalWebPage whose every value matches the signature and the page."""

import json
import re

from django.utils import timezone

from tests.public.test_pages import text_of


def structured_data(response) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_structured_data_matches_the_signature_field_by_field(client, published, reviewer):
    post = published(title="Pico laser aftercare", summary="What to do after laser.")
    signature = post.live_revision.signatures.get()
    profile = reviewer.reviewer_profile
    data = structured_data(client.get(f"/blog/{post.slug}/"))
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": f"http://testserver/blog/{post.slug}/",
        "headline": "Pico laser aftercare",
        "description": "What to do after laser.",
        "datePublished": timezone.localtime(post.first_published_at).isoformat(timespec="seconds"),
        "dateModified": timezone.localtime(post.published_at).isoformat(timespec="seconds"),
        "author": {"@type": "Person", "name": post.author.get_full_name()},
        "reviewedBy": {
            "@type": "Person",
            "honorificPrefix": "Dr.",
            "name": "Ian Tan",
            "url": f"http://testserver/reviewers/{profile.slug}/",
            "hasCredential": {"@type": "EducationalOccupationalCredential", "name": signature.credentials},
        },
        "lastReviewed": timezone.localtime(signature.signed_at).date().isoformat(),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patients"},
    }
    assert f"{data['reviewedBy']['honorificPrefix']} {data['reviewedBy']['name']}" == signature.printed_name


def test_structured_data_dates_are_iso_8601_with_offset(client, published):
    post = published()
    data = structured_data(client.get(f"/blog/{post.slug}/"))
    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data[key])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["lastReviewed"])


def test_structured_data_values_are_all_visible_on_the_page(client, published):
    post = published()
    response = client.get(f"/blog/{post.slug}/")
    data, text, html = structured_data(response), text_of(response), response.content.decode()
    for value in (data["headline"], data["description"], data["author"]["name"], data["reviewedBy"]["name"],
                  data["reviewedBy"]["honorificPrefix"], data["reviewedBy"]["hasCredential"]["name"],
                  data["medicalAudience"]["audienceType"]):
        assert value in text
    # Dates and URLs are visible as links and <time> elements carrying the exact value.
    for key in ("datePublished", "dateModified", "lastReviewed"):
        assert f'<time datetime="{data[key]}">' in html
    assert f'href="{data["reviewedBy"]["url"].removeprefix("http://testserver")}"' in html


def test_structured_data_uses_only_schema_org_properties_of_each_type(client, published):
    allowed = {
        # MedicalWebPage and its ancestors WebPage, CreativeWork, Thing
        "MedicalWebPage": {"@context", "@type", "url", "headline", "description", "datePublished", "dateModified",
                           "author", "reviewedBy", "lastReviewed", "medicalAudience"},
        "Person": {"@type", "name", "honorificPrefix", "url", "hasCredential"},
        "EducationalOccupationalCredential": {"@type", "name"},
        "MedicalAudience": {"@type", "audienceType"},
    }
    post = published()
    data = structured_data(client.get(f"/blog/{post.slug}/"))

    def check(node):
        assert set(node) <= allowed[node["@type"]], node
        for value in node.values():
            if isinstance(value, dict):
                check(value)

    check(data)


def test_structured_data_cannot_close_its_script_element(client, published):
    post = published(title="Acne </script><script>alert(1)</script>", summary="a & b <c>")
    response = client.get(f"/blog/{post.slug}/")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S).group(1)
    assert "<" not in block and ">" not in block
    assert structured_data(response)["headline"] == "Acne </script><script>alert(1)</script>"
