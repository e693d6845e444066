import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from stations import scoping
from stations.models import Station
from stations.scoping import scope_queryset, scoped_by, visible_stations
from stations.services import add_staff_member, create_station, update_station
from tests.factories import Role, make_staff, make_station

pytestmark = pytest.mark.django_db

Level = Station.Level


def test_community_under_a_district_is_refused_and_nothing_is_saved(network):
    before = Station.objects.count()
    with pytest.raises(ValidationError) as error:
        create_station(name="错层社区", level=Level.COMMUNITY, parent=network.district, code="bad")
    assert "parent" in error.value.message_dict
    assert "街道" in str(error.value) or "Street" in str(error.value)
    assert Station.objects.count() == before


@pytest.mark.parametrize(
    ("level", "parent_attr"),
    [
        (Level.STREET, "street_a"),  # a street under a street
        (Level.DISTRICT, "street_a"),  # a district under a street
        (Level.VILLAGE, "district"),  # a village under a district
        (Level.COMMUNITY, None),  # a community with no parent
    ],
)
def test_wrong_levels_are_refused(network, level, parent_attr):
    parent = getattr(network, parent_attr) if parent_attr else None
    with pytest.raises(ValidationError):
        create_station(name="x", level=level, parent=parent, code="x-wrong")
    assert not Station.objects.filter(code="x-wrong").exists()


def test_allowed_levels_build_the_path(network):
    village_township = make_station(level=Level.TOWNSHIP, parent=network.district)
    village = make_station(level=Level.VILLAGE, parent=village_township)
    assert village.path == f"{network.district.path}{village_township.pk}/{village.pk}/"
    assert village.depth == 2
    assert network.community_a1.depth == 2 and network.district.depth == 0


def test_bad_phone_and_duplicate_code_are_refused(network):
    with pytest.raises(ValidationError) as error:
        make_station(level=Level.COMMUNITY, parent=network.street_a, contact_phone="12345")
    assert "contact_phone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_station(level=Level.COMMUNITY, parent=network.street_a, code="community-a1")
    assert "code" in error.value.message_dict


def test_phone_numbers_in_mainland_formats_are_accepted(network):
    for phone in ("13812345678", "+86 138 1234 5678", "020-87654321", "0755-1234567"):
        make_station(level=Level.COMMUNITY, parent=network.street_a, contact_phone=phone)


def test_moving_a_street_re_roots_its_communities(network):
    other_district = make_station(level=Level.DISTRICT)
    update_station(station=network.street_a, parent=other_district)
    network.community_a1.refresh_from_db()
    assert network.community_a1.path.startswith(other_district.path)
    assert set(other_district.subtree().values_list("code", flat=True)) == {
        other_district.code,
        "street-a",
        "community-a1",
        "community-a2",
    }


def test_a_station_cannot_move_under_its_own_subtree(db):
    city = make_station(level=Level.CITY)
    district = make_station(level=Level.DISTRICT, parent=city)
    # Turning the city into a district under its own child is refused.
    with pytest.raises(ValidationError):
        update_station(station=city, level=Level.DISTRICT, parent=district)


def _chain(depth: int) -> Station:
    """A tree ``depth`` levels deep with two children per level; returns its root."""
    levels = [Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY][:depth]
    root = make_station(level=levels[0])
    parents = [root]
    for level in levels[1:]:
        parents = [make_station(level=level, parent=p) for p in parents for _ in range(2)]
    return root


@pytest.mark.parametrize("depth", [1, 4])
def test_subtree_is_one_query_at_any_depth(depth, django_assert_num_queries):
    root = _chain(depth)
    with django_assert_num_queries(1):
        stations = list(root.subtree())
    assert len(stations) == 2**depth - 1


@pytest.mark.parametrize("depth", [1, 4])
def test_visible_stations_is_one_query_at_any_depth(depth, django_assert_num_queries):
    root = _chain(depth)
    user = make_staff(root, Role.DIRECTOR)
    with django_assert_num_queries(1):
        stations = list(visible_stations(user))
    assert len(stations) == 2**depth - 1


def test_director_sees_own_subtree_only(network, cast):
    codes = set(visible_stations(cast.director).values_list("code", flat=True))
    assert codes == {"street-a", "community-a1", "community-a2"}
    assert set(visible_stations(cast.social_worker).values_list("code", flat=True)) == {
        "community-b1"
    }
    assert visible_stations(cast.superuser).count() == Station.objects.count()
    assert not visible_stations(cast.outsider).exists()


def test_staff_create_stations_only_inside_their_subtree(network, cast):
    create_station(
        by=cast.director,
        name="新社区",
        level=Level.COMMUNITY,
        parent=network.street_a,
        code="new-a",
    )
    with pytest.raises(ValidationError):
        create_station(
            by=cast.director,
            name="越界社区",
            level=Level.COMMUNITY,
            parent=network.street_b,
            code="new-b",
        )
    with pytest.raises(ValidationError):
        create_station(by=cast.director, name="新区", level=Level.DISTRICT, code="new-district")
    assert list(Station.objects.filter(code__startswith="new-").values_list("code", flat=True)) == [
        "new-a"
    ]


def test_membership_puts_user_in_role_group(network):
    user = make_staff(network.street_a, Role.FINANCE_OFFICER)
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["财务"]
    assert user.has_perm("stations.view_station")
    assert not user.has_perm("stations.add_station")


def test_scoping_across_a_to_many_relation_lists_each_row_once(network, cast):
    # Users reach stations through memberships, a to-many relation: someone with two
    # memberships in street A must be listed once, not twice.
    User = get_user_model()
    scoped_by("station_memberships__station")(User)
    try:
        both = make_staff(network.street_a, Role.DIRECTOR)
        add_staff_member(station=network.community_a1, user=both, role=Role.FINANCE_OFFICER)
        visible = list(scope_queryset(User.objects.all(), cast.director))
        assert visible.count(both) == 1
        assert cast.social_worker not in visible
    finally:
        scoping._STATION_LOOKUPS.pop(User)
