"""Check the audit trail's hash chain; exit 1 and name the first broken event if it is not intact."""

from django.core.management.base import BaseCommand, CommandError

from review import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail."

    def handle(self, *args, **options):
        result = audit.verify()
        if result.key_missing:
            raise CommandError(
                f"Audit trail cannot be verified from event #{result.broken_seq}: {result.problem}. "
                f"{result.count} events before it verified. Add that key to RECORD_KEYS (newest first) to check them."
            )
        if not result.ok:
            raise CommandError(
                f"Audit trail broken at event #{result.broken_seq}: {result.problem}. "
                f"{result.count} events before it verified."
            )
        self.stdout.write(f"Audit trail intact: {result.count} events verified.")
