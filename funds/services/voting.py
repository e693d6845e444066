"""The committee decides: voting opens, members vote, the decision and its minutes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from operations import outbox

from ..models import (
    CommitteeMember,
    DisbursementRequest,
    Vote,
)
from ..selectors import (
    committee_members,
    composition_problems,
    eligible_voters,
    quorum_for,
    recusal_reason,
    tally,
)
from .disbursements import Status, _lock_request, _record, _status_error


@transaction.atomic
def open_voting(*, request: DisbursementRequest, by=None) -> DisbursementRequest:
    """Open voting on a submitted request once the committee meets its composition rule."""
    request = _lock_request(request)
    if request.status != Status.SUBMITTED:
        raise _status_error(request, Status.SUBMITTED)
    problems = composition_problems(request.fund)
    if problems:
        raise ValidationError([_("Voting cannot start yet."), *problems])
    _open_voting(request, by)
    return request


def _open_voting(request: DisbursementRequest, by) -> None:
    request.status = Status.VOTING
    request.save(update_fields=["status"])
    _record(request, by)
    outbox.enqueue("funds.notify_vote_requested", request.pk)


def _member_for(by, members: list[CommitteeMember], member: CommitteeMember | None):
    """The seat the vote is for: the voter's own, or (by the secretary) one with no account."""
    own = next((m for m in members if m.user_id == by.pk), None)
    if member is None:
        if own is None:
            raise PermissionDenied(_("You are not a member of this fund's committee."))
        return own
    member = next((m for m in members if m.pk == member.pk), None)
    if member is None:
        raise ValidationError(_("This person is not a member of this fund's committee."))
    if member.user_id == by.pk:
        return member
    if member.user_id is None and own is not None and own.role == CommitteeMember.Role.SECRETARY:
        return member  # the secretary records the paper vote of a member without an account
    raise PermissionDenied(_("You can only cast your own vote."))


@transaction.atomic
def cast_vote(
    *,
    request: DisbursementRequest,
    by,
    choice: str,
    comment: str = "",
    member: CommitteeMember | None = None,
) -> Vote:
    """Record one member's vote and decide the request the moment quorum and majority are
    reached. The request row is locked, so votes are counted one at a time: two votes that
    each complete the quorum give one decision, and the later one is refused."""
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Vote approve, reject or abstain.")})
    request = _lock_request(request)
    if request.status in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError(_("Voting on this request has not started."))
    if request.status != Status.VOTING:
        raise ValidationError(
            _("Voting on this request has closed: it is already %(status)s.")
            % {"status": request.get_status_display()}
        )
    fund = request.fund
    members = committee_members(fund)
    problems = composition_problems(fund, members=members)
    if problems:
        raise ValidationError(
            [_("Voting is suspended until the committee is complete."), *problems]
        )
    seat = _member_for(by, members, member)
    today = timezone.localdate()
    if not seat.serves_on(today):
        raise PermissionDenied(_("%(name)s's term is not current.") % {"name": seat.name})
    if not seat.is_voting:
        raise PermissionDenied(_("The supervisor does not vote; record an opinion instead."))
    reason = recusal_reason(seat, request)
    if reason:
        raise ValidationError(_("Recused: %(reason)s") % {"reason": reason})
    if request.votes.filter(member=seat).exists():
        raise ValidationError(
            _("%(name)s has already voted on this request.") % {"name": seat.name}
        )
    vote = Vote.objects.create(
        request=request, member=seat, choice=choice, comment=comment.strip(), recorded_by=by
    )
    _decide_if_ready(request, members, by)
    return vote


def _decide_if_ready(request: DisbursementRequest, members: list, by) -> None:
    fund = request.fund
    eligible, recused = eligible_voters(members, request, on=timezone.localdate())
    votes = tally(request)
    eligible_ids = {member.pk for member in eligible}
    counted = [vote for vote in votes if vote.member_id in eligible_ids]
    approve = sum(vote.choice == Vote.Choice.APPROVE for vote in counted)
    reject = sum(vote.choice == Vote.Choice.REJECT for vote in counted)
    cast = len(counted)
    decision = None
    chair_alone = (
        fund.small_amount_limit is not None
        and request.amount < fund.small_amount_limit
        and any(
            vote.choice == Vote.Choice.APPROVE and vote.member.role == CommitteeMember.Role.CHAIR
            for vote in counted
        )
    )
    if chair_alone:
        decision = Status.APPROVED
    elif cast >= quorum_for(fund, len(eligible)) and cast > 0:
        if approve * 2 > cast:
            decision = Status.APPROVED
        elif reject * 2 >= cast or cast == len(eligible):
            decision = Status.REJECTED
    if decision is None:
        return
    request.status = decision
    request.decided_at = timezone.now()
    request.decided_by_chair_alone = chair_alone
    request.minutes = _minutes(request, members, votes, recused, approve, reject, cast)
    request.save(update_fields=["status", "decided_at", "decided_by_chair_alone", "minutes"])
    _record(request, by)
    outbox.enqueue("funds.notify_decision", request.pk)


def _minutes(request, members, votes, recused, approve, reject, cast) -> str:
    """Who voted what, who was recused and why, and the supervisor's opinion."""
    lines = [
        _("Decision: %(status)s on %(date)s.")
        % {
            "status": request.get_status_display(),
            "date": formats.date_format(timezone.localdate(request.decided_at), "DATE_FORMAT"),
        },
        _("Votes cast: %(cast)s (approve %(approve)s, reject %(reject)s, abstain %(abstain)s).")
        % {"cast": cast, "approve": approve, "reject": reject, "abstain": cast - approve - reject},
    ]
    if request.decided_by_chair_alone:
        lines.append(_("Approved by the chair alone: the amount is below the small-amount limit."))
    for vote in votes:
        line = (
            f"{vote.member.name}（{vote.member.get_role_display()}）：{vote.get_choice_display()}"
        )
        lines.append(f"{line}；{vote.comment}" if vote.comment else line)
    for _member, reason in recused:
        lines.append(_("Recused: %(reason)s") % {"reason": reason})
    opinion = request.supervisor_opinion or _("none recorded")
    lines.append(_("Supervisor's opinion: %(opinion)s") % {"opinion": opinion})
    return "\n".join(lines)
