"""Load benchmark: gunicorn with the production settings on Postgres and Redis, wrk on the same
machine. Not a test and not run in CI; ``bench/load/run.sh`` is the entry point and
``docs/benchmarks.md`` ("Load") records its figures.

One run:

1. prints the machine (cores, memory, versions, load average);
2. drops and recreates the database of ``BENCH_DATABASE_URL``, migrates it, loads the demo
   data (``seed_demo``) and collects the static files;
3. starts a private Redis (``BENCH_REDIS_PORT``: Celery's broker in db 0, Django's cache and the
   rate-limit counters in db 1) and gunicorn with ``DJANGO_DEBUG=0`` and fresh random keys;
4. for each endpoint (a bare view ``/healthz``, the home page, a donation point's page, the
   donation POST of the API) runs wrk as fast as the server answers (saturation), then at half
   that rate at a constant pace, and prints requests per second, p50 and p99 latency, and the
   ratio of the saturation throughput to the bare view's;
5. confirms every donation the run created through the sandbox gateway's signed notification
   (over HTTP, the same path a real payment takes), and checks that nothing was lost: as many
   donations as 201 answers (the same codes, the same amounts), every one confirmed once, one
   ledger credit and one receipt each, and the fund's ledger balance grown by exactly the sum
   of the confirmed donations.

Exits non-zero when a check or a target fails.
"""

import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/station_bench"
)
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6390"))
PORT = int(os.environ.get("BENCH_PORT", "8077"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))  # seconds of sending per measurement
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
DRAIN = 5  # seconds after sending stops, for the last answers to arrive
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "16"))
GUNICORN_ARGS = shlex.split(
    os.environ.get(
        "BENCH_GUNICORN_ARGS", "--workers 4 --worker-class gthread --threads 2 --keep-alive 75"
    )
)
POST_RATE = "1000000/m"  # the per-IP limit on public POSTs, raised: all load comes from one IP
BASE = f"http://127.0.0.1:{PORT}"

TARGETS = {"point": 0.40, "donate": 0.15}  # share of the bare view's throughput
P99_LIMIT_MS = 300.0  # at half of saturation


def sh(command: str) -> str:
    try:
        return subprocess.run(
            command,
            shell=True,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "TZ": "UTC"},
        ).stdout.strip()
    except (subprocess.SubprocessError, OSError) as error:
        return f"({error})"


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def secret_keys() -> dict:
    """Fresh random keys; kept in var/ for BENCH_REUSE_DB=1 (re-runs on the same data)."""
    path = ROOT / "var" / "bench-keys.json"
    if os.environ.get("BENCH_REUSE_DB") == "1" and path.exists():
        return json.loads(path.read_text())
    keys = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(50),
        "SANDBOX_PAYMENT_SECRET": secrets.token_urlsafe(32),
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


def server_environment(run_id: str) -> dict:
    """Production settings: DEBUG off, strong random keys, Postgres, Redis, HTTPS via the
    proxy header, the public POST limit raised for the single load-generator address."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "DONATIONS_", "SANDBOX_", "FIELD_")
        )
    }
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        **secret_keys(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_BEHIND_PROXY": "1",  # wrk sends X-Forwarded-Proto: https like nginx would
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "media"),
        "REPORTS_FILES_DIR": str(VAR / "reports"),
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "DONATIONS_PUBLIC_POST_RATE": POST_RATE,
        "SITE_URL": BASE,
        "BENCH_RUN": run_id,
    }


def recreate_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU time of each process (all its threads) that still runs."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return times


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def backend_pids(database: str) -> set[int]:
    """Postgres backends serving the benchmark's database (gunicorn keeps its connections)."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return {row[0] for row in rows}


class CpuMeter:
    """CPU time the server side spends: gunicorn (master and workers), the Postgres backends
    of its connections, Redis. Other processes on the machine are not counted, so CPU per
    request does not depend on what else runs (unlike requests per second)."""

    def __init__(self, *, gunicorn: int, redis: int, database: str):
        self.gunicorn, self.redis, self.database = gunicorn, redis, database

    def start(self) -> None:
        self.groups = {
            "app": {self.gunicorn} | children(self.gunicorn),
            "postgres": backend_pids(self.database),
            "redis": {self.redis},
        }
        self.before = {name: cpu_seconds(pids) for name, pids in self.groups.items()}

    def stop(self) -> dict[str, float]:
        used = {}
        for name, pids in self.groups.items():
            after = cpu_seconds(pids)
            used[name] = sum(after[pid] - self.before[name].get(pid, 0) for pid in after)
        return used


