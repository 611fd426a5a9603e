"""Load test: a real gunicorn on loopback, driven by logged-in clients for a bounded time.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/load.py [--workers 3] [--clients 6] [--seconds 15] [--hostile 3]

Starts `gunicorn crm.wsgi` (sync workers, DEBUG off, loopback only) on the seeded database,
logs each client in as the seed's marketer through the login form, then drives one page at a
time for --seconds with --clients concurrent clients (separate processes, one keep-alive
connection each) and prints requests/s, p50/p99 and the non-2xx count per page:

- `/tiers.css`, a trivial page (the baseline for the same run);
- the login page, anonymous;
- the roster, page 1 filtered Micro + Beauty;
- a partnership's page;
- the tier comparison, unfiltered;
- a roster import: upload a 50-row CSV and open its preview (no confirm: the database is left
  as it was; the confirm is measured by bench/roster_import.py).

With --hostile N, N more processes upload hostile files back to back for the whole run (the
100,000-column header, the XLSX with 20 million shared strings, the XLSX with a 400 MB inline
string, in turn), as a marketer would to stall the app; every page is measured beside them.
The hostile uploads' own count and statuses are printed too. Nothing listens beyond 127.0.0.1.
"""

import argparse
import io
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "marketer", "demo-pass-2026"  # made by seed_demo

SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    # The bench logs in many clients from one address; the lockout counts failures only.
    "LOG_LEVEL": "ERROR",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port, workers, database_url, app_dir=ROOT):
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "crm.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=app_dir, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def logged_in_session(base):
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": USERNAME,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"log-in as {USERNAME} failed ({response.status_code}): run seed_demo")
    return session


def roster_csv(rows=50):
    lines = ["name,email,country,niches,platform_1,handle_1,followers_1"]
    for n in range(rows):
        lines.append(f"Load Bench {n},load{n}@example.com,DE,Beauty,instagram,loadbench{n},{n}")
    return "\n".join(lines).encode()


def hostile_files():
    """The three uploads of issue #16: (filename, bytes, content type)."""
    header = ",".join(["name"] * 100_000).encode() + b"\nx\n"
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [
        ("header.csv", header, "text/csv"),
        ("strings.xlsx", xlsx(shared_strings=20_000_000), xlsx_type),
        ("inline.xlsx", xlsx(inline_bytes=400 * 1024 * 1024), xlsx_type),
    ]


def xlsx(*, shared_strings=0, inline_bytes=0):
    """A small zip that expands to a huge workbook (written in pieces: never held whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="Roster" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            + (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                if shared_strings
                else ""
            )
            + "</Relationships>",
        )
        main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet {main}><sheetData>'.encode())
            sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>')
            if inline_bytes:
                sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
                chunk = b"a" * (1024 * 1024)
                for _ in range(inline_bytes // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")
        if shared_strings:
            with book.open("xl/sharedStrings.xml", "w") as strings:
                strings.write(f'<?xml version="1.0"?><sst {main}>'.encode())
                block = b"<si><t>x</t></si>" * 10_000
                for _ in range(shared_strings // 10_000):
                    strings.write(block)
                strings.write(b"</sst>")
    return buffer.getvalue()


def page_targets(base, database_url):
    """The pages to drive: (label, callable(session) -> response), read from the database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    for key, value in SERVER_ENV.items():
        os.environ.setdefault(key, value)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from influencers.models import Niche, Tier
    from partnerships.models import Partnership

    micro = Tier.objects.get(name="Micro").pk
    beauty = Niche.objects.get(name="Beauty").pk
    partnership = Partnership.objects.filter(status="active").order_by("pk").first().pk
    return [
        ("trivial page /tiers.css", "get", f"{base}/tiers.css", True),
        ("login page (anonymous)", "get", f"{base}/accounts/login/", False),
        (
            "roster p1, Micro + Beauty",
            "get",
            f"{base}/influencers/?tier={micro}&niche={beauty}",
            True,
        ),
        ("partnership detail", "get", f"{base}/partnerships/{partnership}/", True),
        ("tier comparison", "get", f"{base}/reports/tiers/", True),
        ("import: upload + preview", "import", f"{base}/influencers/import/", True),
    ]


def drive(args):
    """One client process: log in, then hit ``url`` for ``seconds``; return the latencies, the
    number of failed requests and the time it ran."""
    base, kind, url, logged_in, seconds = args
    session = logged_in_session(base) if logged_in else requests.Session()
    latencies, bad = [], 0
    payload = roster_csv()
    started_at = time.perf_counter()
    until = time.time() + seconds
    while time.time() < until:
        started = time.perf_counter()
        if kind == "get":
            response = session.get(url, timeout=60)
            ok = response.status_code == 200
        else:
            token = session.cookies.get("csrftoken") or session.get(url, timeout=60).cookies.get(
                "csrftoken"
            )
            response = session.post(
                url,
                data={"csrfmiddlewaretoken": token},
                files={"file": ("load.csv", payload, "text/csv")},
                headers={"Referer": url},
                timeout=60,
            )
            ok = response.status_code == 200 and response.url.endswith("/preview/")
        latencies.append(time.perf_counter() - started)
        bad += not ok
    return latencies, bad, time.perf_counter() - started_at


