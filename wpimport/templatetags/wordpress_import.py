"""What an import from WordPress left for the writer and the doctor to do, shown on the editor and review pages."""

from django import template

from wpimport.importer import MISSING_ALT, claimed_review_notice, missing_alt_notice

register = template.Library()


@register.inclusion_tag("wpimport/_notices.html")
def wordpress_notices(post, revision):
    """Until the post is first published here: the reviews the old site claimed, pictures of `revision` still
    without a description, and what else did not come along as it was.

    The import record is `post.wordpress_origin` (ImportedPost's related name): a page that loads the post with
    `select_related("wordpress_origin")` reads it with the post. A post written here has none (reading it raises
    ImportedPost.DoesNotExist, an AttributeError too)."""
    origin = None if post.first_published_at else getattr(post, "wordpress_origin", None)
    if origin is None:
        return {"origin": None}
    placeholders = {entry["image"] for entry in revision.images if entry.get("alt") == MISSING_ALT}
    return {
        "origin": origin,
        "claimed": [claimed_review_notice(name) for name in origin.claimed_reviews],
        "without_alt": [missing_alt_notice(entry["file"]) for entry in origin.pictures_without_alt
                        if entry["image"] in placeholders],
        "notes": origin.notes,
    }
