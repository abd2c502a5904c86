"""The generated export used for timing the import imports cleanly, so its figures mean something."""

import pytest
from django.core.management import call_command

from content.models import Image, Post
from wpimport.models import ImportedPost

pytestmark = pytest.mark.django_db


def test_generated_export_imports_every_post_with_its_picture(tmp_path, run_import):
    call_command("make_wordpress_export", tmp_path / "export.xml", "--posts", "14", "--media", tmp_path / "uploads",
                 "--picture-width", "80", stdout=open("/dev/null", "w"))

    out, err = run_import(tmp_path / "export.xml", "--media", tmp_path / "uploads")

    assert Post.objects.count() == ImportedPost.objects.count() == 14 and Image.objects.count() == 14
    assert "Imported 14 post(s)" in out and "0 failed" in out and err == ""
    assert ImportedPost.objects.exclude(claimed_reviews=[]).count() == 3
