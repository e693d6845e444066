"""The only writers of the ledger. Every function is one transaction.

Rules (ARCHITECTURE.md, "Money rules"): amounts are Decimal yuan; the ledger is append-only
(a correction is a reversing entry); no balance, total, unrestricted or restricted to a
project, goes below zero, also under concurrency (the fund row is locked where a balance is
checked); the same source posts once.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.bulk import audited_bulk_create
from core.locks import lock
from core.site import absolute_url
from operations import outbox
from projects.services import run_fundraising_guards
from stations.scoping import can_see_station

from .models import (
    Attribution,
    Campaign,
    CampaignShare,
    Committee,
    CommitteeMember,
    DisbursementEvent,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
    Vote,
)
from .money import format_yuan, parse_amount, round_money
from .selectors import (
    available_balance,
    committee_members,
    composition_problems,
    eligible_voters,
    quorum_for,
    recusal_reason,
    unspent_credits,
)


@dataclass(frozen=True)
class Source:
    """What caused an entry: ``Source("donations.donation", donation.pk)``."""

    type: str
    id: int | str
    part: int = 0


def _check_project_belongs_to_fund(fund: Fund, project) -> None:
    if project is not None and not project.station.path.startswith(fund.station.path):
        raise ValidationError(
            {"project": _("This project is not at the fund's station or a station below it.")}
        )


def _existing(source: Source | None, kind: str) -> LedgerEntry | None:
    if source is None:
        return None
    return LedgerEntry.objects.filter(
        source_type=source.type, source_id=str(source.id), kind=kind, source_part=source.part
    ).first()


def _lock_fund(fund: Fund) -> Fund:
    return lock(Fund.objects).get(pk=fund.pk)


def _insert(**fields) -> LedgerEntry:
    # A savepoint, so a duplicate source raced in by another transaction can be detected.
    with transaction.atomic():
        return LedgerEntry.objects.create(**fields)


@transaction.atomic
def post_entry(
    *,
    fund: Fund,
    amount: Decimal,
    kind: str,
    project=None,
    campaign: Campaign | None = None,
    source: Source | None = None,
    public_name: str = "",
    memo: str = "",
    by=None,
    posted_at: datetime.datetime | None = None,
    prefer_credit: LedgerEntry | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Post one entry: ``amount`` > 0 is money in, < 0 is money out.

    Money out locks the fund, refuses what the balance of its restriction (the project, or
    the unrestricted money) cannot cover, and is attributed to earlier credits of the same
    restriction, ``prefer_credit`` first and then first in, first out. With a ``source``,
    posting the same source again returns the first entry and changes nothing.
    """
    if amount is None or amount == 0:
        raise ValidationError({"amount": _("The amount must not be zero.")})
    parse_amount(abs(amount))
    _check_project_belongs_to_fund(fund, project)
    if amount > 0 and fund.status != Fund.Status.ACTIVE and kind == LedgerEntry.Kind.DONATION:
        raise ValidationError({"fund": _("This fund is closed and takes no more donations.")})
    fields = {
        "fund": fund,
        "amount": amount,
        "kind": kind,
        "project": project,
        "campaign": campaign,
        "source_type": source.type if source else "",
        "source_id": str(source.id) if source else "",
        "source_part": source.part if source else 0,
        "public_name": public_name,
        "memo": memo,
        "created_by": by,
        "reverses": reverses,
    }
    if posted_at is not None:
        fields["posted_at"] = posted_at

    if amount < 0:
        _lock_fund(fund)
    existing = _existing(source, kind)
    if existing is not None:
        return existing
    if amount < 0:
        project_id = project.pk if project is not None else None
        available = available_balance(fund, project_id=project_id)
        if available < -amount:
            if project is None:
                message = _(
                    "Not enough unrestricted money: %(needed)s needed, %(available)s available."
                )
            else:
                message = _(
                    "Not enough money restricted to this project: %(needed)s needed, "
                    "%(available)s available."
                )
            raise ValidationError(
                {
                    "amount": message
                    % {"needed": format_yuan(-amount), "available": format_yuan(available)}
                }
            )
    try:
        entry = _insert(**fields)
    except IntegrityError:
        existing = _existing(source, kind)
        if existing is None:
            raise
        return existing
    if amount < 0:
        _attribute(entry, prefer_credit=prefer_credit)
    return entry


