"""Exports of a station's volunteers and service records (XLSX, CSV) with headers in the active
language (Chinese by default, as the national volunteer system takes them) and masked personal
data."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.people import display_name
from core.personal_data import mask_phone

from .models import ServiceRecord, Skill, Volunteer
from .selectors import star_level


def volunteer_headers() -> list[str]:
    return [
        pgettext("volunteer export", "Volunteer number"),
        pgettext("volunteer export", "Name"),
        pgettext("volunteer export", "Gender"),
        pgettext("volunteer export", "Date of birth"),
        pgettext("volunteer export", "Mobile number"),
        pgettext("volunteer export", "ID number"),
        pgettext("volunteer export", "Home station"),
        pgettext("volunteer export", "Skills"),
        pgettext("volunteer export", "Status"),
        pgettext("volunteer export", "Verified hours"),
        pgettext("volunteer export", "Stars"),
        pgettext("volunteer export", "Registered on"),
    ]


def record_headers() -> list[str]:
    return [
        pgettext("volunteer export", "Volunteer number"),
        pgettext("volunteer export", "Name"),
        pgettext("volunteer export", "Station served"),
        pgettext("volunteer export", "Service content"),
        pgettext("volunteer export", "Started at"),
        pgettext("volunteer export", "Ended at"),
        pgettext("volunteer export", "Hours"),
        pgettext("volunteer export", "Source"),
        pgettext("volunteer export", "Status"),
        pgettext("volunteer export", "Verified by"),
        pgettext("volunteer export", "Verified at"),
    ]


_SKILL_LABELS = dict(Skill.choices)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def volunteer_rows(volunteers: Iterable[Volunteer]) -> Iterable[list]:
    for volunteer in volunteers:
        hours = getattr(volunteer, "verified_hours", 0)
        yield [
            volunteer.number,
            volunteer.real_name,
            volunteer.get_gender_display(),
            volunteer.birth_date.isoformat(),
            mask_phone(volunteer.mobile),
            volunteer.id_number_masked,
            volunteer.home_station.name,
            "、".join(str(_SKILL_LABELS.get(skill, skill)) for skill in volunteer.skills),
            volunteer.get_status_display(),
            f"{hours:.2f}",
            "★" * star_level(hours),
            timezone.localtime(volunteer.created_at).date().isoformat(),
        ]


def record_rows(records: Iterable[ServiceRecord]) -> Iterable[list]:
    for record in records:
        verifier = record.verified_by
        yield [
            record.volunteer.number,
            record.volunteer.real_name,
            record.station.name,
            record.description,
            _local(record.started_at),
            _local(record.ended_at),
            f"{record.hours:.2f}",
            record.get_source_display(),
            record.get_status_display(),
            display_name(verifier) if verifier else "",
            _local(record.verified_at),
        ]


def to_xlsx(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) * 2 + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    # A byte-order mark so Excel on Windows opens the Chinese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
