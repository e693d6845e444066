"""The public fund page and ledger CSV: what was raised and spent, never an anonymous donor."""

import csv
import io
from decimal import Decimal

import pytest

from funds import services
from funds.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(fund, project):
    # The donations app sets public_name to the donor's name only if they agreed.
    services.post_entry(fund=fund, amount=Decimal("200.00"), kind="donation", public_name="李明")
    services.post_entry(
        fund=fund, amount=Decimal("300.00"), kind="donation", public_name="爱心人士",
        memo="捐赠人 王秀英 13800138000 要求匿名",
    )  # fmt: skip
    services.post_entry(
        fund=fund, amount=Decimal("50.00"), kind="donation", project=project,
        memo="赵大爷的心意",
    )  # fmt: skip


def test_the_page_shows_purpose_host_committee_and_money(client, fund, committee, gifts):
    fund.purpose = "扶老助残、关爱儿童"
    fund.save()
    html = client.get(f"/funds/{fund.code}/").content.decode()
    assert "扶老助残、关爱儿童" in html
    assert fund.host.name in html and fund.host.credit_code in html
    assert "chair" in html and "主任" in html and "监督员" in html
    assert "¥550.00" in html  # balance and raised
    assert "cm-chair" not in html and "@example.org" not in html


def test_paid_disbursements_are_listed(client, make_request, committee, reviewer, payer, project):
    request = make_request("120.00")
    for user in committee.voters[:4]:
        services.cast_vote(request=request, by=user, choice="approve")
    services.review_disbursement(request=request, by=reviewer, approve=True)
    services.pay_disbursement(request=request, by=payer)
    html = client.get(f"/funds/{request.fund.code}/").content.decode()
    assert project.title in html and "¥120.00" in html and "长者饭堂三月食材" in html
    assert "华师长者饭堂" not in html  # the payee may be a person: not public


def test_an_anonymous_donor_never_appears(client, fund, gifts):
    page = client.get(f"/funds/{fund.code}/").content.decode()
    response = client.get(f"/funds/{fund.code}/ledger.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    for text in (page, body):
        assert "王秀英" not in text and "13800138000" not in text and "赵大爷" not in text
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["日期", "类别", "金额（元）"]
    names = [row[5] for row in rows[1:]]
    assert names == ["李明", "爱心人士", "爱心人士"]


def test_an_unknown_fund_is_404(client, db):
    assert client.get("/funds/nope/").status_code == 404
    assert client.get("/funds/nope/ledger.csv").status_code == 404


def test_the_page_is_small_and_needs_no_javascript(client, fund, gifts):
    html = client.get(f"/funds/{fund.code}/").content
    assert len(html) < 100_000 and b"<script" not in html


def test_the_ledger_csv_lists_every_entry_once(client, fund, gifts):
    body = b"".join(client.get(f"/funds/{fund.code}/ledger.csv").streaming_content)
    assert body.decode("utf-8-sig").count("\n") == LedgerEntry.objects.count() + 1
