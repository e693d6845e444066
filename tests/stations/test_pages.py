import pytest

from stations.models import Station

pytestmark = pytest.mark.django_db


def test_home_shows_the_network_in_chinese_by_default(client, network):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "社工站网络" in html
    for station in (network.district, network.street_a, network.community_b1):
        assert station.name in html
        assert f"/stations/{station.code}/" in html


def test_home_in_english_after_switching_language(client, network):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Station network" in html
    assert "社工站网络" not in html
    # The admin follows the same choice.
    client.force_login(network_superuser())
    assert "Station administration" in client.get("/admin/").content.decode()


def network_superuser():
    from tests.factories import make_user

    return make_user(is_superuser=True, is_staff=True)


def test_admin_is_chinese_by_default(client, network):
    client.force_login(network_superuser())
    html = client.get("/admin/").content.decode()
    assert "社工站管理" in html


def test_station_page_shows_services_contact_and_breadcrumb(client, network):
    station = network.community_a1
    station.offers_donation_point = True
    station.contact_phone = "020-12345678"
    station.address = "石牌街华师东区12号"
    station.save()
    html = client.get(f"/stations/{station.code}/").content.decode()
    assert "慈善捐赠站点：可在此捐款捐物。" in html
    assert "020-12345678" in html and "石牌街华师东区12号" in html
    assert network.street_a.name in html and network.district.name in html
    english = client.get(f"/stations/{station.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Donation point: give money or goods here." in english


def test_station_page_lists_children(client, network):
    html = client.get(f"/stations/{network.street_a.code}/").content.decode()
    assert network.community_a1.name in html and network.community_a2.name in html
    assert network.community_b1.name not in html


def test_unknown_or_inactive_station_is_a_chinese_404(client, network):
    Station.objects.filter(pk=network.community_a2.pk).update(is_active=False)
    for code in ("no-such-station", network.community_a2.code):
        response = client.get(f"/stations/{code}/")
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()


def test_station_url_uses_public_code_not_id(client, network):
    assert client.get(f"/stations/{network.street_a.pk}/").status_code == 404
