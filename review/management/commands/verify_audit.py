"""Check the audit trail's hash chain and that it reaches every checkpoint; exit 1 and say where it fails."""

import os

from django.core.management.base import BaseCommand, CommandError

from review import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail against its own links and the signed checkpoints."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1,
            help="processes that walk a long chain in stretches at once (default: one per CPU); "
                 f"each takes at least {audit.MIN_STRETCH:,} events")

    def handle(self, *args, workers, **options):
        result = audit.verify(workers=max(1, workers))
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
