"""Who sees a beneficiary's full ID number and phone: a permission table for every door (admin
list, change page, "show full", API list and detail, API personal data, Excel export), and the
log of every full view."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.models import BeneficiaryViewLog

from .conftest import register, valid_id

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED_PHONE = "138****5678"

# role -> (may read beneficiaries at all, in scope, may see full values)
TABLE = {
    "director": ("ok", True),  # director of street A, above community A1
    "lead": ("ok", True),  # the project's lead social worker
    "member": ("ok", True),  # on the project's team
    "other_worker": ("ok", False),  # social worker at A1, not on the person's project
    "superuser": ("ok", False),  # runs the platform, not cases
    "finance_officer": ("forbidden", False),  # no permission to read beneficiaries
    "outside_worker": ("outside", False),  # social worker of another street
}


@pytest.fixture
def person(network, team):
    return register(
        network.community_a1,
        recorder=team.lead,
        id_number=valid_id(),
        phone=PHONE,
        name="赵德明",
        project=team.project,
    )


def user_for(role, cast, team):
    return {
        "director": cast.director,
        "lead": team.lead,
        "member": team.member,
        "other_worker": team.other_worker,
        "superuser": cast.superuser,
        "finance_officer": cast.finance_officer,
        "outside_worker": cast.social_worker,
    }[role]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def assert_masked(text: str, person) -> None:
    assert person.id_number not in text
    assert PHONE not in text


@pytest.mark.parametrize("role", TABLE)
def test_admin_list_is_masked_for_every_role(client, cast, team, person, role):
    access, _full = TABLE[role]
    client.force_login(user_for(role, cast, team))
    response = client.get("/admin/projects/beneficiary/")
    html = response.content.decode()
    assert_masked(html, person)
    if access == "forbidden":
        assert response.status_code == 403
    elif access == "outside":
        assert response.status_code == 200 and person.name not in html
    else:
        assert response.status_code == 200
        assert person.id_number_masked in html and MASKED_PHONE in html
    assert not BeneficiaryViewLog.objects.exists()


@pytest.mark.parametrize("role", TABLE)
def test_admin_change_page_is_masked_and_show_full_follows_the_role(
    client, cast, team, person, role
):
    access, full = TABLE[role]
    client.force_login(user_for(role, cast, team))
    change = client.get(f"/admin/projects/beneficiary/{person.pk}/change/")
    assert_masked(change.content.decode(), person)
    response = client.get(f"/admin/projects/beneficiary/{person.pk}/personal-data/")
    html = response.content.decode()
    if access == "outside":
        assert change.status_code == 404 and response.status_code == 404
    elif access == "forbidden":
        assert change.status_code == 403 and response.status_code == 403
    elif full:
        assert change.status_code == 200 and MASKED_PHONE in change.content.decode()
        assert response.status_code == 200
        assert person.id_number in html and PHONE in html
    else:
        assert response.status_code == 403
        assert_masked(html, person)
    logs = list(BeneficiaryViewLog.objects.values_list("user", "action", "beneficiary"))
    expected = [(user_for(role, cast, team).pk, "view", person.pk)] if full else []
    assert logs == expected


@pytest.mark.parametrize("role", TABLE)
def test_api_list_and_detail_are_masked_for_every_role(cast, team, person, role):
    access, _full = TABLE[role]
    client = api(user_for(role, cast, team))
    listing = client.get("/api/v1/beneficiaries/")
    detail = client.get(f"/api/v1/beneficiaries/{person.pk}/")
    assert_masked(listing.content.decode() + detail.content.decode(), person)
    if access == "forbidden":
        assert listing.status_code == 403 and detail.status_code == 403
    elif access == "outside":
        assert listing.json()["results"] == [] and detail.status_code == 404
    else:
        assert listing.status_code == 200 and detail.status_code == 200
        row = detail.json()
        assert row["id_number_masked"] == person.id_number_masked
        assert row["phone_masked"] == MASKED_PHONE
        assert "id_number" not in row and "phone" not in row
        assert "birth_date" not in row  # part of the ID number
    assert not BeneficiaryViewLog.objects.exists()


@pytest.mark.parametrize("role", TABLE)
def test_api_personal_data_follows_the_role_and_is_logged(cast, team, person, role):
    access, full = TABLE[role]
    user = user_for(role, cast, team)
    response = api(user).get(f"/api/v1/beneficiaries/{person.pk}/personal-data/")
    if access == "outside":
        assert response.status_code == 404
    elif full:
        assert response.status_code == 200
        assert response.json() == {"id_number": person.id_number, "phone": PHONE}
    else:
        assert response.status_code == 403
        assert_masked(response.content.decode(), person)
        assert response.json()["error"]["message"]
    logs = list(BeneficiaryViewLog.objects.values_list("user", "action", "beneficiary"))
    assert logs == ([(user.pk, "api", person.pk)] if full else [])


@pytest.mark.parametrize("role", TABLE)
def test_excel_export_is_full_only_for_roles_that_need_it(client, cast, team, person, role):
    access, full = TABLE[role]
    user = user_for(role, cast, team)
    client.force_login(user)
    response = client.post(
        "/admin/projects/beneficiary/",
        {"action": "export_xlsx", "_selected_action": [person.pk]},
    )
    if access in ("forbidden",):
        assert response.status_code == 403
        return
    if access == "outside":
        # The selection is filtered through the scope: the person is not in the file.
        assert response.status_code in (200, 302)
        assert not BeneficiaryViewLog.objects.exists()
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "性别", "年龄", "身份证号", "电话")
    assert rows[1][0] == "赵德明"
    if full:
        assert rows[1][3] == person.id_number and rows[1][4] == PHONE
    else:
        assert rows[1][3] == person.id_number_masked and rows[1][4] == MASKED_PHONE
    logs = list(BeneficiaryViewLog.objects.values_list("user", "action", "beneficiary"))
    assert logs == ([(user.pk, "export", person.pk)] if full else [])


def test_the_view_log_is_visible_to_the_director_in_the_admin(client, cast, team, person):
    client.force_login(team.lead)
    client.get(f"/admin/projects/beneficiary/{person.pk}/personal-data/")
    client.force_login(cast.director)
    html = client.get("/admin/projects/beneficiaryviewlog/").content.decode()
    assert "lead-a1" in html and "在后台查看" in html
    assert client.get(f"/admin/projects/beneficiaryviewlog/{1}/delete/").status_code in (403, 404)


def test_admin_search_finds_a_person_by_full_id_number_or_phone(client, cast, team, person):
    # The ID number is found through its keyed hash: the stored value is never decrypted.
    client.force_login(team.lead)
    for term in (person.id_number, PHONE):
        html = client.get("/admin/projects/beneficiary/", {"q": term}).content.decode()
        assert "赵德明" in html and person.id_number_masked in html
    html = client.get("/admin/projects/beneficiary/", {"q": valid_id()}).content.decode()
    assert "赵德明" not in html
