"""The PostgreSQL connection as the application opens it."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_postgres_connection_runs_without_jit():
    # JIT compiling made a queue page's query 100 ms slower at 10,000 posts (see README: Performance).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
