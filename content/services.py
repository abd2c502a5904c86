"""Writes of content: new posts and new revisions. The review workflow decides when they may happen."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.conf import settings
from django.utils import timezone

from content import images
from content.hashing import content_hash, normalise_line, normalise_text
from content.models import Post, Revision


def check_body_size(body: str) -> None:
    size = len(body.encode("utf-8"))
    if size > settings.MAX_BODY_BYTES:
        raise ValidationError(
            {"body": f"The body is {size // 1024} KB; the limit is {settings.MAX_BODY_BYTES // 1024} KB. "
                     "Split the article or shorten it."}
        )


def _word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char == "_"


def slug_from_title(title: str) -> str:
    """Letters, digits and their combining marks (Devanagari vowel signs, Arabic harakat) joined by hyphens.

    Django's slugify drops combining marks, which turns "त्वचा" into the meaningless "तवच".
    """
    kept, previous = [], " "
    for char in unicodedata.normalize("NFKC", title).lower():
        # A mark only after a letter: no stray emoji variation selectors.
        if _word_character(char) and not (unicodedata.category(char)[0] == "M" and not _word_character(previous)):
            kept.append(char)
        elif char.isspace() or char == "-":
            kept.append(" ")
        previous = kept[-1] if kept else " "
    return "-".join("".join(kept).split())[:200].strip("-_") or "post"


def validate_slug(slug: str) -> None:
    """What slug_from_title makes: letters, digits, their marks, hyphens and underscores."""
    if not slug or not all(_word_character(char) or char == "-" for char in slug):
        raise ValidationError("Use only letters, numbers, hyphens and underscores in the address.")


def unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slug_from_title(title)
    candidate, n = base, 2
    taken = Post.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=candidate).exists():
        candidate, n = f"{base[:190]}-{n}", n + 1
    return candidate


def revision_create(*, post: Post, author, title: str, summary: str, body: str,
                    hero_image: int | None = None, hero_alt: str = "") -> Revision:
    """Render, hash and store a new version of `post`, with the pictures it shows, and make it the working copy."""
    check_body_size(body)
    title, summary, body = normalise_line(title), normalise_text(summary), normalise_text(body)
    hero_alt = normalise_text(hero_alt) if hero_image else ""
    if not title:
        raise ValidationError({"title": "A post needs a title."})
    rendered = images.render_body(body, hero_id=hero_image, hero_alt=hero_alt)
    images.check_pictures(rendered, hero_id=hero_image, hero_alt=hero_alt)
    html = rendered.html
    number = (post.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        post=post,
        number=number,
        title=title,
        summary=summary,
        body=body,
        html=html,
        images=rendered.manifest,
        author=author,
        content_hash=content_hash(title=title, summary=summary, body=body, html=html, images=rendered.manifest),
    )
    post.current_revision = revision
    post.updated_at = timezone.now()
    post.save(update_fields=["current_revision", "updated_at"])
    return revision


def hero_fields(post: Post | None, hero: dict | None) -> dict:
    """revision_create's hero arguments: `hero` ({"image": id or None, "alt": …}), or the working copy's when None."""
    if hero is None:
        current = post.current_revision.hero if post is not None and post.current_revision_id else None
        return {"hero_image": current["image"], "hero_alt": current["alt"]} if current else {}
    return {"hero_image": hero.get("image") or None, "hero_alt": hero.get("alt") or ""}


def revision_would_change(post: Post, *, title: str, summary: str, body: str,
                          hero_image: int | None = None, hero_alt: str = "") -> bool:
    current = post.current_revision
    if current is None:
        return True
    hero = current.hero or {}
    return (normalise_line(title), normalise_text(summary), normalise_text(body),
            hero_image or None, normalise_text(hero_alt) if hero_image else "") != (
        current.title, current.summary, current.body, hero.get("image"), hero.get("alt", ""),
    )
