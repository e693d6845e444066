"""Fill a Postgres database with a city's worth of data, for benchmarks (``bench/``).

    python manage.py seed_scale                      # ~3,200 stations, 1M donations, ...
    python manage.py seed_scale --donations 100000   # smaller
    python manage.py seed_scale --communities 30 --streets 3 --districts 1 --donations 500 \
        --volunteers 50 --service-records 300        # tiny, for tests

The rows are generated inside Postgres (``INSERT ... SELECT FROM generate_series``) with a
fixed random seed, so two runs with the same options make the same rows, dated back from the
moment of the run. Triggers are off during the load (``session_replication_role = replica``;
the foreign keys are right by construction); the plain indexes of the big tables and the
exclusion constraint on service records are dropped during the load and built (and checked)
after it, all in one transaction; then the monthly roll-ups are rebuilt in one pass.

A database that holds data not made by this command is refused unless ``--force`` is given.
Running again on a database seeded by this command (or with ``--force``) empties the tables
it fills and everything that refers to them (``TRUNCATE ... CASCADE``), then seeds again:
the result is the same as on an empty database.
"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.append_only import ALLOW

MARKER_CREDIT_CODE = "91440100SEEDSCALE0"
CHANNELS = [
    # (channel, provider, weight)
    ("online_sandbox", "sandbox", 45),
    ("wechat_transfer", "offline", 20),
    ("cash", "offline", 15),
    ("bank_transfer", "offline", 10),
    ("alipay_transfer", "offline", 5),
    ("box", "offline", 5),
]
# Every table the command fills; TRUNCATE ... CASCADE also empties what refers to them.
TABLES = [
    "stations_station",
    "funds_hostcharity",
    "funds_fund",
    "funds_campaign",
    "funds_campaignshare",
    "funds_ledgerentry",
    "funds_attribution",
    "funds_ledgermonth",
    "funds_hostledgermonth",
    "funds_rollupcursor",
    "projects_project",
    "donations_donation",
    "volunteers_volunteer",
    "volunteers_servicerecord",
    "reports_figurechange",
    "reports_donationmonth",
    "reports_servicemonth",
]
# The big tables: their plain indexes are dropped during the load and built after it.
BULK_TABLES = [
    "donations_donation",
    "funds_ledgerentry",
    "funds_attribution",
    "volunteers_volunteer",
    "volunteers_servicerecord",
]
CHECKED = ["stations_station", "funds_fund", "donations_donation", "volunteers_volunteer"]


class Command(BaseCommand):
    help = "Fill the database with a city: stations, funds, donations, ledger, volunteers."

    def add_arguments(self, parser):
        parser.add_argument("--districts", type=int, default=11)
        parser.add_argument("--streets", type=int, default=176)
        parser.add_argument("--communities", type=int, default=3000)
        parser.add_argument("--donations", type=int, default=1_000_000)
        parser.add_argument("--volunteers", type=int, default=100_000)
        parser.add_argument("--service-records", type=int, default=1_000_000)
        parser.add_argument("--years", type=int, default=3, help="Span of the data, to today.")
        parser.add_argument("--refund-rate", type=float, default=0.02)
        parser.add_argument(
            "--city-fund-share",
            type=float,
            default=0.10,
            help="Share of the donations that go to the city-wide fund (its dashboard is "
            "the benchmark's busiest).",
        )
        parser.add_argument("--seed", type=float, default=0.42, help="Random seed (-1..1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the tables even if they hold data not made by this command.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL.")
        if options["communities"] < options["streets"] or options["streets"] < options["districts"]:
            raise CommandError("Need districts <= streets <= communities.")
        self.started = time.monotonic()
        self.options = options
        self._check_database(force=options["force"])
        with transaction.atomic():
            self._step("empty the tables", self._truncate)
            with connection.cursor() as db:
                db.execute("SET LOCAL session_replication_role = replica")
                db.execute("SET LOCAL maintenance_work_mem = '512MB'")  # index builds
                db.execute("SELECT setseed(%s)", [options["seed"]])
            self._step("drop secondary indexes and exclusions", self._drop_indexes)
            self._step("stations and funds", self._stations_and_funds)
            self._step("campaigns and projects", self._campaigns_and_projects)
            self._step(f"{options['donations']:,} donations", self._donations)
            self._step("analyze", lambda: self._exec("ANALYZE donations_donation"))
            self._step("ledger entries", self._ledger)
            self._step(f"{options['volunteers']:,} volunteers", self._volunteers)
            self._step(f"{options['service_records']:,} service records", self._service_records)
            self._step("sequences", self._sequences)
            self._step("rebuild secondary indexes and check exclusions", self._create_indexes)
            with connection.cursor() as db:  # triggers back on (when run inside a transaction)
                db.execute("SET LOCAL session_replication_role = origin")
        self._step("analyze", lambda: self._exec("ANALYZE"))
        from reports.rollups import rebuild_all

        self._step("monthly roll-ups", rebuild_all)
        self._step("analyze roll-ups", lambda: self._exec(
            "ANALYZE funds_ledgermonth, funds_hostledgermonth, reports_donationmonth, "
            "reports_servicemonth"
        ))  # fmt: skip
        counts = self._counts()
        self.stdout.write(
            "done in {:.1f} s: {}".format(
                time.monotonic() - self.started,
                ", ".join(f"{table} {n:,}" for table, n in counts.items()),
            )
        )

    # --- steps ---

    def _exec(self, sql: str, params=None):
        with connection.cursor() as db:
            db.execute(sql, params)
            return db.fetchall() if db.description else None

    def _step(self, label: str, run):
        started = time.monotonic()
        self.stdout.write(f"{label} ...", ending="")
        self.stdout.flush()
        run()
        self.stdout.write(
            f" {time.monotonic() - started:.1f} s (total {time.monotonic() - self.started:.1f} s)"
        )

    def _check_database(self, *, force: bool):
        seeded = self._exec(
            "SELECT count(*) FROM funds_hostcharity WHERE credit_code = %s", [MARKER_CREDIT_CODE]
        )[0][0]
        holding = [
            table
            for table in CHECKED
            if self._exec(f"SELECT EXISTS (SELECT 1 FROM {table})")[0][0]  # noqa: S608
        ]
        if holding and not seeded and not force:
            raise CommandError(
                "This database already holds data ({}) not made by seed_scale; it would be "
                "deleted. Use a separate database, or --force to empty it.".format(
                    ", ".join(holding)
                )
            )
        if holding:
            self.stdout.write(
                "emptying data from an earlier run"
                if seeded
                else "emptying existing data (--force)"
            )

    def _truncate(self):
        # The ledger, receipts and reports refuse TRUNCATE (core/append_only.py) unless the
        # transaction says it means it: this one empties only what an earlier run (or --force)
        # put there.
        self._exec(ALLOW)
        self._exec(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")

    def _drop_indexes(self):
        """Plain (non-unique) indexes of the big tables are built once after the load, which
        is much faster than keeping them up to date row by row."""
        rows = self._exec(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND i.indexdef NOT LIKE 'CREATE UNIQUE INDEX%%'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [BULK_TABLES],
        )
        self.indexes = [definition for _name, definition in rows]
        for name, _definition in rows:
            self._exec(f'DROP INDEX "{name}"')
        # Exclusion constraints (no overlapping service records) are checked once, in bulk,
        # when they are added back after the load.
        self.exclusions = self._exec(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'x' AND conrelid::regclass::text = ANY(%s)
            """,
            [BULK_TABLES],
        )
        for table, name, _definition in self.exclusions:
            self._exec(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

    def _create_indexes(self):
        for definition in self.indexes:
            self._exec(definition)
        for table, name, definition in self.exclusions:
            self._exec(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def _stations_and_funds(self):
        o = self.options
        now = timezone.now()
        rows = [(1, "城市（测试）", "city", None, "/1/", 0)]
        districts, streets, communities = [], [], []
        next_id = 2
        for d in range(o["districts"]):
            rows.append((next_id, f"第{d + 1}区", "district", 1, f"/1/{next_id}/", 1))
            districts.append(next_id)
            next_id += 1
        for s in range(o["streets"]):
            parent = districts[s % len(districts)]
            rows.append((next_id, f"第{s + 1}街道", "street", parent, f"/1/{parent}/{next_id}/", 2))
            streets.append((next_id, f"/1/{parent}/{next_id}/"))
            next_id += 1
        for c in range(o["communities"]):
            parent, parent_path = streets[c % len(streets)]
            rows.append(
                (next_id, f"第{c + 1}社区", "community", parent, f"{parent_path}{next_id}/", 3)
            )
            communities.append(next_id)
            next_id += 1
        with connection.cursor() as db:
            with db.copy(
                "COPY stations_station (id, name, level, parent_id, path, depth, code, "
                "division_code, address, contact_phone, offers_donation_point, "
                "offers_volunteer_service, offers_assistance, is_active, created_at) FROM STDIN"
            ) as copy:
                for pk, name, level, parent, path, depth in rows:
                    copy.write_row(
                        (pk, name, level, parent, path, depth, f"st{pk}", "", "", "",
                         True, True, True, True, now)
                    )  # fmt: skip
            db.execute(
                "INSERT INTO funds_hostcharity (name, credit_code, kind, "
                "has_public_fundraising_qualification, receipt_prefix, contact_name, "
                "contact_phone, address) VALUES ('城市慈善会（测试数据）', %s, "
                "'social_organization', true, 'CS', '', '', '') RETURNING id",
                [MARKER_CREDIT_CODE],
            )
            host = db.fetchone()[0]
            db.execute(
                """
                INSERT INTO funds_fund (name, code, purpose, agreement_file, status,
                    receipt_series_prefix, min_voting_members, require_odd_voting_members,
                    require_supervisor, quorum_numerator, quorum_denominator, created_at,
                    station_id, host_id, founded_on)
                SELECT name || '社区基金', 'fund' || id, '', '', 'active', '', 5, true, true, 2, 3,
                       %s, id, %s, %s
                FROM stations_station ORDER BY id
                """,
                [now, host, (now - datetime.timedelta(days=365 * o["years"] + 30)).date()],
            )
        self.host = host
        self.communities = communities

    def _campaigns_and_projects(self):
        today = timezone.localdate()
        start = today - datetime.timedelta(days=365 * self.options["years"])
        from projects.models import Project

        category = Project._meta.get_field("category").choices[0][0]
        with connection.cursor() as db:
            # One campaign per street fund, running over the whole span, 100% to that fund.
            db.execute(
                """
                INSERT INTO funds_campaign (code, title, description, goal, starts_on, ends_on,
                    filing_number, status, created_at, lead_fund_id, host_id)
                SELECT 'camp' || f.id, s.name || '邻里互助募捐', '', 1000000, %s, %s,
                       'BA' || f.id, 'public', now(), f.id, f.host_id
                FROM funds_fund f JOIN stations_station s ON s.id = f.station_id
                WHERE s.level = 'street' ORDER BY f.id
                """,
                [start, today + datetime.timedelta(days=365)],
            )
            db.execute(
                "INSERT INTO funds_campaignshare (percent, campaign_id, fund_id) "
                "SELECT 100, id, lead_fund_id FROM funds_campaign"
            )
            # One active project at every tenth community, restricted gifts go to it.
            db.execute(
                """
                INSERT INTO projects_project (code, title, kind, category, summary, status,
                    fundraising_goal, start_date, created_at, updated_at, station_id, objectives,
                    target_group)
                SELECT 'proj' || s.id, s.name || '关爱长者项目', 'development', %s, '', 'active',
                       50000, %s, now(), now(), s.id, '', ''
                FROM stations_station s WHERE s.level = 'community' AND s.id %% 10 = 0
                ORDER BY s.id
                """,
                [category, start],
            )

    def _donations(self):
        o = self.options
        channels = [c for c, _provider, weight in CHANNELS for _ in range(weight)]
        providers = {c: p for c, p, _w in CHANNELS}
        fund_rows = self._exec(
            "SELECT f.id, s.level FROM funds_fund f JOIN stations_station s ON s.id = f.station_id "
            "ORDER BY f.id"
        )
        city_fund = next(pk for pk, level in fund_rows if level == "city")
        other_funds = [pk for pk, level in fund_rows if level != "city"]
        campaigns = self._exec("SELECT id, lead_fund_id FROM funds_campaign ORDER BY id")
        projects = self._exec(
            "SELECT p.id, f.id FROM projects_project p JOIN funds_fund f "
            "ON f.station_id = p.station_id ORDER BY p.id"
        )
        now = timezone.now()
        span_seconds = 365 * o["years"] * 86400
        self._exec(
            """
            INSERT INTO donations_donation (code, reference, amount, provider, channel, status,
                donor_name, is_anonymous, mobile, message, receipt_wanted, payment_reference,
                provider_data, flag_reason, refund_reason, created_at, confirmed_at,
                refunded_at, fund_id, campaign_id, project_id)
            SELECT 'SC' || lpad(g::text, 12, '0'), 'R' || g,
                   round((10 + 990 * power(r_amount, 3))::numeric, 0) + (g %% 100) / 100.0,
                   CASE WHEN channel = 'online_sandbox' THEN 'sandbox' ELSE 'offline' END,
                   channel,
                   CASE WHEN r_refund < %(refund_rate)s THEN 'refunded' ELSE 'confirmed' END,
                   '', true, '', '', true, '', '{}'::jsonb, '',
                   CASE WHEN r_refund < %(refund_rate)s THEN '捐赠人申请退款' ELSE '' END,
                   confirmed_at, confirmed_at,
                   CASE WHEN r_refund < %(refund_rate)s
                        THEN least(confirmed_at + r_amount * interval '20 days', %(now)s) END,
                   CASE WHEN r_target < %(city_share)s THEN %(city_fund)s
                        WHEN r_target < %(city_share)s + 0.10 THEN campaign_fund
                        WHEN r_target < %(city_share)s + 0.15 THEN project_fund
                        ELSE other_fund END,
                   CASE WHEN r_target >= %(city_share)s AND r_target < %(city_share)s + 0.10
                        THEN campaign END,
                   CASE WHEN r_target >= %(city_share)s + 0.10
                             AND r_target < %(city_share)s + 0.15 THEN project END
            FROM (
                SELECT g, r_amount, r_refund, r_target,
                       (%(channels)s::text[])[1 + floor(r_channel * %(n_channels)s)::int] AS channel,
                       %(now)s - (r_time * %(span)s) * interval '1 second' AS confirmed_at,
                       (%(funds)s::bigint[])[1 + floor(r_fund * %(n_funds)s)::int] AS other_fund,
                       (%(campaigns)s::bigint[])[1 + floor(r_fund * %(n_campaigns)s)::int]
                           AS campaign,
                       (%(campaign_funds)s::bigint[])[1 + floor(r_fund * %(n_campaigns)s)::int]
                           AS campaign_fund,
                       (%(projects)s::bigint[])[1 + floor(r_fund * %(n_projects)s)::int]
                           AS project,
                       (%(project_funds)s::bigint[])[1 + floor(r_fund * %(n_projects)s)::int]
                           AS project_fund
                FROM (
                    SELECT g, random() AS r_amount, random() AS r_refund, random() AS r_target,
                           random() AS r_channel, random() AS r_time, random() AS r_fund
                    FROM generate_series(1, %(n)s) AS g
                ) randoms
            ) picked
            ORDER BY confirmed_at
            """,
            {
                "n": o["donations"],
                "refund_rate": o["refund_rate"],
                "city_share": o["city_fund_share"],
                "city_fund": city_fund,
                "channels": channels,
                "n_channels": len(channels),
                "funds": other_funds,
                "n_funds": len(other_funds),
                "campaigns": [c for c, _f in campaigns] or [None],
                "campaign_funds": [f for _c, f in campaigns] or [city_fund],
                "n_campaigns": max(len(campaigns), 1),
                "projects": [p for p, _f in projects] or [None],
                "project_funds": [f for _p, f in projects] or [city_fund],
                "n_projects": max(len(projects), 1),
                "now": now,
                "span": span_seconds,
            },
        )
        assert providers  # the provider follows the channel (sandbox only online)

    def _ledger(self):
        with connection.cursor() as db:
            db.execute(
                """
                INSERT INTO funds_ledgerentry (amount, kind, source_type, source_id,
                    source_part, public_name, memo, posted_at, created_at, campaign_id,
                    fund_id, project_id)
                SELECT amount, 'donation', 'donations.donation', id::text, 0, '爱心人士',
                       '捐赠 ' || reference, confirmed_at, confirmed_at, campaign_id, fund_id,
                       project_id
                FROM donations_donation ORDER BY confirmed_at, id
                """
            )
            db.execute("ANALYZE funds_ledgerentry")
            db.execute(
                """
                INSERT INTO funds_ledgerentry (amount, kind, source_type, source_id,
                    source_part, public_name, memo, posted_at, created_at, campaign_id,
                    fund_id, project_id, reverses_id)
                SELECT -e.amount, 'refund', 'funds.ledgerentry', e.id::text, 0, e.public_name,
                       '退款 ' || d.reference, d.refunded_at, d.refunded_at, e.campaign_id,
                       e.fund_id, e.project_id, e.id
                FROM donations_donation d
                JOIN funds_ledgerentry e ON e.source_type = 'donations.donation'
                     AND e.source_id = d.id::text AND e.source_id <> ''
                     AND e.kind = 'donation' AND e.source_part = 0
                WHERE d.status = 'refunded'
                ORDER BY d.refunded_at, d.id
                """
            )
            db.execute(
                "INSERT INTO funds_attribution (amount, credit_id, debit_id) "
                "SELECT -amount, reverses_id, id FROM funds_ledgerentry WHERE kind = 'refund'"
            )

    def _volunteers(self):
        now = timezone.now()
        self._exec(
            """
            INSERT INTO volunteers_volunteer (number, real_name, gender, birth_date, mobile,
                email, id_number, id_number_masked, id_number_digest, skills, availability,
                availability_note, emergency_contact_name, emergency_contact_phone,
                privacy_consent_at, guardian_name, guardian_phone, insurance_policy_number,
                status, rejection_reason, created_at, updated_at, home_station_id)
            SELECT 'V' || lpad(g::text, 9, '0'), '志愿者' || g,
                   CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
                   date '1950-01-01' + (g * 37 %% 20000), '100' || lpad(g::text, 8, '0'),
                   '', '', '', '', '[]'::jsonb,
                   '[]'::jsonb, '', '紧急联系人', '', %(now)s, '', '', '', 'active', '',
                   %(now)s, %(now)s,
                   (%(communities)s::bigint[])[1 + floor(random() * %(n)s)::int]
            FROM generate_series(1, %(count)s) AS g
            """,
            {
                "now": now,
                "communities": self.communities,
                "n": len(self.communities),
                "count": self.options["volunteers"],
            },
        )

    def _service_records(self):
        o = self.options
        volunteers = o["volunteers"]
        if not volunteers or not o["service_records"]:
            return
        per_volunteer = -(-o["service_records"] // volunteers)
        days = 365 * o["years"]
        if per_volunteer > days:
            raise CommandError("More service records per volunteer than days in the span.")
        first_day = timezone.localdate() - datetime.timedelta(days=days)
        tz = settings.TIME_ZONE
        # Record i of volunteer v is on its own day (no overlap), 09:00 local, 2-4 hours.
        self._exec(
            """
            INSERT INTO volunteers_servicerecord (source, description, started_at, ended_at,
                hours, status, review_note, verified_at, verified_by_id, created_at,
                station_id, volunteer_id)
            SELECT 'shift', '社区志愿服务', started_at, started_at + hours * interval '1 hour',
                   hours, status, '',
                   CASE WHEN status = 'verified' THEN started_at + interval '1 day' END,
                   CASE WHEN status = 'verified' THEN %(coordinator)s END,
                   started_at, station_id, volunteer_id
            FROM (
                SELECT v.id AS volunteer_id,
                       ((%(first_day)s::date + ((v.id * 7 + i * %(step)s) %% %(days)s)::int)
                           + time '09:00') AT TIME ZONE %(tz)s AS started_at,
                       (2 + floor(random() * 5) / 2)::numeric(5, 2) AS hours,
                       CASE WHEN r < 0.90 THEN 'verified' WHEN r < 0.98 THEN 'pending'
                            ELSE 'rejected' END AS status,
                       CASE WHEN random() < 0.8 THEN v.home_station_id
                            ELSE (%(communities)s::bigint[])[1 + floor(random() * %(n)s)::int]
                       END AS station_id
                FROM volunteers_volunteer v
                CROSS JOIN LATERAL (
                    SELECT i, random() AS r FROM generate_series(0, %(per)s - 1) AS i
                ) records
                WHERE v.id + i * %(volunteers)s <= %(total)s
            ) generated
            ORDER BY started_at
            """,
            {
                "first_day": first_day,
                "step": days // per_volunteer,
                "days": days,
                "tz": tz,
                "communities": self.communities,
                "n": len(self.communities),
                "per": per_volunteer,
                "volunteers": volunteers,
                "total": o["service_records"],
                "coordinator": self._coordinator().pk,
            },
        )

    def _coordinator(self):
        """The account that verified the seeded service records (cannot log in)."""
        from django.contrib.auth import get_user_model

        user, created = get_user_model().objects.get_or_create(
            username="seed-scale-coordinator", defaults={"is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _sequences(self):
        for table in TABLES:
            if table == "funds_rollupcursor":
                continue
            self._exec(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false) "
                f"WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
            )

    def _counts(self) -> dict[str, int]:
        return {
            table: self._exec(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
            for table in (
                "stations_station",
                "funds_fund",
                "donations_donation",
                "funds_ledgerentry",
                "volunteers_volunteer",
                "volunteers_servicerecord",
                "funds_ledgermonth",
                "reports_donationmonth",
                "reports_servicemonth",
            )
        }
