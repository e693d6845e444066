"""Every write of in-kind goods: receiving goods into a station's store, giving them out,
adjusting stock. Each function is one transaction and raises ValidationError with a message
staff can act on; nothing is saved when it does.

Stock rule: a lot's ``remaining`` changes only here, with the lot row locked
(``SELECT ... FOR UPDATE``), and never goes below zero (also a database constraint).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock
from projects import services as project_services
from projects.models import AssistanceRecord, Beneficiary, Project, ServiceActivity

from . import receipt_numbers
from .models import (
    QUANTITY,
    DonationPoint,
    GoodsDonation,
    GoodsItem,
    GoodsMovement,
    goods_receipt_series,
)
from .services import clean_amount, clean_mobile, clean_text, match_donor

_QUANTUM = Decimal(1).scaleb(-QUANTITY["decimal_places"])
_MAX_QUANTITY = Decimal(10) ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"])


def clean_quantity(value, *, field: str = "quantity") -> Decimal:
    """A positive quantity with at most three decimals (0.5 公斤 is fine, 0 or -1 is not)."""
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise ValidationError({field: _("Enter a quantity as a number, such as 10 or 2.5.")})
    if quantity <= 0:
        raise ValidationError({field: _("The quantity must be greater than zero.")})
    if quantity != quantity.quantize(_QUANTUM) or quantity >= _MAX_QUANTITY:
        raise ValidationError(
            {field: _("A quantity has at most three decimals and fewer than ten digits.")}
        )
    return quantity


@dataclass(frozen=True)
class ItemLine:
    """One line of goods as staff type it."""

    category: str
    name: str
    quantity: object
    unit: str
    condition: str = GoodsItem.Condition.NEW
    expiry_date: datetime.date | None = None
    value: object = None


def _clean_item(line: ItemLine, index: int) -> dict:
    label = _("Item %(n)d") % {"n": index + 1}
    try:
        if line.category not in GoodsItem.Category.values:
            raise ValidationError({"category": _("Choose the category of the goods.")})
        if line.condition not in GoodsItem.Condition.values:
            raise ValidationError({"condition": _("Choose the condition: new, good or usable.")})
        name = clean_text(line.name, field="name", max_length=100, label=_("The item name"))
        if not name:
            raise ValidationError({"name": _("Name the goods, such as 大米 or 羽绒服.")})
        unit = clean_text(line.unit, field="unit", max_length=10, label=_("The unit"))
        if not unit:
            raise ValidationError({"unit": _("Give the unit, such as 件, 箱, 袋 or 公斤.")})
        value = None
        if line.value not in (None, ""):
            value = clean_amount(line.value, online=False)
        return {
            "category": line.category,
            "name": name,
            "quantity": clean_quantity(line.quantity),
            "unit": unit,
            "condition": line.condition,
            "expiry_date": line.expiry_date or None,
            "value": value,
        }
    except ValidationError as error:
        messages = [f"{label}: {m}" for m in error.messages]
        raise ValidationError({"items": messages}) from None


@transaction.atomic
def record_goods_donation(
    *,
    by,
    point: DonationPoint,
    items: list[ItemLine],
    donor_name: str = "",
    is_anonymous: bool = False,
    mobile: str = "",
    received_at: datetime.datetime | None = None,
    note: str = "",
) -> GoodsDonation:
    """Goods received at ``point``: the donation gets the next goods receipt number of its
    station (gapless per year), each item becomes a stock lot of the station with an incoming
    movement. A mobile number finds the donor it belongs to (one donor per person)."""
    if not items:
        raise ValidationError({"items": _("List at least one item received.")})
    cleaned = [_clean_item(line, index) for index, line in enumerate(items)]
    donor_name = clean_text(donor_name, field="donor_name", max_length=100, label=_("The name"))
    note = clean_text(note, field="note", max_length=255, label=_("The note"))
    mobile = clean_mobile(mobile)
    if not donor_name and not mobile:
        is_anonymous = True
    received_at = received_at or timezone.now()
    station = point.station
    series = goods_receipt_series(station)
    year = timezone.localtime(received_at).year
    sequence = receipt_numbers.next_sequence(series=series, year=year)
    donation = GoodsDonation.objects.create(
        point=point,
        donor=match_donor(mobile=mobile, name=donor_name),
        donor_name=donor_name,
        is_anonymous=is_anonymous,
        received_at=received_at,
        received_by=by,
        receipt_series=series,
        receipt_year=year,
        receipt_sequence=sequence,
        receipt_number=receipt_numbers.format_number(series, year, sequence),
        note=note,
    )
    on = timezone.localtime(received_at).date()
    for fields in cleaned:
        lot = GoodsItem.objects.create(
            donation=donation, station=station, remaining=fields["quantity"], **fields
        )
        GoodsMovement.objects.create(
            lot=lot, kind=GoodsMovement.Kind.RECEIVED, change=lot.quantity, moved_on=on, by=by
        )
    return donation


def _lock_lot(lot: GoodsItem) -> GoodsItem:
    return lock(GoodsItem.objects).select_related("station").get(pk=lot.pk)


def _same_tree(lot: GoodsItem, station, *, field: str, message: str) -> None:
    """Goods go to the lot's station, a station below it or one above it (its own line of the
    network), never across to a sister station's people."""
    if not (station.path.startswith(lot.station.path) or lot.station.path.startswith(station.path)):
        raise ValidationError({field: message})