def _attribute(debit: LedgerEntry, *, prefer_credit: LedgerEntry | None) -> None:
    """Split a debit over unspent credits of its restriction: the preferred one, then FIFO."""
    remaining = -debit.amount
    credits = list(unspent_credits(debit.fund, project_id=debit.project_id))
    if prefer_credit is not None:
        credits.sort(key=lambda credit: credit.pk != prefer_credit.pk)
    rows = []
    for credit in credits:
        if remaining <= 0:
            break
        left = round_money(credit.amount - credit.used)
        if left <= 0:
            continue
        portion = min(left, remaining)
        rows.append(Attribution(debit=debit, credit=credit, amount=portion))
        remaining -= portion
    if remaining > 0:
        # The balance check under the fund lock makes this impossible; refuse rather than
        # leave a debit that no gift paid for.
        raise ValidationError(_("The ledger's credits do not cover this payment."))
    # Money traced from gift to payment: in the audit history like the debit it splits.
    audited_bulk_create(Attribution, rows)


@transaction.atomic
def spend_for_project(
    *,
    fund: Fund,
    project,
    amount: Decimal,
    kind: str = LedgerEntry.Kind.DISBURSEMENT,
    source: Source,
    public_name: str = "",
    memo: str = "",
    by=None,
) -> list[LedgerEntry]:
    """Pay ``amount`` for ``project``: its restricted money first, then unrestricted money.

    Returns the one or two debit entries. Refuses, naming both available amounts, when the
    two together cannot cover the amount. Idempotent for the same ``source``.
    """
    amount = parse_amount(amount)
    _check_project_belongs_to_fund(fund, project)
    _lock_fund(fund)
    already = list(
        LedgerEntry.objects.filter(
            source_type=source.type, source_id=str(source.id), kind=kind
        ).order_by("source_part")
    )
    if already:
        return already
    restricted = available_balance(fund, project_id=project.pk) if project else Decimal("0")
    unrestricted = available_balance(fund, project_id=None)
    if restricted + unrestricted < amount:
        raise ValidationError(
            {
                "amount": _(
                    "The fund cannot cover %(needed)s: %(restricted)s restricted to this project "
                    "and %(unrestricted)s unrestricted are available."
                )
                % {
                    "needed": format_yuan(amount),
                    "restricted": format_yuan(restricted),
                    "unrestricted": format_yuan(unrestricted),
                }
            }
        )
    from_restricted = min(restricted, amount)
    parts = [(project, from_restricted), (None, amount - from_restricted)]
    entries = []
    for part, (restriction, part_amount) in enumerate(p for p in parts if p[1] > 0):
        entries.append(
            post_entry(
                fund=fund,
                amount=-part_amount,
                kind=kind,
                project=restriction,
                source=Source(source.type, source.id, part),
                public_name=public_name,
                memo=memo,
                by=by,
            )
        )
    return entries


