"""Committee composition and recusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funds import services
from funds.models import CommitteeMember, DisbursementRequest, Vote
from funds.selectors import composition_problems, quorum_for

from .conftest import TERM_START

pytestmark = pytest.mark.django_db


def test_a_complete_committee_has_no_problems(fund, committee):
    assert composition_problems(fund) == []


def test_a_fund_without_committee_cannot_vote(fund):
    assert composition_problems(fund) == ["该基金尚未设立管理委员会。"]


def test_four_voting_members_break_both_the_minimum_and_the_odd_rule(fund, committee):
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    problems = composition_problems(fund)
    assert len(problems) == 2
    assert "4" in problems[0] and "5" in problems[0]


def test_a_member_whose_term_ended_does_not_count(fund, committee):
    seat = committee.seats["member_2"]
    seat.term_end = datetime.date(2025, 6, 30)
    seat.save()
    assert composition_problems(fund)


def test_the_supervisor_seat_is_required_and_configurable(fund, committee):
    CommitteeMember.objects.filter(role=CommitteeMember.Role.SUPERVISOR).delete()
    assert composition_problems(fund) == ["管理委员会需要一名在任的监督员。"]
    fund.require_supervisor = False
    assert composition_problems(fund) == []


def test_the_rules_come_from_the_fund(fund, committee):
    fund.min_voting_members = 7
    assert composition_problems(fund)
    fund.min_voting_members = 3
    fund.require_odd_voting_members = False
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    assert composition_problems(fund) == []


def test_quorum_is_two_thirds_rounded_up(fund):
    assert [quorum_for(fund, n) for n in (3, 4, 5, 7)] == [2, 3, 4, 5]


def test_voting_waits_while_the_committee_is_broken(fund, committee, make_request):
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    request = make_request()
    assert request.status == DisbursementRequest.Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.open_voting(request=request)
    with pytest.raises(ValidationError):
        services.cast_vote(request=request, by=committee.chair, choice="approve")
    services.add_committee_member(
        fund=fund,
        user=committee.member_2,
        role=CommitteeMember.Role.MEMBER,
        term_start=TERM_START,
    )
    request = services.open_voting(request=request)
    assert request.status == DisbursementRequest.Status.VOTING


def test_voting_is_refused_when_the_committee_breaks_during_voting(fund, committee, make_request):
    request = make_request()
    assert request.status == DisbursementRequest.Status.VOTING
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(request=request, by=committee.chair, choice="approve")
    assert "委员会" in str(error.value)
    assert not Vote.objects.exists()


def test_a_member_tied_to_the_project_is_recused(fund, committee, make_request, project):
    committee.seats["member_1"].tied_projects.add(project)
    request = make_request()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(request=request, by=committee.member_1, choice="approve")
    assert "回避" in str(error.value)
    assert not Vote.objects.exists()


def test_a_member_tied_to_the_payee_is_recused_whatever_the_spacing(fund, committee, make_request):
    seat = committee.seats["member_1"]
    seat.tied_payees = "某某公司\n华师 长者饭堂"
    seat.save()
    request = make_request()
    with pytest.raises(ValidationError):
        services.cast_vote(request=request, by=committee.member_1, choice="approve")


def test_recused_members_do_not_count_towards_the_quorum(fund, committee, make_request, project):
    # Two recused: 3 eligible, quorum 2; two approvals decide.
    committee.seats["member_1"].tied_projects.add(project)
    committee.seats["member_2"].tied_projects.add(project)
    request = make_request()
    services.cast_vote(request=request, by=committee.chair, choice="approve")
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.VOTING
    services.cast_vote(request=request, by=committee.vice_chair, choice="approve")
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.APPROVED
    assert "回避" in request.minutes


def test_the_supervisor_does_not_vote_but_records_an_opinion(fund, committee, make_request):
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.cast_vote(request=request, by=committee.supervisor, choice="approve")
    services.record_supervisor_opinion(
        request=request, by=committee.supervisor, opinion="程序合规，同意。"
    )
    for user in committee.voters[:4]:
        services.cast_vote(request=request, by=user, choice="approve", comment="同意")
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.APPROVED
    assert "程序合规，同意。" in request.minutes
    assert "cm-chair" not in request.minutes  # names, not usernames
    assert "chair（主任）：同意；同意" in request.minutes


def test_a_non_member_cannot_vote(make_request, committee, cast):
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.cast_vote(request=request, by=cast.director, choice="approve")
    assert not Vote.objects.exists()


def test_the_secretary_records_the_vote_of_a_member_without_an_account(
    fund, committee, make_request
):
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    paper = services.add_committee_member(
        fund=fund, name="周阿姨", role=CommitteeMember.Role.MEMBER, term_start=TERM_START
    )
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.cast_vote(request=request, by=committee.member_1, choice="approve", member=paper)
    vote = services.cast_vote(
        request=request, by=committee.secretary, choice="approve", member=paper
    )
    assert vote.member == paper and vote.recorded_by == committee.secretary
