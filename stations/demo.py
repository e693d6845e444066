"""Demo data for the station network: one district, three streets, twelve communities and one
staff user per role. Used by ``manage.py seed_demo``; running it again changes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .models import StaffMembership, Station
from .services import add_staff_member, create_station

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed for demo logins)

DISTRICT = {
    "code": "tianhe",
    "name": "天河区社会工作服务中心",
    "division_code": "440106",
    "address": "广州市天河区天府路1号",
    "contact_phone": "020-38622000",
}

STREETS = [
    {
        "code": "shipai",
        "name": "石牌街社工站",
        "division_code": "440106001",
        "address": "广州市天河区石牌东路38号",
        "contact_phone": "020-85211234",
        "communities": [
            ("shipai-huashi", "华师社区", "石牌街华师东区12号"),
            ("shipai-jinan", "暨南社区", "石牌街暨大西门旁3号"),
            ("shipai-longkou", "龙口西社区", "龙口西路122号"),
            ("shipai-dongfang", "东方社区", "石牌东路东方小区5栋"),
        ],
    },
    {
        "code": "linhe",
        "name": "林和街社工站",
        "division_code": "440106002",
        "address": "广州市天河区林和中路63号",
        "contact_phone": "020-87551234",
        "communities": [
            ("linhe-linhe", "林和社区", "林和中路林和村8号"),
            ("linhe-tianhebei", "天河北社区", "天河北路233号"),
            ("linhe-guangchang", "广场社区", "体育西路广场街2号"),
            ("linhe-dong", "林和东社区", "林和东路128号"),
        ],
    },
    {
        "code": "tianhenan",
        "name": "天河南街社工站",
        "division_code": "440106003",
        "address": "广州市天河区天河南一路18号",
        "contact_phone": "020-38881234",
        "communities": [
            ("tianhenan-liuyun", "六运社区", "六运三街9号"),
            ("tianhenan-tiyudong", "体育东社区", "体育东路102号"),
            ("tianhenan-tianhedong", "天河东社区", "天河东路66号"),
            ("tianhenan-yulei", "育蕾社区", "育蕾二街4号"),
        ],
    },
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    station_code: str | None
    full_name: str


DEMO_STAFF = [
    DemoLogin("director", StaffMembership.Role.DIRECTOR, "shipai", "陈志明"),
    DemoLogin("socialworker", StaffMembership.Role.SOCIAL_WORKER, "linhe-linhe", "李晓华"),
    DemoLogin("finance", StaffMembership.Role.FINANCE_OFFICER, "tianhe", "王丽娟"),
    DemoLogin("coordinator", StaffMembership.Role.VOLUNTEER_COORDINATOR, "shipai-huashi", "张伟"),
]


def _station(code: str, **fields) -> Station:
    existing = Station.objects.filter(code=code).first()
    return existing or create_station(code=code, **fields)


def _user(username: str, full_name: str, *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "last_name": full_name[:1],
            "first_name": full_name[1:],
            "email": f"{username}@example.org",
            "is_staff": True,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed(log) -> list[tuple[str, str]]:
    """Create the demo network and logins if missing; returns (username, description) pairs."""
    district = _station(
        level=Station.Level.DISTRICT,
        offers_assistance=True,
        **DISTRICT,
    )
    for street in STREETS:
        street_station = _station(
            street["code"],
            name=street["name"],
            level=Station.Level.STREET,
            parent=district,
            division_code=street["division_code"],
            address=street["address"],
            contact_phone=street["contact_phone"],
            offers_donation_point=True,
            offers_volunteer_service=True,
            offers_assistance=True,
        )
        for index, (code, name, address) in enumerate(street["communities"]):
            _station(
                code,
                name=f"{name}社工服务站",
                level=Station.Level.COMMUNITY,
                parent=street_station,
                division_code=f"{street['division_code']}{index + 1:03d}",
                address=f"广州市天河区{address}",
                contact_phone=f"020-8{street['division_code'][-1]}{index:02d}{5678:04d}"[:12],
                offers_donation_point=index % 2 == 0,
                offers_volunteer_service=True,
                offers_assistance=index != 3,
            )

    logins = [("admin", "superuser: everything")]
    _user("admin", "管理员", superuser=True)
    for demo in DEMO_STAFF:
        user = _user(demo.username, demo.full_name)
        station = Station.objects.get(code=demo.station_code)
        add_staff_member(station=station, user=user, role=demo.role)
        role_label = StaffMembership.Role(demo.role).label
        logins.append((demo.username, f"{role_label} @ {station.name}"))
    log(f"stations: {Station.objects.count()}")
    return logins
