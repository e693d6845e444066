"""Demo volunteers for ``manage.py seed_demo``: about a hundred volunteers (some minors with
their guardian's consent), opportunities with past and future shifts, verified and pending
hours, and a certificate. Running it again changes nothing."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.validators import resident_id_check_char
from stations.demo import DEMO_PASSWORD
from stations.models import Station

from . import services
from .models import Opportunity, Signup, Skill, Volunteer

DEMO_MOBILE = "13900000001"
FAMILY_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧"]  # fmt: skip
STATIONS = ["shipai-huashi", "shipai-jinan", "shipai-longkou", "shipai-dongfang", "linhe-linhe"]
SKILLS = list(Skill.values)

OPPORTUNITIES = [
    (
        "shipai-huashi",
        "长者饭堂助餐",
        "协助社区长者饭堂分餐、送餐，陪长者聊天。",
        "华师社区长者饭堂",
        16,
        False,
    ),
    (
        "shipai-huashi",
        "四点半课堂辅导",
        "为双职工家庭的小学生辅导作业、组织阅读。",
        "华师社区党群服务中心二楼",
        16,
        False,
    ),
    (
        "shipai-jinan",
        "社区环境清洁日",
        "清理楼道杂物和绿化带垃圾，宣传垃圾分类。",
        "暨南社区各小区",
        12,
        False,
    ),
    (
        "shipai-longkou",
        "高空晾晒设施检查",
        "协助物业检查老旧楼栋晾晒架，需登梯作业。",
        "龙口西社区3-8栋",
        18,
        True,
    ),
    (
        "shipai-dongfang",
        "防诈骗宣传进小区",
        "在小区门口派发宣传册，帮助长者识别电信诈骗。",
        "东方小区正门",
        14,
        False,
    ),
]


def _id_number(birth: datetime.date, sequence: int) -> str:
    first17 = f"440106{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return midnight + datetime.timedelta(hours=hour, minutes=minute)


def _volunteers(log, coordinator) -> list[Volunteer]:
    stations = {code: Station.objects.get(code=code) for code in STATIONS}
    today = timezone.localdate()
    volunteers = []
    for index in range(100):
        # Ages spread from 12 to 70; every twelfth volunteer is a minor.
        age = 12 + (index // 12) % 6 if index % 12 == 5 else 19 + (index * 7) % 52
        # Exactly ``age`` years old today: born that many years ago, a few days earlier.
        birth = today.replace(year=today.year - age, day=1) - datetime.timedelta(days=1 + index)
        minor = age < 18
        name = FAMILY_NAMES[index % len(FAMILY_NAMES)] + GIVEN_NAMES[(index * 3) % len(GIVEN_NAMES)]
        volunteer = services.register_volunteer(
            real_name=name,
            gender=Volunteer.Gender.MALE if index % 2 else Volunteer.Gender.FEMALE,
            birth_date=birth,
            mobile=f"139{index + 1:08d}",
            id_number=_id_number(birth, index) if index % 3 else "",
            home_station=stations[STATIONS[index % len(STATIONS)]],
            emergency_contact_name=FAMILY_NAMES[(index + 3) % len(FAMILY_NAMES)] + "女士",
            emergency_contact_phone=f"137{index + 1:08d}",
            privacy_consent=True,
            skills=[SKILLS[index % len(SKILLS)], SKILLS[(index * 5) % len(SKILLS)]],
            availability=["weekend"] if index % 2 else ["weekday_daytime", "weekend"],
            guardian_name=(FAMILY_NAMES[index % len(FAMILY_NAMES)] + "建国") if minor else "",
            guardian_phone=f"136{index + 1:08d}" if minor else "",
            guardian_consent=minor,
            guardian_data_consent=minor and age < 14,
            insurance_policy_number=f"PICC-2026-{index:05d}" if index % 4 == 0 else "",
            insurance_valid_until=today + datetime.timedelta(days=300) if index % 4 == 0 else None,
            password=DEMO_PASSWORD if index == 0 else None,
            by=None if index % 20 in (7, 13) else coordinator,
        )
        volunteers.append(volunteer)
    rejected = volunteers[13]
    services.reject_volunteer(
        volunteer=rejected, by=coordinator, reason="手机号无法接通，请到站点现场核实身份后重新登记"
    )
    log(f"volunteers: {len(volunteers)}")
    return volunteers


def _opportunities(log, coordinator, volunteers: list[Volunteer]) -> None:
    today = timezone.localdate()
    active = [v for v in volunteers if v.status == Volunteer.Status.ACTIVE]
    for number, (code, title, description, place, min_age, risky) in enumerate(OPPORTUNITIES):
        opportunity = services.create_opportunity(
            station=Station.objects.get(code=code),
            title=title,
            description=description,
            place=place,
            skills_wanted=[SKILLS[number]],
            minimum_age=min_age,
            is_risky=risky,
        )
        # Past shifts become service records; shifts to come have sign-ups and a waiting list.
        for week in (-8, -6, -4, -2, 1, 2):
            day = today + datetime.timedelta(days=7 * week + number)
            shift = services.add_shift(
                opportunity=opportunity,
                starts_at=_local(day, 9),
                ends_at=_local(day, 11, 30),
                capacity=6 if week > 0 else 8,
            )
            eligible = [
                v
                for v in active
                if v.age_on(day) >= min_age and (not risky or v.has_insurance_on(day))
            ]
            start = (number * 11 + week * 5) % max(len(eligible) - 8, 1)
            crew = eligible[start : start + (8 if week > 0 else 6)]
            if week > 0:
                for volunteer in crew:
                    services.sign_up(shift=shift, volunteer=volunteer)
                continue
            for position, volunteer in enumerate(crew, start=1):
                # Past shifts cannot be signed up for any more, so their sign-ups are written
                # as they were at the time; check-in and check-out go through the services.
                signup = Signup.objects.create(
                    shift=shift, volunteer=volunteer, status="confirmed", position=position
                )
                services.check_in(signup=signup, by=coordinator, at=_local(day, 8, 50 + position))
                record = services.check_out(
                    signup=signup, by=coordinator, at=_local(day, 11, 30 + position)
                )
                if week < -2:
                    services.verify_record(record=record, by=coordinator)
    log(f"opportunities: {Opportunity.objects.count()}")


def _demo_volunteer_history(coordinator, volunteer: Volunteer) -> None:
    """Enough verified hours over the past year for one star, and a certificate."""
    today = timezone.localdate()
    station = volunteer.home_station
    for week in range(1, 45):
        day = today - datetime.timedelta(days=7 * week + 3)
        record = services.report_hours(
            volunteer=volunteer,
            station=station,
            description="社区长者探访陪伴",
            started_at=_local(day, 14),
            ended_at=_local(day, 17),
            hours=Decimal("2.50"),
        )
        services.verify_record(record=record, by=coordinator)
    services.report_hours(
        volunteer=volunteer,
        station=station,
        description="协助社区义诊登记",
        started_at=_local(today - datetime.timedelta(days=1), 9),
        ended_at=_local(today - datetime.timedelta(days=1), 12),
        hours=Decimal("3.00"),
    )
    end = today - datetime.timedelta(days=1)
    services.issue_certificate(
        volunteer=volunteer, period_start=end - datetime.timedelta(days=365), period_end=end,
        by=coordinator,
    )  # fmt: skip


def seed(log) -> list[tuple[str, str]]:
    login = [(DEMO_MOBILE, "志愿者（在 /volunteer/login/ 用手机号登录）")]
    if Volunteer.objects.filter(mobile=DEMO_MOBILE).exists():
        return login
    coordinator = get_user_model().objects.get(username="coordinator")
    volunteers = _volunteers(log, coordinator)
    _demo_volunteer_history(coordinator, volunteers[0])
    _opportunities(log, coordinator, volunteers)
    return login
