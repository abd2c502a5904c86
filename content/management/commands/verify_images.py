"""Re-read every stored picture and resized copy and compare its bytes with the hash recorded at upload."""

from django.core.management.base import BaseCommand, CommandError

from content import images
from content.models import Image


class Command(BaseCommand):
    help = "Check that every uploaded picture's stored bytes still match the SHA-256 that revisions sign."

    def handle(self, *args, **options):
        count = Image.objects.count()
        broken = images.verify_files()
        if broken:
            for line in broken:
                self.stderr.write(line)
            raise CommandError(f"{len(broken)} stored picture file(s) missing or changed.")
        self.stdout.write(f"Pictures intact: {count} picture(s) and their copies verified.")
