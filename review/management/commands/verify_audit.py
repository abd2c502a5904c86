"""Check the audit trail's hash chain and that it reaches every checkpoint; exit 1 and say where it fails."""

from django.core.management.base import BaseCommand, CommandError

from review import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail against its own links and the signed checkpoints."

    def handle(self, *args, **options):
        result = audit.verify()
        verified = f"{result.count} events before it verified."
        if result.key_missing:
            raise CommandError(
                f"Audit trail cannot be verified from event #{result.broken_seq}: {result.problem}. {verified} "
                "Add that key to RECORD_KEYS (newest first) to check them."
            )
        if not result.ok and result.broken_seq is None:
            raise CommandError(f"Audit trail not verified: {result.problem}. {result.count} events verified.")
        if not result.ok:
            raise CommandError(f"Audit trail broken at event #{result.broken_seq}: {result.problem}. {verified}")
        self.stdout.write(f"Audit trail intact: {result.count} events verified.")