def _take(lot: GoodsItem, quantity: Decimal) -> None:
    if quantity > lot.remaining:
        raise ValidationError(
            {"quantity": _("Only %(left)s %(unit)s of %(name)s are left in stock.")
             % {"left": f"{lot.remaining.normalize():f}", "unit": lot.unit, "name": lot.name}}
        )  # fmt: skip
    lot.remaining -= quantity
    lot.save(update_fields=["remaining"])


@transaction.atomic
def distribute_goods(
    *,
    by,
    lot: GoodsItem,
    quantity,
    beneficiary: Beneficiary | None = None,
    project: Project | None = None,
    activity: ServiceActivity | None = None,
    on: datetime.date | None = None,
    note: str = "",
) -> GoodsMovement:
    """Give ``quantity`` of a lot out: to a beneficiary (through a project, which records the
    beneficiary's assistance of kind goods), to a project activity, or to a project.

    The lot row is locked, so two distributions of the last unit at once cannot both succeed:
    the second sees what the first left. Refused, with nothing saved, when the stock is short.
    """
    quantity = clean_quantity(quantity)
    note = clean_text(note, field="note", max_length=255, label=_("The note"))
    on = on or timezone.localdate()
    if activity is not None:
        project = project or activity.project
        if activity.project_id != project.pk:
            raise ValidationError({"activity": _("This activity belongs to another project.")})
    if project is None:
        raise ValidationError({"project": _("Choose the project the goods are given through.")})
    lot = _lock_lot(lot)
    _same_tree(
        lot, project.station, field="project",
        message=_("This project is run by a station outside the line of the goods' station."),
    )  # fmt: skip
    assistance = None
    if beneficiary is not None:
        _same_tree(
            lot, beneficiary.station, field="beneficiary",
            message=_("This beneficiary is registered at a station outside the line of the goods' station."),
        )  # fmt: skip
        kind = GoodsMovement.Kind.TO_BENEFICIARY
    elif activity is not None:
        kind = GoodsMovement.Kind.TO_ACTIVITY
    else:
        kind = GoodsMovement.Kind.TO_PROJECT
    _take(lot, quantity)
    if beneficiary is not None:
        assistance = project_services.record_assistance(
            project=project,
            beneficiary=beneficiary,
            by=by,
            date=on,
            kind=AssistanceRecord.Kind.GOODS,
            amount=_share_of_value(lot, quantity),
            description=f"{lot.name} {quantity.normalize():f}{lot.unit}",
        )
    return GoodsMovement.objects.create(
        lot=lot,
        kind=kind,
        change=-quantity,
        beneficiary=beneficiary,
        project=project,
        activity=activity,
        assistance=assistance,
        reason=note,
        moved_on=on,
        by=by,
    )


def _share_of_value(lot: GoodsItem, quantity: Decimal) -> Decimal | None:
    """The confirmed value of what is given, when the lot's value is confirmed."""
    if lot.value is None:
        return None
    share = (lot.value * quantity / lot.quantity).quantize(Decimal("0.01"))
    return share if share > 0 else None


@transaction.atomic
def adjust_stock(*, by, lot: GoodsItem, change, reason: str) -> GoodsMovement:
    """Correct a lot's stock (spoiled, lost, counted again) with the reason; never below zero."""
    reason = clean_text(reason, field="reason", max_length=255, label=_("The reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    try:
        signed = Decimal(str(change).strip())
    except (InvalidOperation, ValueError):
        signed = None
    if signed is None or not signed.is_finite() or signed == 0:
        raise ValidationError(
            {"change": _("Enter the change as a number other than zero, such as -2 or 3.")}
        )
    amount = clean_quantity(abs(signed), field="change")
    lot = _lock_lot(lot)
    if signed < 0:
        _take(lot, amount)
    else:
        lot.remaining += amount
        lot.save(update_fields=["remaining"])
    return GoodsMovement.objects.create(
        lot=lot,
        kind=GoodsMovement.Kind.ADJUSTMENT,
        change=amount if signed > 0 else -amount,
        reason=reason,
        moved_on=timezone.localdate(),
        by=by,
    )
