"""manage.py make_wordpress_export FILE --posts N [--media DIR]: a made-up WordPress export, for timing the import.

Posts mix what real clinic blogs hold: classic-editor and block-editor text, headings, lists, quotes, links,
captioned pictures (some without alt text), a table, shortcodes, an embedded video, and typed review lines.
The same arguments make the same file.
"""

import io
import random
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand
from PIL import Image as PILImage
from PIL import ImageDraw

SITE = "https://clinic.example"
WORDS = ("skin laser acne scar pigment collagen sunscreen retinoid peel treatment session redness healing "
         "dermatologist pores texture moisturiser cleanser tone sensitivity routine care results week clinic "
         "patient barrier hydration gentle daily evening morning ingredient niacinamide").split()
TOPICS = ["Acne scars", "Pico laser", "Open pores", "Pigmentation", "Melasma", "Sunscreen", "Chemical peels",
          "Rosacea", "Eczema", "Hair loss", "Moles", "Eye bags"]
REVIEW_LINES = ["<em>Medically reviewed by Dr. {name}, MBBS (Singapore) on 3 May 2019.</em>",
                "<p><strong>Reviewed by:</strong> Dr {name}</p>",
                "This article was clinically reviewed by Dr. {name}. Read on for more.",
                "Medical reviewer: Dr {name} | Updated June 2020"]
