"""The README's example of a clinic's website fetching an article works as printed."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from review.states import State

README = (Path(settings.BASE_DIR) / "README.md").read_text()


def example(containing: str) -> str:
    return next(block for block in re.findall(r"```python\n(.*?)```", README, re.S) if containing in block)


@pytest.mark.django_db(transaction=True)
def test_readme_example_fetches_an_article_and_prints_its_review_line(live_server, post_in, make_token):
    post = post_in(State.PUBLISHED, slug="pico-laser-pores")
    code = (example("urllib.request.urlopen")
            .replace("https://articles.clinic.example", live_server.url).replace("mrt_…", make_token()))

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # noqa: S102  (our own README's example)

    signature = post.live_revision.signatures.get()
    assert printed.getvalue().splitlines() == [
        post.live_revision.title,
        f"Medically reviewed by {signature.printed_name}, {signature.credentials} "
        f"— last reviewed {timezone.localdate(signature.signed_at).isoformat()}",
    ]