def wrk(env: dict, *, name: str, mode: str, path: str, rate: float, seconds: int) -> dict:
    """One wrk run; ``rate`` 0 is as fast as the server answers."""
    wrk_env = {
        **env,
        "BENCH_MODE": mode,
        "BENCH_RATE": f"{rate:.3f}",
        "BENCH_THREADS": str(WRK_THREADS),
        "BENCH_SEND_FOR": str(seconds),
        "BENCH_OUT": str(VAR / f"codes-{name}"),
        "BENCH_PHASE": name,
    }
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds + DRAIN}s",
        "--timeout",
        "30s",
        "-s",
        str(HERE / "wrk.lua"),
        BASE + path,
    ]
    output = subprocess.run(command, env=wrk_env, capture_output=True, text=True, check=True)
    line = next(x for x in output.stdout.splitlines() if x.startswith("BENCH_RESULT "))
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["rps"] = result["requests"] / seconds
    # wrk's "status" errors (answers other than 2xx/3xx) are within unexpected_status
    errors = sum(v for k, v in result["errors"].items() if k != "status")
    errors += result["unexpected_status"]
    result["error_count"] = errors
    if result["error_count"]:
        print(f"    {name}: {result['errors']}, unexpected status {result['unexpected_status']}")
    return result


def main() -> int:  # noqa: C901, PLR0912, PLR0915 (one script, read top to bottom)
    run_id = secrets.token_hex(4)
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    env = server_environment(run_id)
    failures: list[str] = []

    banner("machine")
    print(f"date (UTC)      {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}")
    print(f"cores (nproc)   {sh('nproc')}")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    print(f"cpu             {cpu.strip()}")
    print("memory (free -g)\n" + sh("free -g"))
    print(f"kernel          {platform.release()}")
    print(f"python          {platform.python_version()}")
    versions = sh(
        f"{PYTHON} -c 'import django, gunicorn, psycopg; "
        'print("Django", django.get_version(), "gunicorn", gunicorn.__version__, '
        '"psycopg", psycopg.__version__)\''
    )
    print(f"packages        {versions}")
    print(f"redis           {sh('redis-server --version')}")
    print(f"wrk             {sh('wrk -v 2>&1 | head -1')}")
    load_before = sh("uptime")
    print(f"uptime before   {load_before}")
    print("busiest processes before the run (ps, %CPU since start):")
    print(sh("ps -eo pcpu,etime,comm --sort=-pcpu | head -6"))

    banner("data")
    if (
        subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
        ).stdout.strip()
        == "PONG"
    ):
        raise SystemExit(f"port {REDIS_PORT} already has a Redis: set BENCH_REDIS_PORT")
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
    )
    server = None
    try:
        if os.environ.get("BENCH_REUSE_DB") == "1":
            print("BENCH_REUSE_DB=1: the database of the previous run, as it is")
        else:
            print(f"recreating the database {urlsplit(DATABASE_URL).path.lstrip('/')}", flush=True)
            recreate_database()
            manage(env, "migrate", "--noinput", "--verbosity", "0")
            manage(env, "seed_demo", "--force")  # a throwaway database
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection
        from django.db.models import Sum

        from donations import selectors
        from donations.models import Donation, IdempotencyKey, Receipt
        from donations.payments.sandbox import SIGNATURE_HEADER, notification_body, sign
        from funds.models import Fund, LedgerEntry
        from funds.selectors import fund_balance

        point = next(
            p for p in selectors.public_points() if p.funds.filter(status=Fund.Status.ACTIVE)
        )
        fund = point.funds.filter(status=Fund.Status.ACTIVE).order_by("code").first()
        env.update(BENCH_POINT=point.code, BENCH_TARGET=f"f-{fund.code}")
        balance_before = fund_balance(fund)
        print(f"donation point  {point.code} ({point.name}), gifts to fund {fund.code}")
        print(f"fund balance    {balance_before} before the run")
        connection.close()

        banner("server")
        bind = ["--bind", f"127.0.0.1:{PORT}"]
        print("gunicorn config.wsgi " + " ".join(bind + GUNICORN_ARGS))
        print(
            "environment     DJANGO_DEBUG=0, random DJANGO_SECRET_KEY / FIELD_ENCRYPTION_KEY / "
            "SANDBOX_PAYMENT_SECRET, DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost, "
            "X-Forwarded-Proto: https from the client, DATABASE_CONN_MAX_AGE=60, "
            f"Redis cache and broker on port {REDIS_PORT}, "
            f"DONATIONS_PUBLIC_POST_RATE={POST_RATE} (raised: every request comes from one IP)"
        )
        print(
            f"wrk             -t{WRK_THREADS} -c{WRK_CONNECTIONS}, {DURATION} s per "
            f"measurement (+{DRAIN} s to drain), warm-up {WARMUP} s; no Celery worker runs: "
            "tasks wait in the broker"
        )
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", *bind, *GUNICORN_ARGS],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for(f"{BASE}/healthz")
        meter = CpuMeter(
            gunicorn=server.pid, redis=redis.pid, database=urlsplit(DATABASE_URL).path.lstrip("/")
        )
        queued_before = int(sh(f"redis-cli -p {REDIS_PORT} -n 0 llen celery") or 0)

        endpoints = [
            ("bare", "GET /healthz (bare Django view)", "get", "/healthz"),
            ("home", "GET / (home page)", "get", "/"),
            ("point", f"GET /d/{point.code}/ (donation page)", "get", f"/d/{point.code}/"),
            ("donate", "POST /api/v1/donations/", "donate", "/api/v1/donations/"),
        ]
        results: dict[str, dict] = {}
        created_answers = 0
        created_cents = 0

        banner("load")
        for key, label, mode, path in endpoints:
            warm = wrk(env, name=f"{key}-warm", mode=mode, path=path, rate=0, seconds=WARMUP)
            meter.start()
            saturated = wrk(env, name=f"{key}-sat", mode=mode, path=path, rate=0, seconds=DURATION)
            cpu = meter.stop()
            saturated["cpu_ms"] = {k: v * 1000 / saturated["requests"] for k, v in cpu.items()}
            saturated["cpu_ms_total"] = sum(saturated["cpu_ms"].values())
            half_rate = saturated["rps"] / 2
            half = wrk(env, name=f"{key}-half", mode=mode, path=path, rate=half_rate,
                       seconds=DURATION)  # fmt: skip
            for run in (warm, saturated, half):
                created_answers += run["created"]
                created_cents += run["created_cents"]
            results[key] = {"label": label, "saturated": saturated, "half": half}
            print(
                f"{label:<44} saturation {saturated['rps']:8.1f} req/s "
                f"p50 {saturated['p50_ms']:7.1f} ms p99 {saturated['p99_ms']:7.1f} ms | "
                f"at {half_rate:7.1f} req/s: {half['rps']:7.1f} req/s "
                f"p50 {half['p50_ms']:6.1f} ms p99 {half['p99_ms']:6.1f} ms | errors "
                f"{warm['error_count'] + saturated['error_count'] + half['error_count']}",
                flush=True,
            )
            print(f"    uptime: {sh('uptime')}", flush=True)

        bare_rps = results["bare"]["saturated"]["rps"]
        banner("summary")
        print(
            f"{'endpoint':<44} {'req/s':>8} {'ratio':>6} {'p50':>8} {'p99':>8} |"
            f" {'half-rate':>9} {'p50':>8} {'p99':>8} {'errors':>6}"
        )
        for key, row in results.items():
            s, h = row["saturated"], row["half"]
            row["ratio"] = s["rps"] / bare_rps
            print(
                f"{row['label']:<44} {s['rps']:8.1f} {row['ratio']:6.1%} {s['p50_ms']:6.1f}ms "
                f"{s['p99_ms']:6.1f}ms | {h['rps']:9.1f} {h['p50_ms']:6.1f}ms "
                f"{h['p99_ms']:6.1f}ms {s['error_count'] + h['error_count']:6d}"
            )
            if s["error_count"] or h["error_count"]:
                failures.append(f"{key}: {s['error_count'] + h['error_count']} errors")
            if h["p99_ms"] >= P99_LIMIT_MS:
                failures.append(f"{key}: p99 {h['p99_ms']:.1f} ms at half of saturation")
            if key in TARGETS and row["ratio"] < TARGETS[key]:
                failures.append(
                    f"{key}: {row['ratio']:.1%} of the bare view, target {TARGETS[key]:.0%}"
                )

        cores = os.cpu_count() or 1
        bare_cpu = results["bare"]["saturated"]["cpu_ms_total"]
        print(
            "\nserver CPU per request at saturation, in ms (gunicorn, the Postgres backends of "
            "its connections, Redis;\nother processes are not counted, so these ratios do not "
            "depend on what else runs on the machine)"
        )
        print(
            f"{'endpoint':<44} {'app':>7} {'postgres':>8} {'redis':>6} {'total':>7} "
            f"{'ratio':>6} {'cores used':>10} {f'req/s on {cores} free cores':>22}"
        )
        for key, row in results.items():
            s = row["saturated"]
            cpu, total = s["cpu_ms"], s["cpu_ms_total"]
            row["cpu_ratio"] = bare_cpu / total
            used = total * s["requests"] / 1000 / DURATION
            print(
                f"{row['label']:<44} {cpu['app']:7.2f} {cpu['postgres']:8.2f} "
                f"{cpu['redis']:6.2f} {total:7.2f} {row['cpu_ratio']:6.1%} {used:10.2f} "
                f"{cores * 1000 / total:22.0f}"
            )
            if key in TARGETS:
                verdict = "met" if row["cpu_ratio"] >= TARGETS[key] else "missed"
                print(f"    on server CPU the {TARGETS[key]:.0%} target is {verdict}")

        banner("nothing lost")
        answered_codes = set()
        for path in VAR.glob("codes-donate-*"):
            answered_codes.update(line.strip() for line in path.read_text().splitlines())
        marker = f"load-bench {run_id}"
        bench = Donation.objects.filter(message=marker)
        created = bench.count()
        created_sum = bench.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        db_codes = set(bench.values_list("code", flat=True))
        keys = IdempotencyKey.objects.filter(key__startswith=f"bench-{run_id}-")
        print(f"successful POSTs (201 answers)          {created_answers}")
        print(f"donations created                       {created}")
        print(f"  same codes as the 201 answers         {answered_codes == db_codes}")
        print(
            f"  sum answered / sum created            {Decimal(created_cents) / 100} / {created_sum}"
        )
        print(
            f"  idempotency keys done / still running {keys.filter(state='done').count()} / "
            f"{keys.filter(state='running').count()}"
        )
        if created != created_answers or answered_codes != db_codes:
            failures.append(f"{created} donations created for {created_answers} 201 answers")
        if Decimal(created_cents) / 100 != created_sum:
            failures.append("the amounts answered differ from the amounts saved")

        # Confirm each one as the gateway would: a signed server-to-server notification.
        secret = env["SANDBOX_PAYMENT_SECRET"]
        gifts = list(bench.values_list("code", "amount"))
        connection.close()

        def notify(gift) -> str:
            code, amount = gift
            body = notification_body(donation_code=code, amount=amount)
            request = urllib.request.Request(  # noqa: S310
                f"{BASE}/pay/sandbox/notify/",
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: sign(body, secret),
                    "X-Forwarded-Proto": "https",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    return json.loads(response.read()).get("result", "?")
            except urllib.error.HTTPError as error:
                return f"http {error.code}"

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(notify, gifts))
        elapsed = time.monotonic() - started
        confirmed_answers = outcomes.count("confirmed")
        print(
            f"sandbox notifications sent            {len(gifts)} in {elapsed:.1f} s "
            f"({len(gifts) / elapsed:.0f}/s, 8 client threads): {confirmed_answers} confirmed"
            + (
                f", other: {sorted(set(outcomes) - {'confirmed'})}"
                if confirmed_answers != len(gifts)
                else ""
            )
        )
        confirmed = bench.filter(status=Donation.Status.CONFIRMED)
        confirmed_count = confirmed.count()
        confirmed_sum = confirmed.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        ids = [str(pk) for pk in bench.values_list("pk", flat=True)]
        credits = LedgerEntry.objects.filter(
            source_type="donations.donation", source_id__in=ids, kind=LedgerEntry.Kind.DONATION
        )
        credit_count = credits.count()
        credit_sum = credits.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        receipts = Receipt.objects.filter(donation__message=marker)
        receipt_count = receipts.count()
        receipt_numbers = receipts.values("number").distinct().count()
        balance_after = fund_balance(fund)
        growth = balance_after - balance_before
        print(f"donations confirmed                     {confirmed_count} of {created}")
        print(f"sum of the confirmed donations          {confirmed_sum}")
        print(f"ledger credits for them (count / sum)   {credit_count} / {credit_sum}")
        print(
            f"fund {fund.code} ledger balance         {balance_before} -> {balance_after} (+{growth})"
        )
        print(f"receipts (distinct numbers)             {receipt_count} ({receipt_numbers})")
        if "redis" in settings.CELERY_BROKER_URL:
            queued = int(sh(f"redis-cli -p {REDIS_PORT} -n 0 llen celery") or 0) - queued_before
            print(f"tasks queued for a worker by the run      {queued} (receipt PDF, donor notice)")
        if confirmed_count != created or confirmed_answers != created:
            failures.append(f"{confirmed_count} of {created} donations confirmed")
        if not (credit_count == created and credit_sum == confirmed_sum == growth == created_sum):
            failures.append(
                f"ledger: {credit_count} credits, sum {credit_sum}, balance grew {growth}, "
                f"confirmed {confirmed_sum}"
            )
        if not (receipt_count == receipt_numbers == created):
            failures.append(f"{receipt_count} receipts ({receipt_numbers} numbers) for {created}")
        connection.close()

        (VAR / "results.json").write_text(
            json.dumps(
                {
                    "results": results,
                    "created": created,
                    "created_answers": created_answers,
                    "confirmed": confirmed_count,
                    "ledger_growth": str(growth),
                    "confirmed_sum": str(confirmed_sum),
                    "gunicorn": GUNICORN_ARGS,
                    "load_before": load_before,
                    "load_after": sh("uptime"),
                },
                indent=2,
            )
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=30)

    banner("result")
    print(f"uptime before   {load_before}")
    print(f"uptime after    {sh('uptime')}")
    if failures:
        for failure in failures:
            print(f"FAILED: {failure}")
        return 1
    print("all targets met, nothing lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
