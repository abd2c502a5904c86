"""Write the audit pack of one post as JSON or HTML."""

import json

from django.core.management.base import BaseCommand, CommandError

from content.models import Post
from review import audit_pack


class Command(BaseCommand):
    help = "Export everything that happened to a post: revisions, diffs, findings, comments, signatures, audit events."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "html"], default="json")
        parser.add_argument("--output", "-o", help="File to write; standard output when omitted.")

    def handle(self, *args, slug, format, output, **options):
        post = Post.objects.filter(slug=slug).select_related("workflow").first()
        if post is None:
            raise CommandError(f"No post with the address “{slug}”.")
        pack = audit_pack.build(post)
        text = json.dumps(pack, indent=2, ensure_ascii=False) if format == "json" else audit_pack.render_html(pack, standalone=True)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote the audit pack of “{post.title}” to {output}.")
        else:
            self.stdout.write(text)
