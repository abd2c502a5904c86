"""Scheduled work: publish due scheduled posts and flag due re-reviews. Safe to run from cron on many machines."""

from django.core.management.base import BaseCommand

from review import services


class Command(BaseCommand):
    help = "Publish scheduled posts whose time has come and flag published posts whose review is due."

    def handle(self, *args, **options):
        published = services.publish_due()
        flagged = services.flag_rereviews_due()
        self.stdout.write(f"Published {len(published)} scheduled post(s); flagged {len(flagged)} re-review(s) due.")