@transaction.atomic
def reverse_entry(
    *, entry: LedgerEntry, by=None, memo: str = "", kind: str = LedgerEntry.Kind.REVERSAL
) -> LedgerEntry:
    """Post the opposite of ``entry``. An entry is reversed at most once.

    Reversing a credit is money out: it needs the balance of the credit's restriction, and is
    attributed to that credit first.
    """
    _lock_fund(entry.fund)  # one reversal at a time per fund
    entry = LedgerEntry.objects.select_related("fund", "project").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError(_("A reversing entry cannot itself be reversed; post a new entry."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    return post_entry(
        fund=entry.fund,
        amount=-entry.amount,
        kind=kind,
        project=entry.project,
        campaign=entry.campaign,
        source=Source("funds.ledgerentry", entry.pk),
        public_name=entry.public_name,
        memo=memo or _("Reversal of entry %(id)s") % {"id": entry.pk},
        by=by,
        prefer_credit=entry if entry.amount > 0 else None,
        reverses=entry,
    )


# --- Campaigns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One part of a (joint) campaign: the fund, optionally a project, and its percent."""

    fund: Fund
    percent: Decimal
    project: object = None


def _check_shares(host: HostCharity, shares: list[Share]) -> None:
    if not shares:
        raise ValidationError({"shares": _("A campaign needs at least one fund to raise for.")})
    seen = set()
    for share in shares:
        if share.fund.host_id != host.pk:
            raise ValidationError(
                {
                    "shares": _(
                        "%(fund)s is held by another host; a campaign raises only for funds "
                        "held by the host whose filing it runs under."
                    )
                    % {"fund": share.fund}
                }
            )
        if not (Decimal("0") < Decimal(share.percent) <= Decimal("100")):
            raise ValidationError({"shares": _("Each share is more than 0% and at most 100%.")})
        _check_project_belongs_to_fund(share.fund, share.project)
        key = (share.fund.pk, share.project.pk if share.project else None)
        if key in seen:
            raise ValidationError({"shares": _("The same fund or project is listed twice.")})
        seen.add(key)
    total = sum((Decimal(share.percent) for share in shares), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError(
            {
                "shares": _("The shares add up to %(total)s%%; they must add up to exactly 100%%.")
                % {"total": total.normalize()}
            }
        )


@transaction.atomic
def create_campaign(
    *,
    host: HostCharity,
    lead_fund: Fund,
    title: str,
    goal: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    shares: list[Share] | None = None,
    filing_number: str = "",
    description: str = "",
    code: str | None = None,
    by=None,
) -> Campaign:
    """A draft campaign under ``host``'s filing. Without ``shares`` it raises 100% for the
    lead fund; a joint campaign (联合劝募) lists several shares adding up to exactly 100%."""
    goal = parse_amount(goal, field="goal")
    shares = shares or [Share(fund=lead_fund, percent=Decimal("100"))]
    if lead_fund.host_id != host.pk:
        raise ValidationError({"lead_fund": _("The organising fund must be held by this host.")})
    if lead_fund.pk not in {share.fund.pk for share in shares}:
        raise ValidationError({"shares": _("The organising fund must have a share.")})
    _check_shares(host, shares)
    campaign = Campaign(
        host=host,
        lead_fund=lead_fund,
        title=title,
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
        filing_number=filing_number.strip(),
        description=description,
    )
    if code:
        campaign.code = code
    campaign.full_clean()
    campaign.save()
    audited_bulk_create(
        CampaignShare,
        (
            CampaignShare(campaign=campaign, fund=s.fund, project=s.project, percent=s.percent)
            for s in shares
        ),
    )
    return campaign


@transaction.atomic
def publish_campaign(*, campaign: Campaign, filing_number: str | None = None, by=None) -> Campaign:
    """Make a campaign public: it needs the host's filing number and shares adding to 100%."""
    campaign = lock(Campaign.objects).select_related("host").get(pk=campaign.pk)
    if filing_number is not None:
        campaign.filing_number = filing_number.strip()
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("A closed campaign cannot be made public again."))
    if not campaign.filing_number:
        raise ValidationError(
            {"filing_number": _("A campaign needs the host's filing number before it goes public.")}
        )
    shares = [
        Share(fund=s.fund, project=s.project, percent=s.percent)
        for s in campaign.shares.select_related("fund", "project", "project__station")
    ]
    _check_shares(campaign.host, shares)
    run_fundraising_guards(campaign=campaign)
    campaign.status = Campaign.Status.PUBLIC
    campaign.full_clean()
    campaign.save(update_fields=["status", "filing_number"])
    return campaign


# --- Committees -----------------------------------------------------------------------------


@transaction.atomic
def add_committee_member(
    *,
    fund: Fund,
    role: str,
    term_start: datetime.date,
    user=None,
    name: str = "",
    email: str = "",
    term_end: datetime.date | None = None,
    tied_projects=(),
    tied_payees: str = "",
) -> CommitteeMember:
    """Seat a user account or a named person on the fund's committee (created if needed)."""
    committee, _created = Committee.objects.get_or_create(fund=fund)
    if user is not None and not name:
        name = user.get_full_name() or user.get_username()
    member = CommitteeMember(
        committee=committee,
        user=user,
        name=name,
        email=email,
        role=role,
        term_start=term_start,
        term_end=term_end,
        tied_payees=tied_payees,
    )
    member.full_clean()
    member.save()
    member.tied_projects.set(tied_projects)
    return member


# --- Disbursement requests ------------------------------------------------------------------

Status = DisbursementRequest.Status


def _record(request: DisbursementRequest, by, note: str = "") -> None:
    DisbursementEvent.objects.create(request=request, status=request.status, by=by, note=note)


def _lock_request(request: DisbursementRequest) -> DisbursementRequest:
    return (
        lock(DisbursementRequest.objects, of=("self",))
        .select_related("fund", "project", "project__station", "fund__station")
        .get(pk=request.pk)
    )


def _check_may_act_at(by, station, *, permission: str | None = None) -> None:
    if by is None or by.is_superuser:
        return
    if not can_see_station(by, station):
        raise PermissionDenied(_("This is not at one of your stations."))
    if permission and not by.has_perm(permission):
        raise PermissionDenied(_("Your role does not allow this."))


def _check_covered(fund: Fund, project, amount: Decimal) -> None:
    restricted = available_balance(fund, project_id=project.pk)
    unrestricted = available_balance(fund, project_id=None)
    if restricted + unrestricted < amount:
        raise ValidationError(
            {
                "amount": _(
                    "The fund cannot cover %(needed)s: %(restricted)s restricted to this project "
                    "and %(unrestricted)s unrestricted are available."
                )
                % {
                    "needed": format_yuan(amount),
                    "restricted": format_yuan(restricted),
                    "unrestricted": format_yuan(unrestricted),
                }
            }
        )


def _status_error(request: DisbursementRequest, expected: str) -> ValidationError:
    return ValidationError(
        _("This request is %(status)s; it must be %(expected)s for this step.")
        % {"status": request.get_status_display(), "expected": Status(expected).label}
    )


def check_disbursement_request(
    *, fund: Fund, project, amount, purpose: str, payee: str, by, budget_line=None
) -> Decimal:
    """The checks of ``request_disbursement``, for forms that show errors before saving."""
    amount = parse_amount(amount)
    if fund.status != Fund.Status.ACTIVE:
        raise ValidationError({"fund": _("This fund is closed.")})
    _check_project_belongs_to_fund(fund, project)
    _check_may_act_at(by, project.station, permission="funds.add_disbursementrequest")
    if budget_line is not None and budget_line.project_id != project.pk:
        raise ValidationError({"budget_line": _("This budget line belongs to another project.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the money is for.")})
    if not payee.strip():
        raise ValidationError({"payee": _("Say who will be paid.")})
    _check_covered(fund, project, amount)
    return amount


@transaction.atomic
def request_disbursement(
    *,
    fund: Fund,
    project,
    amount,
    purpose: str,
    payee: str,
    by,
    budget_line=None,
    is_administrative: bool = False,
    quote_file=None,
) -> DisbursementRequest:
    """A draft request that ``fund`` pay ``amount`` for ``project`` (in the fund's station
    subtree) to ``payee``. Refuses bad amounts and amounts the fund cannot cover now."""
    amount = check_disbursement_request(
        fund=fund, project=project, amount=amount, purpose=purpose, payee=payee, by=by,
        budget_line=budget_line,
    )  # fmt: skip
    request = DisbursementRequest(
        fund=fund,
        project=project,
        budget_line=budget_line,
        amount=amount,
        purpose=purpose.strip(),
        payee=payee.strip(),
        is_administrative=is_administrative,
        requested_by=by,
    )
    if quote_file:
        request.quote_file = quote_file
    request.save()
    _record(request, by)
    return request


@transaction.atomic
def submit_disbursement(*, request: DisbursementRequest, by) -> DisbursementRequest:
    """Send a draft to the committee; voting opens at once when the committee is complete."""
    request = _lock_request(request)
    if request.status != Status.DRAFT:
        raise _status_error(request, Status.DRAFT)
    if by is not None and by.pk != request.requested_by_id and not by.is_superuser:
        raise PermissionDenied(_("Only the person who made the request can submit it."))
    _check_covered(request.fund, request.project, request.amount)
    request.status = Status.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at"])
    _record(request, by)
    if not composition_problems(request.fund):
        _open_voting(request, by)
    return request


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
    from .tasks import notify_vote_requested_task

    outbox.enqueue(notify_vote_requested_task, request.pk)


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


def tally(request: DisbursementRequest) -> list[Vote]:
    return list(request.votes.select_related("member").order_by("cast_at", "pk"))


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
    from .tasks import notify_decision_task

    outbox.enqueue(notify_decision_task, request.pk)


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


@transaction.atomic
def record_supervisor_opinion(
    *, request: DisbursementRequest, by, opinion: str
) -> DisbursementRequest:
    """The supervisor (who does not vote) records an opinion; it goes into the minutes."""
    request = _lock_request(request)
    seat = CommitteeMember.objects.filter(
        committee__fund=request.fund, user=by, role=CommitteeMember.Role.SUPERVISOR
    ).first()
    if seat is None:
        raise PermissionDenied(_("Only the committee's supervisor records an opinion."))
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the opinion.")})
    entry = f"{seat.name}：{opinion.strip()}"
    request.supervisor_opinion = "\n".join(filter(None, [request.supervisor_opinion, entry]))
    request.save(update_fields=["supervisor_opinion"])
    return request


@transaction.atomic
def review_disbursement(
    *, request: DisbursementRequest, by, approve: bool, note: str = ""
) -> DisbursementRequest:
    """The host charity's review of an approved request: passed on to payment, or refused."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.review_disbursementrequest")
    if request.status != Status.APPROVED:
        raise _status_error(request, Status.APPROVED)
    if by is not None and by.pk == request.requested_by_id:
        raise ValidationError(_("The person who made the request cannot review it."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the host refuses the payment.")})
    request.status = Status.HOST_REVIEWED if approve else Status.REJECTED
    request.host_reviewed_by = by
    request.host_reviewed_at = timezone.now()
    request.host_review_note = note.strip()
    request.save(
        update_fields=["status", "host_reviewed_by", "host_reviewed_at", "host_review_note"]
    )
    _record(request, by, note.strip())
    return request


@transaction.atomic
def pay_disbursement(*, request: DisbursementRequest, by) -> list[LedgerEntry]:
    """Pay a host-reviewed request: the project's restricted money first, then unrestricted,
    attributed to earlier gifts first in, first out. The payer is neither the requester nor
    an approving voter. Paying twice is refused; the debits are linked by their source."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.pay_disbursementrequest")
    if request.status in (Status.PAID, Status.RECONCILED):
        raise ValidationError(_("This request has already been paid."))
    if request.status != Status.HOST_REVIEWED:
        raise ValidationError(
            _("Only a request approved by the committee and reviewed by the host can be paid; "
              "this one is %(status)s.")
            % {"status": request.get_status_display()}
        )  # fmt: skip
    if by is not None:
        if by.pk == request.requested_by_id:
            raise ValidationError(_("The person who made the request cannot pay it."))
        if request.votes.filter(member__user=by, choice=Vote.Choice.APPROVE).exists():
            raise ValidationError(_("A committee member who approved the request cannot pay it."))
    source_type, source_id = request.ledger_source
    entries = spend_for_project(
        fund=request.fund,
        project=request.project,
        amount=request.amount,
        source=Source(source_type, source_id),
        public_name=request.project.title[:100],
        memo=request.purpose[:255],
        by=by,
    )
    request.status = Status.PAID
    request.paid_by = by
    request.paid_at = timezone.now()
    request.save(update_fields=["status", "paid_by", "paid_at"])
    _record(request, by)
    return entries


@transaction.atomic
def reconcile_disbursement(
    *, request: DisbursementRequest, by, invoice_file
) -> DisbursementRequest:
    """Attach the invoice after payment; the request is then complete."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.pay_disbursementrequest")
    if request.status != Status.PAID:
        raise _status_error(request, Status.PAID)
    if not invoice_file:
        raise ValidationError({"invoice_file": _("Attach the invoice.")})
    request.invoice_file = invoice_file
    request.status = Status.RECONCILED
    request.reconciled_at = timezone.now()
    request.save(update_fields=["invoice_file", "status", "reconciled_at"])
    _record(request, by)
    return request


# --- Notifications (sent by Celery tasks after commit) ---------------------------------------


def _dashboard_url(fund: Fund) -> str:
    return absolute_url(reverse("funds:dashboard", args=[fund.code]))


@transaction.atomic
def send_vote_invitations(*, request: DisbursementRequest) -> int:
    """Email every member who may vote on ``request`` and has not; once per request."""
    request = _lock_request(request)
    if request.status != Status.VOTING or request.vote_invitations_sent_at is not None:
        return 0
    members = committee_members(request.fund)
    eligible, _recused = eligible_voters(members, request, on=timezone.localdate())
    voted = set(request.votes.values_list("member_id", flat=True))
    recipients = [m.contact_email for m in eligible if m.pk not in voted and m.contact_email]
    subject = _("%(fund)s: a request awaits your vote") % {"fund": request.fund.name}
    body = _(
        "%(project)s asks for %(amount)s: %(purpose)s\nPayee: %(payee)s\n\n"
        "Vote on your committee dashboard: %(url)s"
    ) % {
        "project": request.project.title,
        "amount": format_yuan(request.amount),
        "purpose": request.purpose,
        "payee": request.payee,
        "url": _dashboard_url(request.fund),
    }
    messages = [(subject, body, None, [address]) for address in recipients]
    send_mass_mail(messages)
    request.vote_invitations_sent_at = timezone.now()
    request.save(update_fields=["vote_invitations_sent_at"])
    return len(messages)


@transaction.atomic
def send_decision_notice(*, request: DisbursementRequest) -> int:
    """Email the requester the committee's decision, with the minutes; once per request."""
    request = _lock_request(request)
    if request.decided_at is None or request.decision_notified_at is not None:
        return 0
    requester = request.requested_by
    sent = 0
    if requester.email:
        subject = _("%(fund)s: your request for %(project)s was %(status)s") % {
            "fund": request.fund.name,
            "project": request.project.title,
            "status": request.get_status_display(),
        }
        sent = send_mail(subject, request.minutes, None, [requester.email])
    request.decision_notified_at = timezone.now()
    request.save(update_fields=["decision_notified_at"])
    return sent
