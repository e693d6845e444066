"""Reads: balances and traces from the ledger (each one aggregate query), committees, requests."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import StaffMembership
from stations.scoping import scope_queryset, visible_stations

from .models import (
    Attribution,
    Campaign,
    Committee,
    CommitteeMember,
    DisbursementRequest,
    Fund,
    LedgerEntry,
    Vote,
    normalize_payee,
)
from .money import MONEY_FIELD, ZERO, round_money

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _entries(fund: Fund, as_of: datetime.datetime | None) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.filter(fund=fund)
    return entries.filter(posted_at__lte=as_of) if as_of else entries


def fund_balances(fund: Fund, *, as_of: datetime.datetime | None = None) -> dict:
    """Total, unrestricted and restricted balance of ``fund`` (as of a moment), one query."""
    totals = _entries(fund, as_of).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD),
        unrestricted=Coalesce(
            Sum("amount", filter=Q(project__isnull=True)), Value(ZERO), output_field=MONEY_FIELD
        ),
    )
    # Rounded to the fen: SQLite (quick local runs) sums decimals as floating point.
    total, unrestricted = round_money(totals["total"]), round_money(totals["unrestricted"])
    return {"total": total, "unrestricted": unrestricted, "restricted": total - unrestricted}


def fund_balance(fund: Fund, *, as_of: datetime.datetime | None = None) -> Decimal:
    return fund_balances(fund, as_of=as_of)["total"]


def restricted_balances(
    fund: Fund, *, as_of: datetime.datetime | None = None
) -> dict[int, Decimal]:
    """{project id: balance restricted to that project} for every project with entries."""
    rows = (
        _entries(fund, as_of)
        .filter(project__isnull=False)
        .values("project")
        .annotate(balance=Sum("amount"))
        .order_by("project")
    )
    return {row["project"]: round_money(row["balance"]) for row in rows}


def available_balance(fund: Fund, *, project_id: int | None) -> Decimal:
    """The balance restricted to ``project_id``, or the unrestricted balance when None."""
    # django-stubs types an FK's ``_id`` lookup without None, which Django reads as IS NULL.
    balance = LedgerEntry.objects.filter(fund=fund, project_id=project_id).aggregate(  # type: ignore[misc]
        balance=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD)
    )["balance"]
    return round_money(balance)


class _Used(TypedDict):
    used: Decimal


def unspent_credits(
    fund: Fund, *, project_id: int | None
) -> "QuerySet[WithAnnotations[LedgerEntry, _Used]]":
    """Credits of one restriction that are not yet fully attributed, oldest first."""
    return (
        # django-stubs types an FK's ``_id`` lookup without None, which Django reads as IS NULL.
        LedgerEntry.objects.filter(fund=fund, project_id=project_id, amount__gt=0)  # type: ignore[misc]
        .annotate(
            used=Coalesce(
                Sum("attributions_as_credit__amount"), Value(ZERO), output_field=MONEY_FIELD
            )
        )
        .filter(amount__gt=F("used"))
        .order_by("posted_at", "pk")
    )


def where_credits_went(credit_ids: list[int]) -> QuerySet[Attribution]:
    """The attributions of these credits to debits (money out), with the debit entries."""
    return (
        Attribution.objects.filter(credit_id__in=credit_ids)
        .select_related("debit", "debit__project", "debit__fund")
        .order_by("debit__posted_at", "pk")
    )


# --- Committees and requests ----------------------------------------------------------------


def committee_members(fund: Fund) -> list[CommitteeMember]:
    """Every seat on the fund's committee, with declared project ties, in two queries."""
    return list(
        CommitteeMember.objects.filter(committee__fund=fund)
        .select_related("user")
        .prefetch_related("tied_projects")
        .order_by("role", "name")
    )


def serving_members(members: list[CommitteeMember], *, on: datetime.date) -> list:
    return [member for member in members if member.serves_on(on)]