HOSTILE_FILES = []  # built once before the client processes fork


def hostile(args):
    """One hostile process: upload the hostile files in turn until ``until``."""
    base, until, offset = args
    session = logged_in_session(base)
    url = f"{base}/influencers/import/"
    files = HOSTILE_FILES
    statuses, n = {}, offset
    while time.time() < until:
        name, data, content_type = files[n % len(files)]
        n += 1
        token = session.cookies.get("csrftoken") or session.get(url).cookies["csrftoken"]
        try:
            response = session.post(
                url,
                data={"csrfmiddlewaretoken": token},
                files={"file": (name, data, content_type)},
                headers={"Referer": url},
                timeout=120,
            )
            refused = response.status_code == 200 and "preview" not in response.url
            key = f"{name}: {response.status_code}{' refused' if refused else ''}"
        except requests.RequestException as error:
            key = f"{name}: {type(error).__name__}"
        statuses[key] = statuses.get(key, 0) + 1
    return statuses


def wrk(base, url, logged_in, seconds, connections):
    """(req/s, p50 ms, p99 ms, non-2xx, requests) of ``url`` from wrk (C, two threads): a client
    far lighter than Python's, for the pages' own throughput. Logged in with one session."""
    headers = []
    if logged_in:
        session = logged_in_session(base)
        cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
        headers = ["-H", f"Cookie: {cookie}"]
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", *headers, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603

    def latency_ms(label):
        value = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        number, unit = float(value.group(1)), value.group(2)
        return number * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency_ms("50"), latency_ms("99"), int(bad.group(1)) if bad else 0, count


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients per page")
    parser.add_argument("--seconds", type=float, default=15, help="time per page")
    parser.add_argument("--hostile", type=int, default=0, help="hostile uploaders in flight")
    parser.add_argument("--only", help="drive only the pages whose label contains this")
    parser.add_argument(
        "--wrk",
        action="store_true",
        help="drive the GET pages with wrk (--clients connections) instead of Python clients",
    )
    parser.add_argument(
        "--app-dir",
        default=str(ROOT),
        help="the checkout gunicorn serves (e.g. a worktree of an older commit, same database)",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url or not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    targets = page_targets(base, database_url)
    if args.only:
        targets = [t for t in targets if re.search(args.only, t[0], re.I)]
    if args.hostile:
        HOSTILE_FILES.extend(hostile_files())
    server = start_gunicorn(port, args.workers, database_url, app_dir=args.app_dir)
    total = len(targets) * (args.seconds + 3) + 5
    rows, hostile_results = [], []
    try:
        with multiprocessing.Pool(args.clients + args.hostile) as pool:
            hostile_end = time.time() + total
            pending = (
                pool.map_async(hostile, [(base, hostile_end, n) for n in range(args.hostile)])
                if args.hostile
                else None
            )
            if args.hostile:
                time.sleep(3)  # the uploads are in flight before the first page is measured
            for label, kind, url, logged_in in targets:
                if args.wrk and kind == "get":
                    rows.append((label, *wrk(base, url, logged_in, args.seconds, args.clients)))
                    continue
                work = [(base, kind, url, logged_in, args.seconds)] * args.clients
                results = pool.map(drive, work)
                latencies = [value for values, _, _ in results for value in values]
                bad = sum(count for _, count, _ in results)
                rate = sum(len(values) / ran for values, _, ran in results)
                rows.append(
                    (
                        label,
                        rate,
                        statistics.median(latencies) * 1000,
                        percentile(latencies, 0.99) * 1000,
                        bad,
                        len(latencies),
                    )
                )
            if pending:
                hostile_results = pending.get()
    finally:
        stop(server)

    print(
        f"\ngunicorn {args.workers} sync workers ({args.app_dir}), {args.clients} "
        f"{'wrk connections' if args.wrk else 'clients'}, {args.seconds:g} s per page, "
        f"{args.hostile} hostile uploader(s) in flight, {os.cpu_count()} cores\n"
    )
    print("| page | req/s | p50 ms | p99 ms | non-2xx | requests |")
    print("|---|---|---|---|---|---|")
    for label, rate, p50, p99, bad, count in rows:
        print(f"| {label} | {rate:.1f} | {p50:.1f} | {p99:.1f} | {bad} | {count} |")
    if hostile_results:
        merged = {}
        for statuses in hostile_results:
            for key, count in statuses.items():
                merged[key] = merged.get(key, 0) + count
        print("\nhostile uploads: " + ", ".join(f"{k} x{v}" for k, v in sorted(merged.items())))


if __name__ == "__main__":
    main()
