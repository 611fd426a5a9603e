import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_price_random_reads_as_in_memory():
    # Without it the roster's tier counts and the reports read whole rows instead of their
    # covering indexes (crm/settings.py, docs/performance.md).
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