def composition_problems(
    fund: Fund,
    *,
    members: list[CommitteeMember] | None = None,
    on: datetime.date | None = None,
) -> list[str]:
    """What is wrong with the committee under the fund's rules; empty when voting may go on."""
    day = on or timezone.localdate()
    if members is None:
        if not Committee.objects.filter(fund=fund).exists():
            return [_("This fund has no committee yet.")]
        members = committee_members(fund)
    serving = serving_members(members, on=day)
    voting = [member for member in serving if member.is_voting]
    problems = []
    if len(voting) < fund.min_voting_members:
        problems.append(
            _(
                "The committee has %(count)s voting members in office; "
                "at least %(minimum)s are needed."
            )
            % {"count": len(voting), "minimum": fund.min_voting_members}
        )
    if fund.require_odd_voting_members and len(voting) % 2 == 0:
        problems.append(
            _("The committee has %(count)s voting members; it needs an odd number.")
            % {"count": len(voting)}
        )
    if fund.require_supervisor and not any(
        member.role == CommitteeMember.Role.SUPERVISOR for member in serving
    ):
        problems.append(_("The committee needs a supervisor in office."))
    return problems


def recusal_reason(member: CommitteeMember, request: DisbursementRequest) -> str | None:
    """Why ``member`` may not vote on ``request`` (declared ties, or being the requester)."""
    if member.user_id is not None and member.user_id == request.requested_by_id:
        return _("%(name)s made this request.") % {"name": member.name}
    if any(project.pk == request.project_id for project in member.tied_projects.all()):
        return _("%(name)s declared a tie to this project.") % {"name": member.name}
    if normalize_payee(request.payee) in member.payee_names:
        return _("%(name)s declared a tie to the payee.") % {"name": member.name}
    return None


def eligible_voters(
    members: list[CommitteeMember], request: DisbursementRequest, *, on: datetime.date
) -> tuple[list[CommitteeMember], list[tuple[CommitteeMember, str]]]:
    """(members who vote on ``request``, [(recused member, reason)])."""
    eligible, recused = [], []
    for member in serving_members(members, on=on):
        if not member.is_voting:
            continue
        reason = recusal_reason(member, request)
        if reason:
            recused.append((member, reason))
        else:
            eligible.append(member)
    return eligible, recused


def quorum_for(fund: Fund, eligible_count: int) -> int:
    """The number of votes (abstentions included) needed before a decision: ceil(n × q)."""
    return -(-eligible_count * fund.quorum_numerator // fund.quorum_denominator)


def requests_visible_to(user) -> QuerySet[DisbursementRequest]:
    """Requests at the user's stations, plus those of funds whose committee the user sits on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return DisbursementRequest.objects.none()
    scoped = scope_queryset(DisbursementRequest.objects.all(), user)
    return DisbursementRequest.objects.filter(
        Q(pk__in=scoped.values("pk")) | Q(fund__committee__members__user=user)
    ).distinct()


def funds_for_requests(user) -> QuerySet[Fund]:
    """Active funds the user may ask to pay: those at or above one of the user's stations."""
    funds = Fund.objects.filter(status=Fund.Status.ACTIVE)
    if getattr(user, "is_superuser", False):
        return funds
    covering = StaffMembership.objects.filter(
        user=user, station__path__startswith=OuterRef("station__path")
    )
    return funds.filter(Q(Exists(covering)) | Q(station__in=visible_stations(user)))


def paid_entries_of(request: DisbursementRequest) -> QuerySet[LedgerEntry]:
    """The debit entries that paid ``request`` (restricted part first)."""
    source_type, source_id = request.ledger_source
    return LedgerEntry.objects.filter(
        source_type=source_type, source_id=source_id, kind=LedgerEntry.Kind.DISBURSEMENT
    ).order_by("source_part")


def campaigns_with_raised(queryset: QuerySet[Campaign] | None = None) -> QuerySet[Campaign]:
    """Campaigns annotated with ``raised``: the sum of every ledger entry posted for them."""
    queryset = Campaign.objects.all() if queryset is None else queryset
    raised = (
        LedgerEntry.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.select_related("host", "lead_fund").annotate(
        raised=Coalesce(
            Subquery(raised, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
        )
    )


def tally(request: DisbursementRequest) -> list[Vote]:
    return list(request.votes.select_related("member").order_by("cast_at", "pk"))
