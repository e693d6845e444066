"""Registering beneficiaries: ID validation, encryption at rest, deduplication per station tree,
consent rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from projects import personal_data
from projects.models import Beneficiary
from stations.models import Station
from tests.factories import make_station

from .conftest import register, valid_id, years_ago

pytestmark = pytest.mark.django_db


def test_the_id_number_is_encrypted_at_rest_and_deduplicated_by_a_keyed_hash(network, team):
    id_number = valid_id(datetime.date(1948, 5, 9))
    person = register(network.community_a1, recorder=team.lead, id_number=id_number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM projects_beneficiary WHERE id = %s", [person.pk])
        raw_row = " ".join(str(value) for value in cursor.fetchone())
    assert id_number not in raw_row and id_number[6:14] not in raw_row
    stored = Beneficiary.objects.get(pk=person.pk)
    assert stored.id_number == id_number
    assert stored.id_number_masked == id_number[:6] + "********" + id_number[-4:]
    assert stored.birth_date == datetime.date(1948, 5, 9)
    assert stored.gender == ("male" if int(id_number[16]) % 2 else "female")
    # Keyed: the plain SHA-256 of the number (a dictionary attack) is not what is stored.
    import hashlib

    assert stored.id_number_hash != hashlib.sha256(id_number.encode()).hexdigest()
    assert stored.id_number_hash == personal_data.id_number_hash(id_number.lower())


def test_masks():
    assert personal_data.mask_id_number("11010519491231002x") == "110105********002X"
    assert personal_data.mask_phone("138 1234 5678") == "138****5678"
    assert personal_data.mask_phone("+86 13812345678") == "138****5678"
    assert personal_data.mask_phone("020-12345678") == "020****5678"


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("440106194805090011", "校验位"),  # wrong check digit (unless it happens to match)
        ("440106194802300012", "出生日期"),  # 30 February
        ("44010619480509", "18"),
    ],
)
def test_an_invalid_id_number_is_refused_and_nothing_saved(network, team, id_number, message):
    from core.validators import resident_id_check_char

    if id_number.startswith("4401061948050900") and len(id_number) == 18:
        good = resident_id_check_char(id_number[:17])
        id_number = id_number[:17] + ("0" if good != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, id_number=id_number)
    assert message in " ".join(refused.value.message_dict["id_number"])
    assert not Beneficiary.objects.exists()


def test_an_invalid_phone_is_refused(network, team):
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, phone="12345")
    assert "phone" in refused.value.message_dict
    assert not Beneficiary.objects.exists()


def test_a_person_is_registered_once_per_station_tree(network, team):
    id_number = valid_id()
    register(network.community_a1, recorder=team.lead, id_number=id_number, name="李桂兰")
    with pytest.raises(ValidationError) as refused:
        register(network.community_b1, recorder=team.lead, id_number=id_number, name="李桂兰")
    message = " ".join(refused.value.message_dict["id_number"])
    assert network.community_a1.name in message  # names where the record already is
    assert "李桂兰" not in message and id_number not in message
    assert Beneficiary.objects.count() == 1


def test_another_station_tree_registers_the_same_person_separately(network, team):
    id_number = valid_id()
    register(network.community_a1, recorder=team.lead, id_number=id_number)
    other_district = make_station(level=Station.Level.DISTRICT, name="越秀区", code="yuexiu")
    other_street = make_station(level=Station.Level.STREET, parent=other_district, name="北京街")
    other = register(other_street, recorder=team.lead, id_number=id_number)
    assert other.tree_root_id == other_district.pk
    # A duplicate inside the other tree names only that tree's station, never the first tree's.
    with pytest.raises(ValidationError) as refused:
        register(other_district, recorder=team.lead, id_number=id_number)
    message = " ".join(refused.value.messages)
    assert "北京街" in message
    for name in (network.community_a1.name, network.street_a.name, network.district.name):
        assert name not in message


def test_changing_to_an_id_number_already_registered_is_refused(network, team):
    from projects import services

    first = register(network.community_a1, recorder=team.lead)
    second = register(network.community_a2, recorder=team.lead)
    with pytest.raises(ValidationError) as refused:
        services.update_beneficiary(beneficiary=second, by=None, id_number=first.id_number)
    assert network.community_a1.name in " ".join(refused.value.messages)
    assert Beneficiary.objects.get(pk=second.pk).id_number == second.id_number


def test_no_consent_nothing_saved(network, team):
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, consent_date=None)
    assert "consent_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, consent_method="")
    assert "consent_method" in refused.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        register(network.community_a1, recorder=team.lead, consent_date=tomorrow)
    assert not Beneficiary.objects.exists()


def test_consent_records_who_took_it(network, team):
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=None)
    assert "consent_recorded_by" in refused.value.message_dict
    person = register(network.community_a1, recorder=None, by=team.lead)
    assert person.consent_recorded_by == team.lead and person.registered_by == team.lead


def test_a_child_under_14_needs_a_guardians_consent(network, team):
    child_id = valid_id(years_ago(13, days=300))
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, id_number=child_id)
    assert "监护人" in " ".join(refused.value.message_dict["guardian_name"])
    with pytest.raises(ValidationError):  # a name without the guardian's consent is not enough
        register(
            network.community_a1,
            recorder=team.lead,
            id_number=child_id,
            guardian_name="王建华",
            guardian_relationship="父亲",
        )
    assert not Beneficiary.objects.exists()
    child = register(
        network.community_a1,
        recorder=team.lead,
        id_number=child_id,
        guardian_name="王建华",
        guardian_relationship="父亲",
        guardian_consent=True,
    )
    assert child.age_on(timezone.localdate()) == 13


def test_a_fourteen_year_old_consents_alone(network, team):
    teen = register(network.community_a1, recorder=team.lead, id_number=valid_id(years_ago(14)))
    assert teen.guardian_name == ""


def test_categories_are_saved(network, team):
    person = register(
        network.community_a1,
        recorder=team.lead,
        categories=["minimum_subsistence", "elderly_alone"],
    )
    assert {c.category for c in person.categories.all()} == {
        "minimum_subsistence",
        "elderly_alone",
    }
    with pytest.raises(ValidationError):
        register(network.community_a1, recorder=team.lead, categories=["rich"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_leave_one_row(network, team):
    import threading

    id_number = valid_id()
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(station):
        from django.db import connections

        try:
            barrier.wait()
            register(station, recorder=team.lead, id_number=id_number)
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(s,))
        for s in (network.community_a1, network.community_a2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("saved") == 1, outcomes
    refused = next(outcome for outcome in outcomes if outcome != "saved")
    assert "已在" in refused and "登记" in refused
    assert Beneficiary.objects.count() == 1


def test_an_id_number_typed_in_full_width_mode_is_the_same_person(network, team):
    id_number = valid_id()
    register(network.community_a1, recorder=team.lead, id_number=id_number)
    full_width = id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    with pytest.raises(ValidationError) as refused:
        register(network.community_a1, recorder=team.lead, id_number=full_width)
    assert network.community_a1.name in " ".join(refused.value.message_dict["id_number"])
    assert Beneficiary.objects.count() == 1
