"""A NUL byte in any public form field, header or URL: a clear message or a 4xx, nothing saved,
never a 500 (Postgres refuses NUL in text, so an unchecked one would crash)."""

import re

import pytest

from donations.models import Donation, IdempotencyKey, LookupCode

pytestmark = pytest.mark.django_db

NUL = "\x00"


def give_data(client, url, target):
    html = client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    return {
        "target": target,
        "amount_preset": "50",
        "amount_other": "",
        "donor_name": "王小明",
        "is_anonymous": "",
        "mobile": "13812345678",
        "message": "加油",
        "receipt_wanted": "1",
        "provider": "offline",
        "form_token": token,
    }


@pytest.mark.parametrize(
    "field",
    ["target", "amount_preset", "amount_other", "donor_name", "is_anonymous", "mobile", "message",
     "receipt_wanted", "provider", "form_token"],
)  # fmt: skip
def test_nul_in_every_field_of_the_give_forms(client, point, fund, field):
    for url in (f"/d/{point.code}/", f"/donate/give/f-{fund.code}/"):
        data = give_data(client, url, f"f-{fund.code}")
        data[field] = (data[field] or "1") + NUL
        response = client.post(url, data)
        assert 400 <= response.status_code < 500, (url, field, response.status_code)
    assert not Donation.objects.exists()


@pytest.mark.parametrize("field", ["mobile"])
def test_nul_in_the_lookup_forms(client, field):
    assert client.post("/donate/lookup/", {"mobile": "138" + NUL + "12345678"}).status_code == 400
    assert not LookupCode.objects.exists()
    client.post("/donate/lookup/", {"mobile": "13812345678"})
    assert client.post("/donate/lookup/code/", {"code": "12345" + NUL}).status_code == 400


URLS = [
    "/d/%00/",
    "/d/abc%00def/",
    "/donate/give/f-%00/",
    "/donate/give/%00/",
    "/donate/g/%00/",
    "/donate/my/statement/20%0026/",
    "/r/TH-2026-000001%00/ABCDEFGH/",
    "/r/TH-2026-000001/ABCD%00EFGH/",
    "/pay/sandbox/%00/",
    "/pay/%00/notify/",
    "/api/v1/donation-points/%00/",
    "/api/v1/donations/%00/",
    "/api/v1/receipts/%00/",
    "/donate/?page=%00",
    "/d/%00/?x=%00",
    "/api/v1/donation-points/?search=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_nul_in_urls(client, point, url):
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code < 500, (method, url, response.status_code)
        if "%00" in url.split("?")[0]:
            assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "field", ["target", "point", "amount", "donor_name", "mobile", "message", "provider"]
)
def test_nul_in_every_field_of_the_api(client, point, fund, field):
    data = {
        "target": f"f-{fund.code}",
        "point": point.code,
        "amount": "50",
        "donor_name": "王",
        "mobile": "13812345678",
        "message": "好",
        "provider": "offline",
    }
    data[field] = data[field] + NUL
    response = client.post(
        "/api/v1/donations/", data, content_type="application/json",
        headers={"Idempotency-Key": f"nul-test-{field}"},
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert not Donation.objects.exists()


def test_nul_in_the_idempotency_key(client, fund):
    response = client.post(
        "/api/v1/donations/",
        {"target": f"f-{fund.code}", "amount": "5", "provider": "offline"},
        content_type="application/json",
        headers={"Idempotency-Key": "abcdefgh" + NUL},
    )
    assert response.status_code == 400
    assert not IdempotencyKey.objects.exists()
