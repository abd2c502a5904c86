"""manage.py import_wordpress export.xml [--media DIR]: each WordPress post a draft here (README: Moving from WordPress)."""

import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wpimport import wxr
from wpimport.importer import Importer, PostResult


class Command(BaseCommand):
    help = ("Import a WordPress export (Tools › Export › All content) as drafts: posts, their pictures from a copy "
            "of wp-content/uploads, authors, and old addresses that lead to the new articles. Running it again "
            "changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (WXR, .xml).")
        parser.add_argument("--media", metavar="DIR",
                            help="A copy of the old site's wp-content/uploads folder, for the pictures.")
        parser.add_argument("--max-megabytes", type=float, default=wxr.MAX_MEGABYTES,
                            help=f"Refuse a larger file (default {wxr.MAX_MEGABYTES}).")
        parser.add_argument("--quiet", action="store_true", help="Print the summary only, not a line per post.")

    def handle(self, *args, export, media, max_megabytes, quiet, **options):
        started = time.perf_counter()
        if media and not Path(media).is_dir():
            raise CommandError(f"Nothing was imported. The media folder {media} does not exist: give a copy of the old "
                               "site's wp-content/uploads folder.")
        importer = Importer(path=export, media_dir=media, max_megabytes=max_megabytes,
                            progress=None if quiet else self.report_post)
        try:
            summary = importer.run()
        except wxr.ExportUnreadable as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        if summary.not_well_formed:
            self.stderr.write(f"The file is not well-formed XML ({summary.not_well_formed}); it was read item by "
                              "item, and only the items named below were lost.")
        for broken in summary.unreadable:
            self.stderr.write(f"Item at line {broken.line}{f' ({broken.title!r})' if broken.title else ''} could "
                              f"not be read: {broken.error}.")
        if summary.accounts_created:
            self.stdout.write("Inactive accounts made for WordPress authors with no account here (an administrator "
                              "activates each and sends a password reset):")
            for account in summary.accounts_created:
                self.stdout.write(f"  {account}")
        problems = sum(1 for result in summary.results if result.outcome == "imported" and result.problems)
        others = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.other_items.items()))
        self.stdout.write(
            f"Imported {summary.count('imported')} post(s) as drafts ({problems} with something to check), skipped "
            f"{summary.count('skipped')} already imported, {summary.count('failed')} failed, "
            f"{len(summary.unreadable)} unreadable." + (f" Not posts, left out: {others}." if others else ""))
        left_out = [f"{count} {kind.replace('post_tag', 'tag')} link(s)" for kind, count in
                    sorted(summary.terms_left_out.items())]
        if summary.comments_left_out:
            left_out.append(f"{summary.comments_left_out} comment(s)")
        if left_out:
            self.stdout.write("Not imported, as nothing here holds them: " + ", ".join(left_out) + ".")
        self.stdout.write(f"Took {time.perf_counter() - started:.1f} s; peak memory "
                          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.")
        if not summary.results and summary.unreadable:
            raise CommandError("No post could be read from the file.")

    def report_post(self, result: PostResult):
        label = {"imported": "Imported", "skipped": "Skipped", "failed": "FAILED"}[result.outcome]
        where = f" → {result.address}" if result.address else ""
        stream = self.stderr if result.outcome == "failed" else self.stdout
        stream.write(f"{label}: {result.title} (WordPress {result.wordpress_id}){where}")
        for problem in result.problems:
            stream.write(f"    - {problem}")
