"""Reports at city scale: how long a district's monthly report and the committee dashboard take.

    .venv/bin/python bench/report_scale.py \\
        --database-url postgres://postgres@127.0.0.1:5432/shegong_scale_bench \\
        --small-database-url postgres://postgres@127.0.0.1:5432/shegong_scale_bench100k

Both databases are filled by ``manage.py seed_scale`` (1,000,000 and 100,000 donations). In one
run it prints, on the big database:

1. raw SQL: the GROUP BY queries over the raw tables (ledger, donations, projects, assistance,
   service records, assessments) that compute the district's monthly report figures;
2. the report's own computation (``station_monthly`` through its registry entry);
3. the whole report task (``reports.services.generate_report``: computation, PDF, XLSX, CSV);
4. the peak memory of the report task, measured in a fresh subprocess that runs only the task
   (``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the process's peak resident set, which
   includes Python and Django themselves; the baseline after start-up is printed beside it);

and on each database the committee dashboard's response time (Django test client, a
superuser, the city fund: the fund with the most donations). Each timing is the median of
``--repeat`` runs after one warm-up run; the first (cold) run is printed too.

The roll-ups are brought up to date first (their time is printed); this is what the beat
job does every minute. Nothing is timed in tests: these are benchmarks.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {
    "computation": "<= 1.5 x raw SQL",
    "task": "<= 3 x raw SQL + 2 s",
    "dashboard": "1M <= 1.2 x 100k",
    "memory": "< 300 MB",
}


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("REPORTS_FILES_DIR", tempfile.mkdtemp(prefix="bench-reports-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log, as in production
    if "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def timed(run, repeat: int) -> dict:
    """{cold, median, min} seconds of ``run()``: one cold run, then ``repeat`` more."""
    started = time.perf_counter()
    run()
    cold = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return {"cold": cold, "median": statistics.median(times), "min": min(times)}


def pick_district(code: str | None):
    from stations.models import Station

    districts = Station.objects.filter(level=Station.Level.DISTRICT).order_by("pk")
    if code:
        return Station.objects.get(code=code)
    return districts.first()


def pick_month(value: str | None):
    import datetime

    from django.utils import timezone

    from reports.periods import month

    if value:
        year, number = (int(x) for x in value.split("-"))
        return month(year, number)
    first = timezone.localdate().replace(day=1)
    previous = first - datetime.timedelta(days=1)
    return month(previous.year, previous.month)


# --- 1. Raw SQL --------------------------------------------------------------------------

RAW_QUERIES = {
    "ledger credits by kind, fund, campaign": """
        SELECT e.kind, e.fund_id, e.campaign_id,
               sum(e.amount) FILTER (WHERE e.posted_at >= %(m0)s AND e.posted_at < %(m1)s),
               sum(e.amount) FILTER (WHERE e.posted_at >= %(l0)s AND e.posted_at < %(l1)s),
               sum(e.amount) FILTER (WHERE e.posted_at >= %(y0)s AND e.posted_at < %(m1)s)
        FROM funds_ledgerentry e
        JOIN funds_fund f ON f.id = e.fund_id
        JOIN stations_station s ON s.id = f.station_id
        WHERE s.path LIKE %(path)s AND e.amount > 0
          AND e.posted_at >= %(from)s AND e.posted_at < %(m1)s
        GROUP BY GROUPING SETS ((e.kind), (e.fund_id), (e.campaign_id))
    """,
    "donations by channel": """
        SELECT d.channel,
               count(*) FILTER (WHERE d.confirmed_at >= %(m0)s AND d.confirmed_at < %(m1)s),
               sum(d.amount) FILTER (WHERE d.confirmed_at >= %(m0)s AND d.confirmed_at < %(m1)s),
               count(*) FILTER (WHERE d.confirmed_at >= %(l0)s AND d.confirmed_at < %(l1)s),
               sum(d.amount) FILTER (WHERE d.confirmed_at >= %(l0)s AND d.confirmed_at < %(l1)s),
               count(*) FILTER (WHERE d.confirmed_at >= %(y0)s AND d.confirmed_at < %(m1)s),
               sum(d.amount) FILTER (WHERE d.confirmed_at >= %(y0)s AND d.confirmed_at < %(m1)s)
        FROM donations_donation d
        JOIN funds_fund f ON f.id = d.fund_id
        JOIN stations_station s ON s.id = f.station_id
        WHERE s.path LIKE %(path)s AND d.status = 'confirmed'
          AND d.confirmed_at >= %(from)s AND d.confirmed_at < %(m1)s
        GROUP BY d.channel
    """,
    "projects": """
        SELECT count(*) FILTER (WHERE p.start_date BETWEEN %(d_m0)s AND %(d_m1)s),
               count(*) FILTER (WHERE p.start_date <= %(d_m1)s
                                AND (p.end_date IS NULL OR p.end_date >= %(d_m0)s)),
               count(*) FILTER (WHERE p.status IN ('closed', 'evaluated')
                                AND p.end_date BETWEEN %(d_m0)s AND %(d_m1)s)
        FROM projects_project p JOIN stations_station s ON s.id = p.station_id
        WHERE s.path LIKE %(path)s AND p.status IN ('active', 'closed', 'evaluated')
    """,
    "assistance": """
        SELECT count(DISTINCT a.beneficiary_id) FILTER (WHERE a.date BETWEEN %(d_m0)s AND %(d_m1)s),
               count(*) FILTER (WHERE a.date BETWEEN %(d_m0)s AND %(d_m1)s),
               count(DISTINCT a.beneficiary_id) FILTER (WHERE a.date BETWEEN %(d_y0)s AND %(d_m1)s)
        FROM projects_assistancerecord a
        JOIN projects_project p ON p.id = a.project_id
        JOIN stations_station s ON s.id = p.station_id
        WHERE s.path LIKE %(path)s
    """,
    "volunteer service": """
        SELECT count(DISTINCT r.volunteer_id) FILTER (WHERE r.started_at >= %(m0)s),
               sum(r.hours) FILTER (WHERE r.started_at >= %(m0)s),
               count(DISTINCT r.volunteer_id) FILTER (WHERE r.started_at >= %(l0)s
                                                      AND r.started_at < %(l1)s),
               sum(r.hours) FILTER (WHERE r.started_at >= %(l0)s AND r.started_at < %(l1)s),
               count(DISTINCT r.volunteer_id) FILTER (WHERE r.started_at >= %(y0)s),
               sum(r.hours) FILTER (WHERE r.started_at >= %(y0)s)
        FROM volunteers_servicerecord r JOIN stations_station s ON s.id = r.station_id
        WHERE s.path LIKE %(path)s AND r.status = 'verified'
          AND r.started_at >= %(from)s AND r.started_at < %(m1)s
    """,
    "needs assessments": """
        SELECT count(*) FILTER (WHERE n.date BETWEEN %(d_m0)s AND %(d_m1)s)
        FROM projects_needsassessment n JOIN stations_station s ON s.id = n.station_id
        WHERE s.path LIKE %(path)s AND n.date BETWEEN %(d_l0)s AND %(d_m1)s
    """,
}


def raw_sql(station, period) -> callable:
    from django.db import connection

    from reports.periods import same_period_last_year, year_to_date

    last, ytd = same_period_last_year(period), year_to_date(period)
    m0, m1 = period.bounds()
    l0, l1 = last.bounds()
    y0, _ = ytd.bounds()
    params = {
        "path": station.path + "%",
        "m0": m0, "m1": m1, "l0": l0, "l1": l1, "y0": y0, "from": min(l0, y0),
        "d_m0": period.start, "d_m1": period.end, "d_l0": last.start, "d_y0": ytd.start,
    }  # fmt: skip

    def run():
        with connection.cursor() as cursor:
            for sql in RAW_QUERIES.values():
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


# --- 2. and 3. The report ----------------------------------------------------------------


def computation(station, period) -> callable:
    from reports.registry import KindContext, get_kind

    def run():
        get_kind("station_monthly").build(
            KindContext(station=station, fund=None, period=period, progress=lambda p, s: None)
        )

    return run


def new_report(station, period):
    """A fresh queued report (the bench's earlier one for the same scope and period goes)."""
    from reports.models import Report

    scope_key = Report.scope_key_for(station_id=station.pk, fund_id=None)
    same = {"kind": "station_monthly", "scope_key": scope_key,
            "period_start": period.start, "period_end": period.end}  # fmt: skip
    Report.objects.filter(**same, published_at__isnull=True).delete()
    return Report.objects.create(station=station, **same)


def whole_task(station, period) -> callable:
    from reports.services import generate_report

    def run():
        report = new_report(station, period)
        done = generate_report(report_id=report.pk)
        assert done.status == "done", done.error

    return run


# --- 4. Dashboard ------------------------------------------------------------------------


def dashboard(repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from funds.models import Fund

    fund = Fund.objects.annotate(gifts=Count("donations")).order_by("-gifts", "pk").first()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    url = reverse("funds:dashboard", args=[fund.code])

    def run():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    result = timed(run, repeat)
    result["fund"] = fund.name
    result["fund_donations"] = fund.gifts
    return result


# --- Parts, each run in its own process --------------------------------------------------


def part_report(args) -> dict:
    setup(args.database_url)
    from django.db import connection

    from donations.models import Donation
    from reports.rollups import update_all

    started = time.perf_counter()
    rollup_timings = update_all()
    rollups = time.perf_counter() - started
    station = pick_district(args.station)
    period = pick_month(args.month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    return {
        "database": connection.settings_dict["NAME"],
        "postgres": version.split(",")[0],
        "donations": Donation.objects.count(),
        "station": f"{station.name} ({station.subtree().count()} stations)",
        "period": f"{period.start} .. {period.end}",
        "rollup_update_seconds": rollups,
        "rollup_update": rollup_timings,
        "raw_sql": timed(raw_sql(station, period), args.repeat),
        "computation": timed(computation(station, period), args.repeat),
        "task": timed(whole_task(station, period), args.repeat),
    }


def part_memory(args) -> dict:
    import resource

    setup(args.database_url)
    station = pick_district(args.station)
    period = pick_month(args.month)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    whole_task(station, period)()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"baseline_mb": baseline / 1024, "peak_mb": peak / 1024}


def part_dashboard(args) -> dict:
    setup(args.database_url)
    from donations.models import Donation
    from reports.rollups import update_all

    update_all()
    result = dashboard(args.repeat)
    result["donations"] = Donation.objects.count()
    return result


PARTS = {"report": part_report, "memory": part_memory, "dashboard": part_dashboard}


def run_part(part: str, database_url: str, args) -> dict:
    command = [sys.executable, __file__, "--part", part, "--database-url", database_url,
               "--repeat", str(args.repeat)]  # fmt: skip
    if args.station:
        command += ["--station", args.station]
    if args.month:
        command += ["--month", args.month]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    return json.loads(output.stdout.strip().splitlines()[-1])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--small-database-url", help="The 100,000-donation database.")
    parser.add_argument("--station", help="Station code (default: the first district).")
    parser.add_argument("--month", help="YYYY-MM (default: last month).")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    if args.part:
        print(json.dumps(PARTS[args.part](args), default=str))
        return

    report = run_part("report", args.database_url, args)
    memory = run_part("memory", args.database_url, args)
    big = run_part("dashboard", args.database_url, args)
    small = (
        run_part("dashboard", args.small_database_url, args) if args.small_database_url else None
    )

    raw, comp, task = (
        report["raw_sql"]["median"],
        report["computation"]["median"],
        report["task"]["median"],
    )
    print(
        f"database      {report['database']}: {report['donations']:,} donations, {report['postgres']}"
    )
    print(f"report        {report['station']}, {report['period']}")
    print(
        f"roll-ups      brought up to date in {report['rollup_update_seconds']:.2f} s {report['rollup_update']}"
    )
    print(f"repeat        median of {args.repeat} runs after a cold one (cold in brackets)")
    print(f"raw SQL       {ms(raw)}  ({ms(report['raw_sql']['cold'])})")
    print(
        f"computation   {ms(comp)}  ({ms(report['computation']['cold'])})   "
        f"= {comp / raw:.2f} x raw SQL   target {TARGETS['computation']}: "
        f"{'met' if comp <= 1.5 * raw else 'MISSED'}"
    )
    print(
        f"whole task    {ms(task)}  ({ms(report['task']['cold'])})   "
        f"limit 3 x raw + 2 s = {ms(3 * raw + 2)}: {'met' if task <= 3 * raw + 2 else 'MISSED'}"
    )
    print(
        f"task memory   peak {memory['peak_mb']:.0f} MB (ru_maxrss; {memory['baseline_mb']:.0f} MB "
        f"after start-up)   target {TARGETS['memory']}: "
        f"{'met' if memory['peak_mb'] < 300 else 'MISSED'}"
    )
    print(
        f"dashboard     {big['donations']:,} donations: {ms(big['median'])}  ({ms(big['cold'])})"
        f"  fund {big['fund']} with {big['fund_donations']:,} donations"
    )
    if small:
        print(
            f"dashboard     {small['donations']:,} donations: {ms(small['median'])}  "
            f"({ms(small['cold'])})  fund {small['fund']} with {small['fund_donations']:,} donations"
        )
        ratio = big["median"] / small["median"]
        print(f"dashboard     ratio {ratio:.2f}   target {TARGETS['dashboard']}: "
              f"{'met' if ratio <= 1.2 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
