"""The OpenAPI schema: valid, served at /api/schema/, and the committed copy (docs/openapi.yaml) is the code's."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_schema_validates_and_equals_the_committed_file(tmp_path):
    generated = tmp_path / "openapi.yaml"

    # --validate checks the document against the OpenAPI 3 JSON Schema; --fail-on-warn refuses any guesswork.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))

    assert generated.read_text() == COMMITTED.read_text(), (
        "The API changed but docs/openapi.yaml did not: run "
        "`python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml` and commit it.")


def test_schema_is_served_to_anyone(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert set(response.json()["paths"]) == {
        "/api/v1/articles/", "/api/v1/articles/{slug}/", "/api/v1/reviewers/", "/api/v1/reviewers/{slug}/",
        "/api/v1/drafts/", "/api/v1/drafts/{slug}/"}


def _directives(response):
    """The policy's directives, each a set of sources: the header's order is not part of its meaning."""
    parts = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: set(sources) for name, *sources in parts}


def test_schema_docs_page_loads_everything_from_this_site(client, db):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert '<div id="swagger-ui"></div>' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "<script>" not in html  # the site's CSP allows no inline code
    assert "//" not in html  # every address on this site: no CDN
    assert _directives(response)["img-src"] == {"'self'", "https:", "data:"}
    assert "data:" not in _directives(client.get("/blog/"))["img-src"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
