"""Needs assessments: what a station found a community needs."""

import datetime
from collections.abc import Sequence

from django.db import transaction

from stations.models import Station

from ..models import (
    AssessedNeed,
    NeedsAssessment,
)
from .checks import _check_scope

# --- needs assessments -------------------------------------------------------------------------


@transaction.atomic
def create_needs_assessment(
    *,
    by,
    station: Station,
    title: str,
    method: str,
    date: datetime.date,
    findings: str,
    respondents_count: int = 0,
    respondents: str = "",
    needs: Sequence[dict] = (),
) -> NeedsAssessment:
    """Record an assessment and the needs it found (each: category, description, priority)."""
    _check_scope(by=by, station=station)
    assessment = NeedsAssessment(
        station=station,
        title=title,
        method=method,
        date=date,
        findings=findings,
        respondents_count=respondents_count,
        respondents=respondents,
        recorded_by=by,
    )
    assessment.full_clean()
    assessment.save()
    for need in needs:
        row = AssessedNeed(assessment=assessment, **need)
        row.full_clean()
        row.save()
    return assessment
