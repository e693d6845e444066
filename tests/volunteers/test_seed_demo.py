import pytest
from django.core.management import call_command

from volunteers.models import Certificate, Opportunity, ServiceRecord, Shift, Signup, Volunteer
from volunteers.selectors import hours_of

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Volunteer, Opportunity, Shift, Signup, ServiceRecord, Certificate)
    ]


def test_seed_demo_builds_volunteers_and_is_idempotent(capsys):
    call_command("seed_demo", force=True)
    first = counts()
    assert 95 <= first[0] <= 110
    minors = [v for v in Volunteer.objects.all() if v.age_on(v.created_at.date()) < 18]
    assert minors and all(v.guardian_consent_at for v in minors)
    assert Shift.objects.filter(signups__service_record__isnull=False).exists()
    assert Signup.objects.filter(status="waitlisted").exists()
    assert ServiceRecord.objects.filter(status="verified").exists()
    assert ServiceRecord.objects.filter(status="pending").exists()
    assert Certificate.objects.count() == 1
    demo = Volunteer.objects.get(mobile="13900000001")
    assert demo.user.check_password("demo-pass-2026") and hours_of(demo).stars >= 1
    assert "13900000001" in capsys.readouterr().out
    call_command("seed_demo", force=True)
    assert counts() == first
