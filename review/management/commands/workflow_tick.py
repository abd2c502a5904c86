"""Scheduled work by hand: what the background worker runs each minute (review.services.scheduler.tick). Safe to
run beside the workers, or from cron on many machines."""

from django.core.management.base import BaseCommand, CommandError

from review.services import scheduler


class Command(BaseCommand):
    help = ("Publish scheduled posts whose time has come, flag published posts whose review is due, send the "
            "reviewers' daily digests, checkpoint the audit chain and attest articles that have no attestation yet.")

    def handle(self, *args, **options):
        try:
            done = scheduler.tick()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Published {len(done['published'])} scheduled post(s); "
                          f"flagged {len(done['flagged'])} re-review(s) due.")
        if done["digests"]:
            self.stdout.write(f"Sent {len(done['digests'])} reviewer digest(s).")
        if done["checkpoint"]:
            self.stdout.write(f"Audit chain checkpointed at #{done['checkpoint']['seq']} ({done['checkpoint']['time']}).")
        if done["attested"]:
            self.stdout.write(f"Attested {len(done['attested'])} article(s) published without an attestation.")
