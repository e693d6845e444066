"""Committee members read their fund's reports: listed on the committee dashboard, downloaded
through the scoped download view and the API, announced by email; nothing of any other fund
(404)."""

import datetime

import pytest
from django.core import mail

from funds.models import CommitteeMember
from funds.services import add_committee_member
from reports.models import Report
from reports.notifications import send_report_ready
from reports.tasks import generate_report_task
from tests.factories import make_user

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(dataset):
    """The chair of fund A's committee: an account without any staff role."""
    user = make_user("member-a", email="member@example.org")
    add_committee_member(
        fund=dataset.fund_a, user=user, name="周建国", role=CommitteeMember.Role.CHAIR,
        term_start=datetime.date(2025, 1, 1),
    )  # fmt: skip
    return user


@pytest.fixture
def reports(dataset, network):
    def done(**fields):
        report = make_report(**fields)
        generate_report_task.apply(args=[report.pk])
        return Report.objects.get(pk=report.pk)

    return {
        "mine": done(kind="fund_quarterly_disclosure", station=network.street_a,
                     fund=dataset.fund_a),
        "other_fund": done(kind="fund_quarterly_disclosure", station=network.street_b,
                           fund=dataset.fund_b),
        "station": done(kind="station_monthly", station=network.street_a),
    }  # fmt: skip


def test_the_dashboard_lists_the_funds_reports_with_their_files(client, dataset, member, reports):
    client.force_login(member)
    html = client.get(f"/funds/{dataset.fund_a.code}/dashboard/").content.decode()
    assert "本基金的报告" in html and "基金季度信息公开" in html and "2026年第1季度" in html
    for fmt in ("pdf", "xlsx", "csv"):
        assert f"/reports/{reports['mine'].code}/download/{fmt}/" in html
    assert reports["other_fund"].code not in html and reports["station"].code not in html
    # Another fund's dashboard is not there for them.
    assert client.get(f"/funds/{dataset.fund_b.code}/dashboard/").status_code == 404


def test_the_dashboard_reads_reports_in_a_fixed_number_of_queries(
    client, dataset, network, member, reports, django_assert_max_num_queries
):
    client.force_login(member)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/funds/{dataset.fund_a.code}/dashboard/")
    for number in range(1, 4):
        Report.objects.create(
            kind="fund_annual_statement", station=network.street_a, fund=dataset.fund_a,
            period_start=datetime.date(2020 + number, 1, 1),
            period_end=datetime.date(2020 + number, 12, 31), status=Report.Status.DONE,
            pdf_path="x.pdf", xlsx_path="x.xlsx", csv_path="x.csv",
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(f"/funds/{dataset.fund_a.code}/dashboard/").content.decode()
    assert "2023年" in html


def test_members_download_their_funds_reports_and_nothing_else(client, member, reports):
    client.force_login(member)
    response = client.get(f"/reports/{reports['mine'].code}/download/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/reports/{reports['mine'].code}/download/exe/").status_code == 404
    for other in (reports["other_fund"], reports["station"]):
        assert client.get(f"/reports/{other.code}/download/pdf/").status_code == 404
    client.logout()
    response = client.get(f"/reports/{reports['mine'].code}/download/pdf/")
    assert response.status_code == 302  # anonymous: sign in first, nothing served


def test_the_api_gives_members_their_funds_reports_only(client, member, reports):
    client.force_login(member)
    body = client.get("/api/v1/reports/").json()
    assert [row["code"] for row in body["results"]] == [reports["mine"].code]
    assert set(body["results"][0]["files"]) == {"pdf", "xlsx", "csv"}
    mine = reports["mine"].code
    response = client.get(f"/api/v1/reports/{mine}/download/xlsx/")
    assert response.status_code == 200
    for other in (reports["other_fund"], reports["station"]):
        assert client.get(f"/api/v1/reports/{other.code}/").status_code == 404
        assert client.get(f"/api/v1/reports/{other.code}/download/pdf/").status_code == 404
    payload = {"kind": "fund_quarterly_disclosure", "fund": reports["mine"].fund.code,
               "period_start": "2025-01-01", "period_end": "2025-03-31"}  # fmt: skip
    assert client.post("/api/v1/reports/", payload, content_type="application/json").status_code in (
        400, 403,
    )  # reading, not asking for reports  # fmt: skip


def test_a_member_whose_term_ended_sees_nothing(client, dataset, member, reports):
    CommitteeMember.objects.filter(user=member).update(term_end=datetime.date(2025, 12, 31))
    client.force_login(member)
    assert client.get(f"/reports/{reports['mine'].code}/download/pdf/").status_code == 404
    assert client.get("/api/v1/reports/").json()["results"] == []


def test_members_are_emailed_when_their_funds_report_is_ready(
    dataset, network, cast, member, reports
):
    cast.director.email = "director-a@example.org"
    cast.director.save()
    supervisor = make_user("supervisor-a", email="account@example.org")
    add_committee_member(
        fund=dataset.fund_a, user=supervisor, name="林监督", email="seat@example.org",
        role=CommitteeMember.Role.SUPERVISOR, term_start=datetime.date(2025, 1, 1),
    )  # fmt: skip
    add_committee_member(  # a seat without an account cannot sign in to read it: not told
        fund=dataset.fund_a, name="黄委员", email="noaccount@example.org",
        role=CommitteeMember.Role.MEMBER, term_start=datetime.date(2025, 1, 1),
    )  # fmt: skip
    mail.outbox.clear()
    assert send_report_ready(report_id=reports["mine"].pk) == 3
    by_address = {tuple(message.to): message for message in mail.outbox}
    assert set(by_address) == {
        ("director-a@example.org",),
        ("member@example.org",),
        ("seat@example.org",),
    }  # fmt: skip — one email each, no one sees another's address
    member_mail = by_address[("member@example.org",)]
    assert "报告已生成" in member_mail.subject and "石牌街社区慈善基金" in member_mail.subject
    assert f"/funds/{dataset.fund_a.code}/dashboard/" in member_mail.body
    assert "/admin/" not in member_mail.body
    assert "/admin/reports/report/" in by_address[("director-a@example.org",)].body
    # Fund B's report tells none of fund A's committee.
    mail.outbox.clear()
    send_report_ready(report_id=reports["other_fund"].pk)
    assert not any("member@example.org" in message.to for message in mail.outbox)
