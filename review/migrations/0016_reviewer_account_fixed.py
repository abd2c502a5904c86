"""The database, too, refuses to move a reviewer profile that has signed to another account (review.identity):
a trigger, for whoever writes to it without the application. SQLite rebuilds a table for many schema changes and
drops its triggers then: tests/review/test_identity.py checks that this one is still there."""

from django.db import migrations

MESSAGE = "a reviewer profile that has signed keeps its account"

SQLITE = [
    f"""CREATE TRIGGER review_reviewer_account_fixed BEFORE UPDATE OF user_id ON review_reviewerprofile
        FOR EACH ROW WHEN NEW.user_id <> OLD.user_id
                      AND EXISTS (SELECT 1 FROM review_signature WHERE reviewer_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS review_reviewer_account_fixed"]

POSTGRESQL = [
    f"""CREATE FUNCTION review_reviewer_account_fixed() RETURNS trigger AS $$
        BEGIN
            IF NEW.user_id <> OLD.user_id
               AND EXISTS (SELECT 1 FROM review_signature WHERE reviewer_id = OLD.id) THEN
                RAISE EXCEPTION '{MESSAGE}';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER review_reviewer_account_fixed BEFORE UPDATE OF user_id ON review_reviewerprofile
        FOR EACH ROW EXECUTE FUNCTION review_reviewer_account_fixed()""",
]
POSTGRESQL_REVERSE = ["DROP TRIGGER IF EXISTS review_reviewer_account_fixed ON review_reviewerprofile",
                      "DROP FUNCTION IF EXISTS review_reviewer_account_fixed()"]


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0015_publication_records"),
    ]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})),
    ]
