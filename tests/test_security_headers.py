"""Headers every page carries."""

import pytest


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_every_page_has_a_strict_content_security_policy(client, db, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
