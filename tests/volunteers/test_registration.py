"""Registration at /volunteer/join/: real name, consent, guardians of minors, one per mobile."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from stations.models import Station
from tests.volunteers.conftest import PASSWORD, birth_for_age, make_volunteer, valid_id_number
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

JOIN = "/volunteer/join/"


@pytest.fixture
def join_data(network):
    Station.objects.filter(pk=network.community_a1.pk).update(offers_volunteer_service=True)
    birth = birth_for_age(35)
    return {
        "real_name": "陈晓明",
        "gender": "male",
        "birth_date": birth.isoformat(),
        "mobile": "138 1234 5678",
        "password": PASSWORD,
        "id_number": valid_id_number(birth).lower(),
        "home_station": network.community_a1.pk,
        "skills": ["elderly_care", "it"],
        "availability": ["weekend"],
        "emergency_contact_name": "陈太太",
        "emergency_contact_phone": "13900001111",
        "privacy_consent": "on",
    }


def test_resident_registers_and_waits_for_review(client, join_data):
    response = client.post(JOIN, join_data)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.mobile == "13812345678"  # normalised
    assert volunteer.status == Volunteer.Status.PENDING
    assert volunteer.skills == ["elderly_care", "it"]
    assert volunteer.privacy_consent_at is not None
    assert volunteer.user.username == volunteer.number
    assert volunteer.user.check_password(PASSWORD)
    assert (
        volunteer.id_number_masked
        == join_data["id_number"].upper()[:6] + "********" + join_data["id_number"].upper()[-4:]
    )
    page = client.get(response["Location"]).content.decode()
    assert volunteer.number in page and "审核" in page


def test_id_number_is_encrypted_at_rest(join_data, client):
    client.post(JOIN, join_data)
    volunteer = Volunteer.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM volunteers_volunteer WHERE id = %s", [volunteer.pk])
        (stored,) = cursor.fetchone()
    plain = join_data["id_number"].upper()
    assert plain not in stored and plain[-4:] not in stored
    assert Volunteer.objects.get().id_number == plain


def _refused(client, data, message: str):
    count = Volunteer.objects.count()
    response = client.post(JOIN, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html, html[html.find("vol-error") - 200 : html.find("vol-error") + 400]
    assert Volunteer.objects.count() == count
    return html


def test_a_mobile_number_already_registered_is_refused(client, join_data, network):
    make_volunteer(network.community_a2, mobile="13812345678")
    _refused(client, {**join_data, "id_number": ""}, "该手机号已登记为志愿者")


def test_a_birth_date_in_the_future_is_refused(client, join_data):
    future = timezone.localdate() + datetime.timedelta(days=3)
    _refused(
        client,
        {**join_data, "birth_date": future.isoformat(), "id_number": ""},
        "出生日期不能晚于今天",
    )


def test_a_minor_without_guardian_consent_is_refused(client, join_data):
    birth = birth_for_age(16)
    data = {**join_data, "birth_date": birth.isoformat(), "id_number": ""}
    _refused(client, data, "未满18周岁的志愿者需要登记监护人的姓名、电话并取得其同意")
    data |= {"guardian_name": "陈父", "guardian_phone": "13911112222", "guardian_consent": "on"}
    assert client.post(JOIN, data).status_code == 302
    assert Volunteer.objects.get().guardian_consent_at is not None


def test_a_child_under_14_also_needs_consent_to_data_processing(client, join_data):
    birth = birth_for_age(12)
    data = {
        **join_data,
        "birth_date": birth.isoformat(),
        "id_number": "",
        "guardian_name": "陈父",
        "guardian_phone": "13911112222",
        "guardian_consent": "on",
    }
    _refused(client, data, "未满14周岁的儿童，监护人还须同意处理其个人信息")
    assert client.post(JOIN, {**data, "guardian_data_consent": "on"}).status_code == 302


def test_guardian_ages_are_configurable(client, join_data, settings):
    settings.VOLUNTEERS_GUARDIAN_CONSENT_AGE = 21
    data = {**join_data, "birth_date": birth_for_age(19).isoformat(), "id_number": ""}
    _refused(client, data, "未满21周岁的志愿者需要登记监护人")


def test_bad_id_number_and_missing_consent_are_refused(client, join_data):
    wrong_check = join_data["id_number"][:-1] + ("0" if join_data["id_number"][-1] != "0" else "1")
    # The validators' messages come from the stations app's catalogue; here: the field is marked.
    _refused(client, {**join_data, "id_number": wrong_check}, 'id="id_id_number_error"')
    other_birth = valid_id_number(birth_for_age(50))
    _refused(
        client,
        {**join_data, "id_number": other_birth},
        "身份证号中的出生日期与填写的出生日期不一致",
    )
    data = dict(join_data)
    del data["privacy_consent"]
    _refused(client, data, "请阅读并同意隐私政策后再登记")
    _refused(client, {**join_data, "mobile": "12345"}, 'id="id_mobile_error"')
    _refused(client, {**join_data, "password": "12345678"}, 'id="id_password_error"')


def test_form_without_csrf_token_is_refused(join_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(JOIN, join_data)
    assert response.status_code == 403
    assert not Volunteer.objects.exists()


def test_join_posts_are_rate_limited(client, join_data, settings):
    settings.VOLUNTEERS_PUBLIC_POST_RATE = "2/m"
    bad = {**join_data, "mobile": "1"}
    assert client.post(JOIN, bad).status_code == 400
    assert client.post(JOIN, bad).status_code == 400
    assert client.post(JOIN, join_data).status_code == 429
    assert not Volunteer.objects.exists()


def test_volunteer_signs_in_with_mobile_and_password(client, volunteer):
    response = client.post("/volunteer/login/", {"mobile": volunteer.mobile, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/volunteer/me/"
    assert volunteer.real_name in client.get("/volunteer/me/").content.decode()


def test_wrong_password_is_refused_with_a_clear_message(client, volunteer):
    response = client.post(
        "/volunteer/login/", {"mobile": volunteer.mobile, "password": "nope-nope"}
    )
    assert response.status_code == 400
    assert "手机号或密码不正确" in response.content.decode()
    assert client.get("/volunteer/me/").status_code == 302


def test_my_page_needs_a_volunteer_login(client, volunteer):
    response = client.get("/volunteer/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/volunteer/login/?next=")


def test_numbers_typed_in_full_width_mode_are_stored_in_ascii_and_sign_in_works(client, join_data):
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    id_number = join_data["id_number"].upper()
    response = client.post(
        JOIN,
        {
            **join_data,
            "mobile": "１３８\u3000１２３４\u3000５６７８",
            "id_number": id_number.translate(full_width),
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.mobile == "13812345678"
    assert volunteer.id_number == id_number
    # The same person cannot register again with the number typed in ASCII.
    _refused(client, {**join_data, "mobile": "13900002222"}, "该身份证号已登记为志愿者")
    Volunteer.objects.filter(pk=volunteer.pk).update(status=Volunteer.Status.ACTIVE)
    response = client.post("/volunteer/login/", {"mobile": "13812345678", "password": PASSWORD})
    assert response.status_code == 302
