"""The ledger: posting entries once per source, spending for a project, reversing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.bulk import audited_bulk_create
from core.locks import lock

from ..models import (
    Attribution,
    Campaign,
    Fund,
    LedgerEntry,
)
from ..money import format_yuan, parse_amount, round_money
from ..selectors import (
    available_balance,
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


def check_covered(fund: Fund, project, amount: Decimal) -> Decimal:
    """Refuse an amount the fund cannot pay for ``project`` (restricted to it, then
    unrestricted); return what is restricted to the project."""
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
    return restricted


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
    restricted = check_covered(fund, project, amount)
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
