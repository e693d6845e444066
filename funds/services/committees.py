"""Committees: seats and their members."""

import datetime

from django.db import transaction

from ..models import (
    Committee,
    CommitteeMember,
    Fund,
)

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
