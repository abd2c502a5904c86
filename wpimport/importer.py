"""Import a WordPress export: each post a draft, written by its author's account, with its pictures and old addresses.

Each post is imported in its own transaction through the same services the writing desk uses (post_create,
image_upload, record_move), so a post that cannot be imported costs that post alone, and what is saved obeys
every rule a typed post obeys. A post already imported (by its GUID) is left as it is.
"""

import html as html_lib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse

from content import services as content_services
from content.images import image_upload
from content.models import Post
from content.rendering import render_markdown
from public.redirects import record_move
from review import roles
from review.services import post_create
from wpimport import wxr
from wpimport.claimed_reviews import remove_claims_from_text
from wpimport.convert import PictureRequest, PlacedPicture, to_markdown
from wpimport.models import ImportedPost

# The alt text a picture gets when the old site had none: the writer must replace it (the notice says so).
MISSING_ALT = "Describe this picture: it had no alt text on the old site"
SUMMARY_MAX = 500
TITLE_MAX = 200
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


def claimed_review_notice(name: str) -> str:
    return f"The old site claimed a review by {name}; it needs a real signature."


def missing_alt_notice(file: str) -> str:
    return f"The picture {file} had no alt text on the old site; the writer must describe it."


@dataclass
class PostResult:
    title: str
    wordpress_id: int | None
    outcome: str  # imported, skipped, failed
    address: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Summary:
    results: list[PostResult] = field(default_factory=list)
    other_items: Counter = field(default_factory=Counter)  # by post type: pages, attachments …
    unreadable: list[wxr.BrokenItem] = field(default_factory=list)
    accounts_created: list[str] = field(default_factory=list)
    not_well_formed: str = ""
    # What the posts carried that has no place here (README: Moving from WordPress).
    terms_left_out: Counter = field(default_factory=Counter)  # by taxonomy: category, post_tag …
    comments_left_out: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)


def parse_date(item: wxr.Item) -> tuple[datetime | None, str]:
    """When the post was published on the old site, and a problem when the export's date cannot be read."""
    if item.date_gmt and not item.date_gmt.startswith("0000"):
        try:
            return datetime.strptime(item.date_gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC), ""
        except ValueError:
            pass
    if item.pub_date:
        try:
            parsed = parsedate_to_datetime(item.pub_date)
            if parsed is not None and parsed.year > 1970:
                return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)), ""
        except (TypeError, ValueError, IndexError):
            pass
    written = item.date_gmt or item.pub_date or item.date
    if not written or written.startswith("0000") or item.status != "publish":
        return None, ""
    return None, f"The date “{written[:40]}” is not a date; the old publication date was not kept."


def plain_text(markdown_or_html: str) -> str:
    return " ".join(BeautifulSoup(render_markdown(markdown_or_html), "html.parser").get_text(" ").split())


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def old_paths(item: wxr.Item, site: wxr.Site) -> list[str]:
    """The addresses readers used for the post on the old site: its link, and WordPress's /?p=<id>."""
    paths = []
    if item.link:
        parts = urlsplit(item.link)
        path = unquote(parts.path) or "/"
        paths.append(f"{path}?{parts.query}" if parts.query else path)
    if item.post_id is not None:
        paths.append(f"{site.blog_path}/?p={item.post_id}")
    return list(dict.fromkeys(paths))


