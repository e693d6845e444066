"""A campaign's shares (联合劝募) create and lose no money: the split of any gift adds up to the
gift, a draft's shares add up to exactly 100 % on every save, and a public campaign's shares
never change, in the admin and in the database whoever writes."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from funds import services
from funds.models import Campaign, CampaignShare
from funds.money import split_by_percent

D = Decimal
DATES = {"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2026, 12, 31)}

fen = st.integers(min_value=-(10**10), max_value=10**10).map(lambda n: D(n) / 100)
percent = st.integers(min_value=1, max_value=10_000).map(lambda n: D(n) / 100)


@settings(max_examples=500, deadline=None)
@given(amount=fen, percents=st.lists(percent, min_size=1, max_size=8))
def test_the_parts_of_any_split_add_up_to_the_gift(amount, percents):
    parts = split_by_percent(amount, percents)
    assert len(parts) == len(percents)
    assert sum(parts, D(0)) == amount
    assert all(part == part.quantize(D("0.01")) for part in parts)
    assert all((part >= 0) == (amount >= 0) or part == 0 for part in parts)


@settings(max_examples=300, deadline=None)
@given(amount=fen, cuts=st.lists(st.integers(1, 9_999), min_size=0, max_size=5, unique=True))
def test_shares_of_100_percent_give_each_fund_its_share_within_a_fen(amount, cuts):
    bounds = [0, *sorted(cuts), 10_000]
    percents = [D(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]
    for part, share in zip(split_by_percent(amount, percents), percents, strict=True):
        assert abs(part - amount * share / 100) < D("0.01")


def test_shares_that_do_not_add_up_never_create_or_lose_money():
    """What main credited: 60 % alone gave ¥60.01 of a ¥100 gift, 100 % + 50 % gave ¥150."""
    assert split_by_percent(D("100.00"), [D("60")]) == [D("100.00")]
    assert sum(split_by_percent(D("100.00"), [D("100"), D("50")])) == D("100.00")


# --- the database ------------------------------------------------------------------------------


@pytest.fixture
def draft(fund, host, second_fund):
    return services.create_campaign(
        host=host, lead_fund=fund, title="联合劝募", goal="5000", **DATES,
        shares=[services.Share(fund=fund, percent=D("60")),
                services.Share(fund=second_fund, percent=D("40"))],
    )  # fmt: skip


@pytest.fixture
def second_fund(network, host):
    from tests.factories import make_fund

    return make_fund(network.community_a1, host, "石牌东社区基金")


def _public(campaign):
    return services.publish_campaign(campaign=campaign, filing_number="53440106-2026-001")


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_database_keeps_a_public_campaigns_shares(draft, second_fund):
    campaign = _public(draft)
    share = campaign.shares.get(fund=second_fund)
    writes = [
        lambda: CampaignShare.objects.filter(pk=share.pk).update(percent=D("50")),
        lambda: CampaignShare.objects.filter(pk=share.pk).delete(),
        lambda: CampaignShare.objects.create(campaign=campaign, fund=campaign.lead_fund,
                                             project=None, percent=D("1")),
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(DatabaseError, match="its shares cannot change"), transaction.atomic():
            write()
    assert sorted(campaign.shares.values_list("percent", flat=True)) == [D("40"), D("60")]


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_database_takes_a_campaign_public_only_with_shares_of_100(draft, fund, host):
    with pytest.raises(IntegrityError, match="starts as a draft"), transaction.atomic():
        Campaign.objects.create(host=host, lead_fund=fund, title="x", goal=1, filing_number="X",
                                status=Campaign.Status.PUBLIC, **DATES)  # fmt: skip
    with pytest.raises(IntegrityError, match="add up to 90%"), transaction.atomic():
        draft.shares.filter(percent=D("40")).update(percent=D("30"))
        Campaign.objects.filter(pk=draft.pk).update(status="public", filing_number="X")


@pytest.mark.django_db
@pytest.mark.postgres
def test_at_every_commit_a_drafts_shares_add_up_to_100(draft):
    """The check runs when the transaction commits (deferred); here it is asked for at once."""
    with pytest.raises(IntegrityError, match="add up to 110"), transaction.atomic():
        CampaignShare.objects.filter(campaign=draft, percent=D("40")).update(percent=D("50"))
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    with transaction.atomic():  # rewriting the shares inside one transaction is fine
        draft.shares.filter(percent=D("60")).update(percent=D("50"))
        draft.shares.filter(percent=D("40")).update(percent=D("50"))
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert sorted(draft.shares.values_list("percent", flat=True)) == [D("50"), D("50")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_commit_with_shares_of_110_percent_is_refused(draft):
    with pytest.raises(IntegrityError, match="add up to 110"), transaction.atomic():
        CampaignShare.objects.filter(campaign=draft, percent=D("40")).update(percent=D("50"))
    assert sorted(draft.shares.values_list("percent", flat=True)) == [D("40"), D("60")]


# --- the admin ---------------------------------------------------------------------------------


def _form(campaign, shares, **extra):
    data = {
        "host": campaign.host_id, "lead_fund": campaign.lead_fund_id, "title": campaign.title,
        "code": campaign.code, "goal": "5000", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "filing_number": campaign.filing_number, "description": "",
        "shares-TOTAL_FORMS": str(len(shares)), "shares-INITIAL_FORMS": str(len(shares)),
    }  # fmt: skip
    for i, (share, percent) in enumerate(shares):
        data |= {
            f"shares-{i}-id": share.pk, f"shares-{i}-campaign": campaign.pk,
            f"shares-{i}-fund": share.fund_id, f"shares-{i}-project": "",
            f"shares-{i}-percent": percent,
        }  # fmt: skip
    return data | extra


@pytest.mark.django_db
def test_a_director_cannot_save_a_drafts_shares_that_do_not_add_up(client, cast, draft):
    client.force_login(cast.director)
    shares = list(draft.shares.order_by("pk"))
    url = f"/admin/funds/campaign/{draft.pk}/change/"
    response = client.post(url, _form(draft, [(shares[0], "60"), (shares[1], "50")]))
    assert response.status_code == 200
    errors = [
        str(e)
        for f in response.context["inline_admin_formsets"]
        for e in f.formset.non_form_errors()
    ]
    assert errors == ["分配比例合计为 110%，必须正好等于 100%。"], errors
    assert sorted(draft.shares.values_list("percent", flat=True)) == [D("40"), D("60")]
    response = client.post(url, _form(draft, [(shares[0], "70"), (shares[1], "30")]))
    assert response.status_code == 302, response.context["errors"]
    assert sorted(draft.shares.values_list("percent", flat=True)) == [D("30"), D("70")]


@pytest.mark.django_db
def test_a_public_campaigns_shares_are_shown_not_editable(client, cast, draft):
    campaign = _public(draft)
    client.force_login(cast.director)
    url = f"/admin/funds/campaign/{campaign.pk}/change/"
    html = client.get(url).content.decode()
    assert "shares-0-percent" not in html and "60.00" in html
    shares = list(campaign.shares.order_by("pk"))
    client.post(url, _form(campaign, [(shares[0], "10"), (shares[1], "90")]))
    assert sorted(campaign.shares.values_list("percent", flat=True)) == [D("40"), D("60")]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["finance_officer", "social_worker"])
def test_only_the_director_changes_a_drafts_shares(client, cast, draft, role):
    """Changing a campaign's shares belongs to the station director; the other roles are refused."""
    client.force_login(getattr(cast, role))
    shares = list(draft.shares.order_by("pk"))
    url = f"/admin/funds/campaign/{draft.pk}/change/"
    response = client.post(url, _form(draft, [(shares[0], "70"), (shares[1], "30")]))
    # 403: the finance officer sees campaigns but may not change them; 404: the cast's social
    # worker is at another street, where the campaign is not there at all.
    assert response.status_code == {"finance_officer": 403, "social_worker": 404}[role]
    assert sorted(draft.shares.values_list("percent", flat=True)) == [D("40"), D("60")]
