"""Beneficiaries' personal data: encryption at rest, the dedup hash, masking, and who may see
full values.

Encryption, digests and masks are the platform's shared ones (core/personal_data.py);
this module adds what is particular to beneficiaries: the dedup hash and who may see full values.
"""

import datetime
from dataclasses import dataclass, field

from core.personal_data import decrypt, encrypt, keyed_digest, mask_id_number, mask_phone
from core.validators import normalize_resident_id, resident_id_birth_date
from stations.models import StaffMembership, Station

__all__ = ["decrypt", "encrypt", "mask_id_number", "mask_phone", "normalize_resident_id"]


def id_number_hash(id_number: str) -> str:
    """The keyed hash that deduplicates beneficiaries' ID numbers."""
    return keyed_digest(normalize_resident_id(id_number), purpose="projects.beneficiary_id")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def birth_date_from_id(id_number: str) -> datetime.date | None:
    return resident_id_birth_date(normalize_resident_id(id_number))


def gender_from_id(id_number: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return "male" if int(normalize_resident_id(id_number)[16]) % 2 else "female"


@dataclass
class PersonalDataAccess:
    """What one user may see in full, computed once per request (no query per row).

    Full ID numbers and phones are for the director of the beneficiary's station (or above it)
    and for the social workers who lead or work on a project the beneficiary is enrolled in,
    when the beneficiary's station is in their scope. Nobody else, superusers included: they
    run the platform, not cases.
    """

    director_paths: list[str] = field(default_factory=list)
    social_worker_paths: list[str] = field(default_factory=list)
    project_ids: set[int] = field(default_factory=set)

    def may_see_full(self, beneficiary) -> bool:
        path = beneficiary.station.path
        if any(path.startswith(p) for p in self.director_paths):
            return True
        if not any(path.startswith(p) for p in self.social_worker_paths):
            return False
        return bool(self.project_ids & set(beneficiary.enrolled_project_ids()))


def access_for(user) -> PersonalDataAccess:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PersonalDataAccess()
    from .models import Project

    memberships = list(
        StaffMembership.objects.filter(
            user=user,
            role__in=[StaffMembership.Role.DIRECTOR, StaffMembership.Role.SOCIAL_WORKER],
        ).values_list("role", "station__path")
    )
    social_worker_paths = [p for r, p in memberships if r == StaffMembership.Role.SOCIAL_WORKER]
    project_ids: set[int] = set()
    if social_worker_paths:
        project_ids = set(Project.objects.filter(lead=user).values_list("pk", flat=True)) | set(
            Project.team.through.objects.filter(user=user).values_list("project_id", flat=True)
        )
    return PersonalDataAccess(
        director_paths=[p for r, p in memberships if r == StaffMembership.Role.DIRECTOR],
        social_worker_paths=social_worker_paths,
        project_ids=project_ids,
    )


def tree_root_of(station: Station) -> int:
    """The primary key of the top station of ``station``'s tree (the first part of its path)."""
    return int(station.path.strip("/").split("/")[0])
