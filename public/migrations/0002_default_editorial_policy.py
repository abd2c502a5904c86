"""The editorial policy text a new site starts with; the administrator edits it in the admin."""

from django.db import migrations
from django.utils import timezone

DEFAULT_BODY = """Every article on this site is written for patients and checked by a doctor before anyone can read it.

## How an article is reviewed

1. A writer drafts the article and submits it for review.
2. A medical reviewer registered with their professional body checks every claim, asks for changes where needed,
   and signs off the exact text with an electronic signature.
3. Only signed-off text is published. If the text changes afterwards, it goes back to a reviewer, and the
   version you read stays the signed one until the new version is signed.

## What the review line means

"Medically reviewed by" names the doctor who signed the words on the page, with the credentials they held
and the date they signed. If the signed text and the page ever differed, the article would be taken down
rather than shown with a review line that is not true.

## Keeping articles current

Each article is reviewed again before its sign-off expires, or sooner when the evidence changes. The date
of the next review is shown on every article.

## Corrections

If you believe something on this site is wrong, please tell the clinic; a reviewer will look at it.
"""


def create(apps, schema_editor):
    from content.rendering import render_markdown

    EditorialPolicy = apps.get_model("public", "EditorialPolicy")
    if not EditorialPolicy.objects.exists():
        EditorialPolicy.objects.create(
            title="Editorial policy", body=DEFAULT_BODY, html=render_markdown(DEFAULT_BODY), updated_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [("public", "0001_editorial_policy")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
