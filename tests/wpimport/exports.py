"""WordPress exports (WXR 1.2) written for the tests: a site, its authors, attachments and posts."""

import io
from pathlib import Path

from PIL import Image as PILImage

SITE = "https://clinic.example"

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Clinic Blog</title>
  <link>{site}</link>
  <description>Skin notes</description>
  <language>en-SG</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
"""

AUTHOR = """  <wp:author><wp:author_id>{id}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>
    <wp:author_email><![CDATA[{email}]]></wp:author_email><wp:author_display_name><![CDATA[{name}]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[{first}]]></wp:author_first_name><wp:author_last_name><![CDATA[{last}]]></wp:author_last_name></wp:author>
"""

ITEM = """  <item>
    <title><![CDATA[{title}]]></title>
    <link>{link}</link>
    <pubDate>{pub_date}</pubDate>
    <dc:creator><![CDATA[{creator}]]></dc:creator>
    <guid isPermaLink="false">{guid}</guid>
    <description></description>
    <content:encoded><![CDATA[{content}]]></content:encoded>
    <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
    <wp:post_id>{id}</wp:post_id>
    <wp:post_date><![CDATA[{date}]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
    <wp:comment_status><![CDATA[open]]></wp:comment_status>
    <wp:post_name><![CDATA[{slug}]]></wp:post_name>
    <wp:status><![CDATA[{status}]]></wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:post_type><![CDATA[{type}]]></wp:post_type>
    {extra}
  </item>
"""


def meta(key, value):
    return f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"


def post(id, title, content="", *, slug=None, status="publish", creator="jlim", excerpt="", date="2019-05-03 04:05:06",
         type="post", link=None, guid=None, extra="", pub_date="Fri, 03 May 2019 04:05:06 +0000"):
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    link = link if link is not None else (f"{SITE}/2019/05/{slug}/" if status == "publish" else f"{SITE}/?p={id}")
    return ITEM.format(title=title, link=link, pub_date=pub_date, creator=creator,
                       guid=guid if guid is not None else f"{SITE}/?p={id}", content=content, excerpt=excerpt, id=id,
                       date=date, slug=slug, status=status, type=type, extra=extra)


def attachment(id, file, alt=""):
    url = f"{SITE}/wp-content/uploads/{file}"
    return post(id, file.rsplit("/", 1)[-1], "", slug=file.rsplit("/", 1)[-1].split(".")[0], status="inherit",
                type="attachment", link=url, extra=f"<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>"
                + meta("_wp_attached_file", file) + (meta("_wp_attachment_image_alt", alt) if alt else ""))


def author(login, email, name):
    first, _, last = name.partition(" ")
    return AUTHOR.format(id=abs(hash(login)) % 1000, login=login, email=email, name=name, first=first, last=last)


def export(*parts, authors=None, site=SITE) -> str:
    authors = authors if authors is not None else [author("jlim", "jane.lim@clinic.example", "Jane Lim")]
    return HEAD.format(site=site) + "".join(authors) + "".join(parts) + "</channel>\n</rss>\n"


def write(tmp_path: Path, text: str, name="export.xml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def picture_bytes(width=64, height=48, color=(200, 120, 90), kind="JPEG") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(out, kind)
    return out.getvalue()


def media(tmp_path: Path, *files: str) -> Path:
    """A copy of wp-content/uploads holding `files` (relative paths) as small JPEGs."""
    root = tmp_path / "uploads"
    for n, file in enumerate(files):
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(picture_bytes(color=(n * 40 % 256, 120, 90)))
    root.mkdir(exist_ok=True)
    return root
