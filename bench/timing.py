"""Timing helpers shared by the page benchmarks (imported after django.setup())."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Rollback(Exception):
    """Raised at the end of a run to roll back its transaction."""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def time_requests(client, url, count):
    """Wall-clock times and this process's CPU times (Python's share, less sensitive to other
    work on a shared machine) of ``count`` GETs, in ms, after one warm-up request."""
    client.get(url)  # warm-up: templates, plan and buffer caches
    timings, cpu = [], []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings, cpu


def page_queries(client, url):
    """The SELECTs one GET of ``url`` runs (session and user lookups included)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def replay(statements, count):
    """Times in ms of running ``statements`` with a cursor, ``count`` times: the SQL alone."""
    timings = []
    with connection.cursor() as cursor:
        for _ in range(count):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            timings.append((time.perf_counter() - start) * 1000)
    return timings
