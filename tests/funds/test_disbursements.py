"""The request flow: draft → submitted → voting → approved → host reviewed → paid → reconciled,
separation of duties, and every bad input (a clear error, nothing changed)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from funds import services
from funds.models import (
    Attribution,
    DisbursementEvent,
    DisbursementRequest,
    LedgerEntry,
    Vote,
)
from funds.selectors import fund_balances, paid_entries_of
from projects.models import BudgetLine, Project

from .conftest import vote_all

pytestmark = pytest.mark.django_db
Status = DisbursementRequest.Status


def snapshot():
    return (
        list(DisbursementRequest.objects.order_by("pk").values()),
        list(Vote.objects.order_by("pk").values()),
        list(LedgerEntry.objects.order_by("pk").values()),
        DisbursementEvent.objects.count(),
    )


def approved(make_request, committee, amount="700.00"):
    request = make_request(amount)
    return vote_all(request, committee.voters[:4])


def test_the_whole_flow_pays_restricted_money_first_and_links_the_debits(
    make_request, committee, reviewer, payer, funded, project
):
    request = approved(make_request, committee)
    assert request.status == Status.APPROVED and request.decided_at
    request = services.review_disbursement(request=request, by=reviewer, approve=True)
    assert request.status == Status.HOST_REVIEWED
    entries = services.pay_disbursement(request=request, by=payer)
    request.refresh_from_db()
    assert request.status == Status.PAID and request.paid_by == payer
    assert [(e.project_id, e.amount) for e in entries] == [
        (project.pk, Decimal("-500.00")),
        (None, Decimal("-200.00")),
    ]
    assert list(paid_entries_of(request)) == entries
    assert sum(a.amount for a in Attribution.objects.filter(debit__in=entries)) == Decimal("700")
    assert fund_balances(funded)["total"] == Decimal("800.00")
    invoice = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice", "application/pdf")
    request = services.reconcile_disbursement(request=request, by=payer, invoice_file=invoice)
    assert request.status == Status.RECONCILED and request.invoice_file
    assert list(request.events.values_list("status", flat=True)) == [
        "draft", "submitted", "voting", "approved", "host_reviewed", "paid", "reconciled",
    ]  # fmt: skip


def test_majority_of_votes_cast_rejects(make_request, committee):
    request = make_request()
    services.cast_vote(request=request, by=committee.chair, choice="approve")
    services.cast_vote(request=request, by=committee.vice_chair, choice="reject")
    services.cast_vote(request=request, by=committee.secretary, choice="reject")
    request.refresh_from_db()
    assert request.status == Status.VOTING  # 3 of 5 cast: below the quorum of 4
    services.cast_vote(request=request, by=committee.member_1, choice="abstain")
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    assert "弃权 1" in request.minutes


def test_abstentions_keep_voting_open_until_a_majority_or_everyone_voted(make_request, committee):
    request = make_request()
    choices = ["approve", "approve", "abstain", "abstain"]
    for user, choice in zip(committee.voters[:4], choices, strict=True):
        services.cast_vote(request=request, by=user, choice=choice)
    request.refresh_from_db()
    assert request.status == Status.VOTING  # 2 of 4 is not a majority
    services.cast_vote(request=request, by=committee.member_2, choice="approve")
    request.refresh_from_db()
    assert request.status == Status.APPROVED


def test_below_the_small_amount_limit_the_chair_alone_approves(make_request, committee, funded):
    funded.small_amount_limit = Decimal("500.00")
    funded.save()
    request = make_request("100.00")
    services.cast_vote(request=request, by=committee.chair, choice="approve")
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.decided_by_chair_alone
    big = make_request("600.00")
    services.cast_vote(request=big, by=committee.chair, choice="approve")
    big.refresh_from_db()
    assert big.status == Status.VOTING


# --- Separation of duties -------------------------------------------------------------------


def test_the_requester_cannot_vote_on_their_own_request(fund, committee, project, funded, network):
    from stations.services import add_staff_member
    from tests.factories import Role

    # The chair is also a social worker of the project's community and files the request.
    add_staff_member(station=network.community_a1, user=committee.chair, role=Role.SOCIAL_WORKER)
    committee.chair.refresh_from_db()
    request = services.request_disbursement(
        fund=fund, project=project, amount="10", purpose="x", payee="y", by=committee.chair
    )
    request = services.submit_disbursement(request=request, by=committee.chair)
    with pytest.raises(ValidationError):
        services.cast_vote(request=request, by=committee.chair, choice="approve")


def test_an_approving_voter_cannot_pay(make_request, committee, reviewer, network):
    from stations.services import add_staff_member
    from tests.factories import Role

    add_staff_member(station=network.street_a, user=committee.chair, role=Role.FINANCE_OFFICER)
    request = approved(make_request, committee)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.pay_disbursement(request=request, by=committee.chair)
    assert "批准" in str(error.value)
    assert snapshot() == before


def test_the_hosts_reviewer_cannot_also_pay(make_request, committee, reviewer, network):
    """Requester ≠ approver ≠ reviewer ≠ payer: the reviewer who is also finance is refused."""
    from stations.services import add_staff_member
    from tests.factories import Role

    add_staff_member(station=network.street_a, user=reviewer, role=Role.FINANCE_OFFICER)
    reviewer.refresh_from_db()
    request = approved(make_request, committee)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.pay_disbursement(request=request, by=reviewer)
    assert error.value.messages == ["审核该申请的人不能再经手支付。"]
    assert snapshot() == before


def test_an_approving_voter_cannot_review(make_request, committee, network):
    from stations.services import add_staff_member
    from tests.factories import Role

    add_staff_member(station=network.street_a, user=committee.chair, role=Role.DIRECTOR)
    committee.chair.refresh_from_db()
    request = approved(make_request, committee)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.review_disbursement(request=request, by=committee.chair, approve=True)
    assert error.value.messages == ["投票批准该申请的委员不能审核该申请。"]
    assert snapshot() == before


def test_the_requester_cannot_pay_or_review(make_request, committee, reviewer, requester, network):
    from stations.services import add_staff_member
    from tests.factories import Role

    add_staff_member(station=network.street_a, user=requester, role=Role.FINANCE_OFFICER)
    add_staff_member(station=network.street_a, user=requester, role=Role.DIRECTOR)
    requester.refresh_from_db()
    request = approved(make_request, committee)
    with pytest.raises(ValidationError):
        services.review_disbursement(request=request, by=requester, approve=True)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.pay_disbursement(request=request, by=requester)
    assert snapshot() == before


def test_only_a_finance_officer_of_the_station_pays(make_request, committee, reviewer, cast):
    request = approved(make_request, committee)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    for user in (cast.director, cast.social_worker, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.pay_disbursement(request=request, by=user)
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "大于零"),
        ("-5", "大于零"),
        ("10.001", "两位小数"),
        ("abc", "金额"),
        ("1600.01", "¥500.00"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_saved(make_request, amount, message):
    with pytest.raises(ValidationError) as error:
        make_request(amount, submit=False)
    assert message in str(error.value)
    assert not DisbursementRequest.objects.exists()


def test_a_project_outside_the_funds_subtree_is_refused(funded, requester, network):
    elsewhere = Project.objects.create(
        station=network.community_b1, title="别街项目", kind="assistance", category="other"
    )
    with pytest.raises(ValidationError) as error:
        services.request_disbursement(
            fund=funded, project=elsewhere, amount="10", purpose="x", payee="y", by=requester
        )
    assert "project" in error.value.message_dict
    assert not DisbursementRequest.objects.exists()


def test_a_budget_line_of_another_project_is_refused(funded, project, other_project, requester):
    line = BudgetLine.objects.create(project=other_project, category="materials", amount=100)
    with pytest.raises(ValidationError):
        services.request_disbursement(
            fund=funded, project=project, amount="10", purpose="x", payee="y", by=requester,
            budget_line=line,
        )  # fmt: skip


def test_a_staff_member_of_another_street_cannot_request(funded, project, cast):
    with pytest.raises(PermissionDenied):
        services.request_disbursement(
            fund=funded, project=project, amount="10", purpose="x", payee="y",
            by=cast.social_worker,
        )  # fmt: skip


def test_voting_twice_is_refused(make_request, committee):
    request = make_request()
    services.cast_vote(request=request, by=committee.chair, choice="approve")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(request=request, by=committee.chair, choice="reject")
    assert "已经投过票" in str(error.value)
    assert snapshot() == before


def test_a_vote_after_the_decision_is_refused(make_request, committee):
    request = approved(make_request, committee)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(request=request, by=committee.member_2, choice="reject")
    assert "已结束" in str(error.value)
    assert snapshot() == before


def test_a_vote_on_a_draft_is_refused(make_request, committee):
    request = make_request(submit=False)
    with pytest.raises(ValidationError):
        services.cast_vote(request=request, by=committee.chair, choice="approve")


def test_an_unknown_choice_is_refused(make_request, committee):
    request = make_request()
    with pytest.raises(ValidationError):
        services.cast_vote(request=request, by=committee.chair, choice="maybe")
    assert not Vote.objects.exists()


def test_paying_an_unapproved_request_is_refused(make_request, committee, payer):
    request = make_request()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.pay_disbursement(request=request, by=payer)
    assert "委员会投票中" in str(error.value)
    request = approved(make_request, committee, amount="100")
    with pytest.raises(ValidationError):  # approved but not reviewed by the host
        services.pay_disbursement(request=request, by=payer)
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()
    assert snapshot()[0][0] == before[0][0]


def test_paying_twice_is_refused_and_pays_once(make_request, committee, reviewer, payer, funded):
    request = approved(make_request, committee)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    services.pay_disbursement(request=request, by=payer)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.pay_disbursement(request=request, by=payer)
    assert "已经支付" in str(error.value)
    assert snapshot() == before
    assert fund_balances(funded)["total"] == Decimal("800.00")


def test_paying_more_than_the_balance_now_holds_is_refused_with_the_amounts(
    make_request, committee, reviewer, payer, funded
):
    request = approved(make_request, committee, amount="1400.00")
    services.review_disbursement(request=request, by=reviewer, approve=True)
    services.post_entry(fund=funded, amount=Decimal("-600.00"), kind="adjustment")
    with pytest.raises(ValidationError) as error:
        services.pay_disbursement(request=request, by=payer)
    assert "¥500.00" in str(error.value) and "¥400.00" in str(error.value)
    request.refresh_from_db()
    assert request.status == Status.HOST_REVIEWED


def test_the_host_can_refuse_with_a_reason(make_request, committee, reviewer):
    request = approved(make_request, committee)
    with pytest.raises(ValidationError):
        services.review_disbursement(request=request, by=reviewer, approve=False)
    request = services.review_disbursement(
        request=request, by=reviewer, approve=False, note="报价不全"
    )
    assert request.status == Status.REJECTED and request.host_review_note == "报价不全"


def test_reconciling_needs_a_paid_request_and_an_invoice(make_request, committee, reviewer, payer):
    request = approved(make_request, committee)
    invoice = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(ValidationError):
        services.reconcile_disbursement(request=request, by=payer, invoice_file=invoice)
    services.review_disbursement(request=request, by=reviewer, approve=True)
    services.pay_disbursement(request=request, by=payer)
    with pytest.raises(ValidationError):
        services.reconcile_disbursement(request=request, by=payer, invoice_file=None)
