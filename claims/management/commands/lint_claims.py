"""`manage.py lint_claims [FILE ...|-]`: lint Markdown files or standard input with the claims linter.

Prints one JSON object per finding per line and exits 1 when any finding blocks, 0 otherwise,
2 when a file cannot be read.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from claims import linter


class Command(BaseCommand):
    help = (
        "Lint Markdown files (or standard input with '-' or no argument) for advertising claims. "
        "Prints one JSON object per finding; exits 1 if any finding has severity 'block'."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE", help="Markdown files; '-' or nothing reads standard input")

    def handle(self, *args, files, **options):
        files = files or ["-"]
        texts = [(name, self._read(name)) for name in files]  # every file is checked before any output
        rules = self._rules()
        several = len(files) > 1
        blocked = False
        for name, text in texts:
            for finding in linter.lint(text, rules):
                record = {k: getattr(finding, k) for k in ("rule", "severity", "text", "start", "end", "message")}
                if several:
                    record = {"file": name, **record}
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                blocked = blocked or finding.severity == "block"
        if blocked:
            sys.exit(1)

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{name}: no such file.", returncode=2)
        except IsADirectoryError:
            raise CommandError(f"{name}: is a directory, not a Markdown file.", returncode=2)
        except UnicodeDecodeError:
            raise CommandError(f"{name}: not UTF-8 text.", returncode=2)
        except OSError as exc:
            raise CommandError(f"{name}: cannot be read ({exc.strerror}).", returncode=2)

    def _rules(self):
        """The installation's rules; without a migrated database, the rules file and settings alone."""
        try:
            return linter.active_rules()
        except DatabaseError:
            self.stderr.write("lint_claims: database unavailable; admin rule overrides are not applied.")
            return linter.configured_rules()
        except linter.RuleError as exc:
            raise CommandError(str(exc), returncode=2)