class Importer:
    def __init__(self, *, path: str, media_dir: str | None = None, max_megabytes: float = wxr.MAX_MEGABYTES,
                 progress: Callable[[PostResult], None] | None = None):
        self.path = path
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.max_megabytes = max_megabytes
        self.progress = progress or (lambda result: None)
        self.summary = Summary()
        self.accounts: dict[str, object] = {}
        # Pictures uploaded for posts already committed, by file: each file is uploaded once per run.
        self.uploads: dict[str, PlacedPicture] = {}
        self.author_group = None

    def run(self) -> Summary:
        """Read the export (wxr.ExportUnreadable when nothing of it can be) and import every post in it."""
        self.site = wxr.read_site(self.path, max_megabytes=self.max_megabytes)
        self.summary.not_well_formed = self.site.not_well_formed
        for item in wxr.read_items(self.path, self.site):
            if isinstance(item, wxr.BrokenItem):
                self.summary.unreadable.append(item)
                continue
            if item.post_type != "post":
                self.summary.other_items[item.post_type] += 1
                continue
            result = self.import_item(item)
            self.summary.results.append(result)
            if result.outcome == "imported":
                self.summary.terms_left_out.update(domain for domain, _ in item.terms)
                self.summary.comments_left_out += item.comments
            self.progress(result)
        return self.summary

    # --- one post

    def origin_of(self, item: wxr.Item) -> str:
        if item.guid:
            return item.guid[:500]
        return f"{self.site.base_site_url}/?p={item.post_id}" if item.post_id is not None else ""

    def import_item(self, item: wxr.Item) -> PostResult:
        title = " ".join(html_lib.unescape(BeautifulSoup(item.title, "html.parser").get_text()).split())
        result = PostResult(title=title or f"(WordPress post {item.post_id})", wordpress_id=item.post_id,
                            outcome="failed")
        origin = self.origin_of(item)
        if not origin:
            result.problems.append("It has neither a GUID nor a post id, so a second import could not tell it "
                                   "was already here; it was not imported.")
            return result
        existing = ImportedPost.objects.filter(origin=origin).select_related("post").first()
        if existing is not None:
            result.outcome, result.address = "skipped", reverse("public:article", args=[existing.post.slug])
            result.problems.append("Already imported; left as it is.")
            return result
        with transaction.atomic():
            author = self.account_for(item.creator)
        placed: dict[str, PlacedPicture | None] = {}
        try:
            with transaction.atomic():
                self.create(item, origin, title, result, author=author, placed=placed)
            self.uploads.update((key, picture) for key, picture in placed.items() if picture is not None)
        except (ValidationError, PermissionDenied) as exc:
            result.outcome, result.address = "failed", ""
            result.problems.extend(_messages(exc))
        except Exception as exc:  # noqa: BLE001 - one post's surprise must not cost the others
            result.outcome, result.address = "failed", ""
            result.problems.append(f"It could not be imported: {type(exc).__name__}: {exc}")
        return result

    def create(self, item: wxr.Item, origin: str, title: str, result: PostResult, *, author, placed) -> None:
        problems = result.problems
        if not title:
            title = f"Untitled (WordPress post {item.post_id})"
            problems.append(f"It had no title; it is called “{title}” until the writer gives it one.")
        elif len(title) > TITLE_MAX:
            problems.append(f"The title was {len(title)} characters; it is cut to {TITLE_MAX}.")
            title = shorten(title, TITLE_MAX)
        published, date_problem = parse_date(item)
        if date_problem:
            problems.append(date_problem)
        without_alt: list[dict] = []

        def place_picture(request: PictureRequest) -> PlacedPicture | None:
            return self.place_picture(request, author=author, problems=problems, without_alt=without_alt,
                                      placed=placed)

        converted = to_markdown(item.content, place_picture=place_picture, attachments=self.site.attachments)
        problems.extend(converted.notes)
        excerpt_html = item.excerpt.strip()
        summary_text, excerpt_claims = remove_claims_from_text(plain_text(excerpt_html)) if excerpt_html else ("", [])
        if not summary_text:
            summary_text = plain_text(converted.first_paragraph)
        if len(summary_text) > SUMMARY_MAX:
            problems.append(f"The summary was {len(summary_text)} characters; it is cut to {SUMMARY_MAX}.")
            summary_text = shorten(summary_text, SUMMARY_MAX)
        claimed = list(dict.fromkeys(converted.claimed_reviews + excerpt_claims))
        hero = None
        thumbnail = wxr.as_int(item.meta.get("_thumbnail_id", ""))
        if thumbnail is not None:
            attachment = self.site.attachments.get(thumbnail)
            if attachment is None:
                problems.append(f"Its featured picture (attachment {thumbnail}) is not in the export.")
            else:
                picture = place_picture(PictureRequest(src=attachment.url, alt="", caption="", attachment_id=thumbnail))
                if picture is not None:
                    hero = {"image": int(picture.reference.split(":")[1].split("/")[0]), "alt": picture.alt}
        slug = self.slug_for(item, title, problems)
        post = post_create(author=author, title=title, summary=summary_text, body=converted.markdown, slug=slug,
                           hero=hero, imported_from=origin)
        address = reverse("public:article", args=[post.slug])
        ImportedPost.objects.create(
            origin=origin, post=post, wordpress_id=item.post_id, old_address=item.link[:500],
            old_status=item.status[:20], published_on_old_site=published, claimed_reviews=claimed,
            pictures_without_alt=without_alt, notes=list(problems),
        )
        if item.status == "publish":
            for old_path in old_paths(item, self.site):
                record_move(old_path=old_path[:500], new_path=address)
        # Kept apart from the notes: the page shows these until they are dealt with (wpimport.templatetags).
        problems += [claimed_review_notice(name) for name in claimed]
        problems += [missing_alt_notice(entry["file"]) for entry in without_alt]
        if item.status and item.status != "publish":
            problems.append(f"It was “{item.status}” on the old site, so no old address leads to it.")
        result.outcome, result.address = "imported", address

    def slug_for(self, item: wxr.Item, title: str, problems: list[str]) -> str:
        slug = item.slug.strip().lower()
        if not slug:
            return content_services.unique_slug(title)
        try:
            content_services.validate_slug(slug)
        except ValidationError:
            made = content_services.unique_slug(title)
            problems.append(f"Its address “{slug[:80]}” has characters addresses here cannot have; it is /blog/{made}/.")
            return made
        if Post.objects.filter(slug=slug).exists():
            made = content_services.unique_slug(slug)
            problems.append(f"The address /blog/{slug}/ is taken by another post; this one is at /blog/{made}/.")
            return made
        return slug[:200]

    # --- pictures

    def file_for(self, request: PictureRequest) -> tuple[Path | None, str]:
        """The picture's file in the media folder (the original rather than a resized copy), and its name."""
        attachment = self.site.attachments.get(request.attachment_id) if request.attachment_id else None
        candidates = []
        if attachment is not None and attachment.file:
            candidates.append(attachment.file)
        for url in (request.src, attachment.url if attachment else ""):
            found = _UPLOADS.search(unquote(urlsplit(url).path)) if url else None
            if found:
                candidates += [_RESIZED.sub("", found[1]), found[1]]
        candidates = list(dict.fromkeys(candidates))
        name = candidates[0] if candidates else request.src
        if self.media_dir is None:
            return None, name
        for candidate in candidates:
            path = (self.media_dir / candidate).resolve()
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path, candidate
        return None, name

    def place_picture(self, request: PictureRequest, *, author, problems, without_alt, placed):
        path, name = self.file_for(request)
        attachment = self.site.attachments.get(request.attachment_id) if request.attachment_id else None
        alt = request.alt or (attachment.alt if attachment else "")
        alt = " ".join(alt.split())[:300]
        if path is None:
            where = "no --media folder was given" if self.media_dir is None else f"it is not in {self.media_dir}"
            problems.append(f"The picture {name or '(no address)'} was left out: {where}."
                            + (f" Its alt text was “{alt}”." if alt else ""))
            return None
        key = str(path)
        if key in self.uploads:
            placed[key] = self.uploads[key]
        if key not in placed:
            try:
                with path.open("rb") as handle:
                    image = image_upload(File(handle, name=path.name), alt=alt or MISSING_ALT,
                                         caption=request.caption[:300], uploaded_by=author)
                placed[key] = PlacedPicture(reference=image.reference, alt=alt or MISSING_ALT)
            except ValidationError as exc:
                problems.append(f"The picture {name} was left out: " + " ".join(_messages(exc)))
                placed[key] = None
        picture = placed[key]
        if picture is not None and not alt:
            image_id = int(picture.reference.split(":")[1].split("/")[0])
            if not any(entry["image"] == image_id for entry in without_alt):
                without_alt.append({"image": image_id, "file": name})
            return PlacedPicture(reference=picture.reference, alt=MISSING_ALT)
        return PlacedPicture(reference=picture.reference, alt=alt) if picture else None

    # --- authors

    def account_for(self, login: str):
        """The account of the post's WordPress author: by username, then by email; else a new, inactive one."""
        login = (login or "").strip()
        if login in self.accounts:
            return self.accounts[login]
        User = get_user_model()
        author = self.site.authors.get(login) or wxr.Author(login=login)
        user = User.objects.filter(username__iexact=login).order_by("pk").first() if login else None
        if user is None and author.email:
            user = User.objects.filter(email__iexact=author.email).order_by("pk").first()
        if user is None:
            user = self.create_account(author)
            self.summary.accounts_created.append(
                f"{user.username} ({author.display_name or login or 'no name'}{', ' + author.email if author.email else ''})")
        self.accounts[login] = user
        return user

    def create_account(self, author: wxr.Author):
        User = get_user_model()
        base = _USERNAME_CHARACTERS.sub("_", author.login or author.email.split("@")[0] or "wordpress-author")[:140]
        username, n = base, 2
        while User.objects.filter(username__iexact=username).exists():
            username, n = f"{base}-wp{n}", n + 1
        first, last = author.first_name, author.last_name
        if not (first or last) and author.display_name:
            first, _, last = author.display_name.partition(" ")
        user = User(username=username, email=author.email, first_name=first[:150], last_name=last[:150],
                    is_active=False)
        user.set_unusable_password()
        user.save()
        if self.author_group is None:
            self.author_group = Group.objects.filter(name=roles.AUTHOR).first()
        if self.author_group is not None:
            user.groups.add(self.author_group)
        return user


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [f"{field}: {message}" for field, errors in exc.message_dict.items() for message in errors]
        return list(exc.messages)
    return [str(exc)]