DOCTORS = ["Jane Lim", "Tan Wei Ming", "Goh Mei Lin", "Arun Nair"]
AUTHORS = [("jlim", "Jane Lim"), ("wtan", "Wei Tan"), ("snair", "Siti Nair"), ("mgoh", "Mei Goh")]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class Command(BaseCommand):
    help = "Write a made-up WordPress export (and its wp-content/uploads) for timing import_wordpress."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--media", metavar="DIR", help="Write the posts' pictures here (one or two per post).")
        parser.add_argument("--picture-width", type=int, default=1200)
        parser.add_argument("--seed", type=int, default=22)

    def handle(self, *args, file, posts, media, picture_width, seed, **options):
        rng = random.Random(seed)
        media_dir = Path(media) if media else None
        pictures = 0
        with open(file, "w", encoding="utf-8") as out:
            out.write(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Clinic blog</title><link>{SITE}</link><description>Skin notes</description>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>
""")
            for n, (login, name) in enumerate(AUTHORS, 1):
                first, last = name.split()
                out.write(f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                          f"<wp:author_email>{cdata(login + '@clinic.example')}</wp:author_email>"
                          f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
                          f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
                          f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n")
            for number in range(1, posts + 1):
                post_id = number * 10
                month = f"{2015 + number % 10}/{1 + number % 12:02d}"
                file_name = f"{month}/picture-{number}.jpg"
                alt = "" if number % 7 == 0 else f"{rng.choice(TOPICS)} treatment, picture {number}"
                if media_dir is not None:
                    self.write_picture(media_dir / file_name, number, picture_width)
                    pictures += 1
                out.write(self.attachment(post_id + 1, file_name, alt))
                out.write(self.post(rng, number, post_id, month, file_name))
            out.write("</channel>\n</rss>\n")
        self.stdout.write(f"Wrote {posts} posts to {file}" + (f" and {pictures} pictures to {media}" if media else ""))

    def write_picture(self, path: Path, number: int, width: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        height = width * 2 // 3
        picture = PILImage.new("RGB", (width, height), ((number * 37) % 256, (number * 91) % 256, 180))
        draw = ImageDraw.Draw(picture)
        for band in range(0, width, 40):
            draw.rectangle([band, 0, band + 20, height], fill=((band + number) % 256, 120, (number * 13) % 256))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        path.write_bytes(buffer.getvalue())

    def attachment(self, post_id: int, file_name: str, alt: str) -> str:
        url = f"{SITE}/wp-content/uploads/{file_name}"
        alt_meta = (f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                    f"<wp:meta_value>{cdata(alt)}</wp:meta_value></wp:postmeta>") if alt else ""
        return (f"<item><title>{escape(file_name)}</title><link>{url}</link><guid isPermaLink=\"false\">{url}</guid>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:status>inherit</wp:status>"
                f"<wp:post_type>attachment</wp:post_type><wp:attachment_url>{url}</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{cdata(file_name)}"
                f"</wp:meta_value></wp:postmeta>{alt_meta}</item>\n")

    def post(self, rng: random.Random, number: int, post_id: int, month: str, file_name: str) -> str:
        topic = rng.choice(TOPICS)
        title = f"{topic}: what to know, part {number}"
        slug = f"{topic.lower().replace(' ', '-')}-{number}"
        picture_url = f"{SITE}/wp-content/uploads/{file_name.replace('.jpg', '-300x200.jpg')}"
        gutenberg = number % 2 == 0
        blocks = [paragraph(rng), f"<h2>{rng.choice(TOPICS)} and {rng.choice(WORDS)}</h2>", paragraph(rng),
                  "<ul>" + "".join(f"<li>{sentence(rng)}</li>" for _ in range(rng.randint(2, 5))) + "</ul>",
                  f'[caption id="attachment_{post_id + 1}" align="aligncenter" width="300"]<img class="size-medium '
                  f'wp-image-{post_id + 1}" src="{picture_url}" alt="" width="300" height="200" /> '
                  f'{topic} before treatment[/caption]',
                  f'<p>See <a href="https://www.aad.org/{rng.choice(WORDS)}">the <em>guidance</em></a>. '
                  f"{paragraph(rng)}</p>",
                  f"<blockquote>{sentence(rng)}</blockquote>"]
        if number % 5 == 0:
            blocks.append("<table><tr><th>Session</th><th>Weeks</th></tr><tr><td>1</td><td>4</td></tr></table>")
        if number % 4 == 0:
            blocks.append(REVIEW_LINES[number // 4 % len(REVIEW_LINES)].format(name=DOCTORS[number // 4 % len(DOCTORS)]))
        if number % 9 == 0:
            blocks.append('[contact-form-7 id="12" title="Book a consultation"]')
        if number % 11 == 0:
            blocks.append("https://www.youtube.com/watch?v=abc" + str(number))
        if number % 13 == 0:
            blocks.append('<p>Our <span style="color:red">offer</span> <script>track()</script>ends soon.</p>')
        for _ in range(rng.randint(2, 6)):
            blocks.append(paragraph(rng))
        if gutenberg:
            content = "\n\n".join(f"<!-- wp:paragraph -->\n{b if b.startswith('<') else '<p>' + b + '</p>'}\n"
                                  "<!-- /wp:paragraph -->" for b in blocks)
        else:
            content = "\n\n".join(blocks)
        status = "publish" if number % 10 else rng.choice(["draft", "pending", "private"])
        login = AUTHORS[number % len(AUTHORS)][0]
        link = f"{SITE}/{month}/{slug}/" if status == "publish" else f"{SITE}/?p={post_id}"
        thumbnail = (f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{post_id + 1}"
                     "</wp:meta_value></wp:postmeta>") if number % 3 == 0 else ""
        excerpt = sentence(rng) if number % 2 else ""
        return (f"<item><title>{cdata(title)}</title><link>{link}</link>"
                f"<pubDate>Mon, 06 May 2019 10:00:00 +0000</pubDate><dc:creator>{cdata(login)}</dc:creator>"
                f"<guid isPermaLink=\"false\">{SITE}/?p={post_id}</guid><description></description>"
                f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata(excerpt)}"
                f"</excerpt:encoded><wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{cdata('2019-05-06 18:00:00')}</wp:post_date>"
                f"<wp:post_date_gmt>{cdata('2019-05-06 10:00:00')}</wp:post_date_gmt>"
                f"<wp:post_name>{cdata(slug)}</wp:post_name><wp:status>{cdata(status)}</wp:status>"
                f"<wp:post_type>{cdata('post')}</wp:post_type>"
                f"<category domain=\"category\" nicename=\"skin\">{cdata('Skin')}</category>"
                f"<category domain=\"post_tag\" nicename=\"{slug}\">{cdata(topic)}</category>"
                f"{thumbnail}</item>\n")
