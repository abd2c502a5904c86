"""Scheduled work: publish due scheduled posts, flag due re-reviews, checkpoint the audit chain and attest articles
that have no attestation yet. Safe to run from cron on many machines."""

from django.core.management.base import BaseCommand, CommandError

from review import attestations, checkpoints, key_check, services


class Command(BaseCommand):
    help = ("Publish scheduled posts whose time has come, flag published posts whose review is due, checkpoint the "
            "audit chain and attest articles that have no attestation yet.")

    def handle(self, *args, **options):
        problem = key_check.problem()
        if problem:
            raise CommandError(problem)
        published = services.publish_due()
        flagged = services.flag_rereviews_due()
        checkpoint = checkpoints.checkpoint_now()
        attested = attestations.attest_missing()
        self.stdout.write(f"Published {len(published)} scheduled post(s); flagged {len(flagged)} re-review(s) due.")
        if checkpoint:
            self.stdout.write(f"Audit chain checkpointed at #{checkpoint['seq']} ({checkpoint['time']}).")
        if attested:
            self.stdout.write(f"Attested {len(attested)} article(s) published without an attestation.")
