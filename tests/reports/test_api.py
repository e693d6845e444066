"""/api/v1/reports/: scoped list and detail, POST queues an ad-hoc report, in the schema."""

import pytest
from django.core.management import call_command

from reports.models import Report
from reports.tasks import generate_report_task

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(dataset, network):
    mine = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    generate_report_task.apply(args=[mine.pk])
    theirs = make_report(kind="station_monthly", station=network.street_b)
    return Report.objects.get(pk=mine.pk), theirs


def test_the_list_holds_only_the_users_reports(client, cast, reports):
    mine, theirs = reports
    client.force_login(cast.director)
    body = client.get("/api/v1/reports/").json()
    assert [r["code"] for r in body["results"]] == [mine.code]
    row = body["results"][0]
    assert row["kind_display"] == "基金季度信息公开" and row["status"] == "done"
    assert row["fund"] == mine.fund.code and row["progress"] == 100
    assert set(row["files"]) == {"pdf", "xlsx", "csv"}


def test_detail_outside_the_scope_is_404_and_anonymous_is_refused(client, cast, reports):
    mine, theirs = reports
    client.force_login(cast.director)
    assert client.get(f"/api/v1/reports/{theirs.code}/").status_code == 404
    assert client.get(f"/api/v1/reports/{theirs.code}/download/pdf/").status_code == 404
    response = client.get(f"/api/v1/reports/{mine.code}/download/csv/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    client.logout()
    assert client.get("/api/v1/reports/").status_code in (401, 403)
    client.force_login(cast.outsider)
    assert client.get("/api/v1/reports/").json()["results"] == []  # no station: nothing
    payload = {"kind": "station_monthly", "station": "street-a",
               "period_start": "2026-01-01", "period_end": "2026-01-31"}  # fmt: skip
    assert (
        client.post("/api/v1/reports/", payload, content_type="application/json").status_code == 403
    )


def test_post_queues_an_ad_hoc_report_once(
    client, cast, dataset, django_capture_on_commit_callbacks
):
    client.force_login(cast.finance_officer)
    payload = {"kind": "fund_annual_statement", "fund": dataset.fund_a.code,
               "period_start": "2025-01-01", "period_end": "2025-12-31"}  # fmt: skip
    with django_capture_on_commit_callbacks() as queued:
        first = client.post("/api/v1/reports/", payload, content_type="application/json")
        second = client.post("/api/v1/reports/", payload, content_type="application/json")
    assert first.status_code == second.status_code == 202
    assert first.json()["code"] == second.json()["code"] and first.json()["status"] == "queued"
    assert len(queued) == 1 and Report.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    # 400: not what the schema says (an unknown kind); 422: well formed, refused by a rule.
    [
        ({"kind": "nonsense", "period_start": "2026-01-01", "period_end": "2026-01-31"}, "kind",
         400),
        ({"kind": "station_monthly", "station": "street-b", "period_start": "2026-01-01",
          "period_end": "2026-01-31"}, "station", 422),
        ({"kind": "fund_quarterly_disclosure", "period_start": "2026-01-01",
          "period_end": "2026-03-31"}, "fund", 422),
        ({"kind": "station_monthly", "station": "street-a", "period_start": "2026-02-01",
          "period_end": "2026-01-01"}, "period_end", 422),
    ],
)  # fmt: skip
def test_bad_requests_get_a_clear_4xx_and_nothing_is_saved(
    client, cast, dataset, payload, field, status
):
    client.force_login(cast.director)
    response = client.post("/api/v1/reports/", payload, content_type="application/json")
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_the_openapi_schema_has_reports_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    assert "/api/v1/reports/" in schema and "/api/v1/reports/{code}/download/{fmt}/" in schema


def test_post_queues_a_project_or_host_report(
    client, cast, dataset, network, django_capture_on_commit_callbacks
):
    client.force_login(cast.director)
    payload = {"kind": "project_final", "project": dataset.project_2.code,
               "period_start": "2026-01-01", "period_end": "2026-03-31"}  # fmt: skip
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/api/v1/reports/", payload, content_type="application/json")
    assert response.status_code == 202 and len(queued) == 1
    body = response.json()
    assert body["project"] == dataset.project_2.code and body["scope_name"] == "四点半课堂"
    assert body["station"] == network.community_a2.code and body["fund"] is None
    listed = client.get("/api/v1/reports/", {"project": dataset.project_2.code}).json()
    assert [row["code"] for row in listed["results"]] == [body["code"]]
    # The host's work report: street A's director does not see all the host's funds.
    host = {"kind": "host_annual_work_report", "host": dataset.host.credit_code,
            "period_start": "2025-01-01", "period_end": "2025-12-31"}  # fmt: skip
    response = client.post("/api/v1/reports/", host, content_type="application/json")
    assert response.status_code == 422 and "host" in response.json()["error"]["fields"]
    client.force_login(cast.superuser)
    response = client.post("/api/v1/reports/", host, content_type="application/json")
    assert response.status_code == 202
    assert response.json()["host"] == dataset.host.credit_code
    assert response.json()["station"] == network.district.code
