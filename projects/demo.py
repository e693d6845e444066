"""Demo data for projects: assessments, ten projects across types and states, beneficiaries with
fake but valid ID numbers, assistance records, activities, progress updates and one
evaluation. Everything goes through the services; running it again changes nothing."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from core.validators import resident_id_check_char
from stations.models import Station

from . import personal_data, services
from .models import (
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    NeedsAssessment,
    ProgressUpdate,
    Project,
    ServiceActivity,
)

Category = Project.Category
Kind = Project.Kind
Status = Project.Status
BCat = BeneficiaryCategory.Category

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "秀英",
    "建国",
    "桂兰",
    "志强",
    "玉珍",
    "德明",
    "淑芬",
    "国华",
    "小雨",
    "子涵",
    "浩然",
    "美玲",
]


def fake_id_number(index: int, birth: datetime.date) -> str:
    """A well-formed resident ID of Tianhe district (440106) with a valid check character."""
    first17 = f"440106{birth:%Y%m%d}{(index * 7) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


ASSESSMENTS = [
    {
        "station": "linhe-linhe",
        "title": "林和社区独居长者生活需求调查",
        "method": NeedsAssessment.Method.QUESTIONNAIRE,
        "days_ago": 300,
        "respondents_count": 86,
        "respondents": "60岁以上独居长者及其家属",
        "findings": "七成独居长者午餐不规律，三成行动不便，需要助餐与定期探访。",
        "needs": [
            (Category.ELDERLY_CARE, "独居长者助餐与送餐", "high"),
            (Category.HEALTH, "慢性病长者健康监测", "medium"),
        ],
    },
    {
        "station": "linhe-linhe",
        "title": "双职工家庭儿童课后照顾需求访谈",
        "method": NeedsAssessment.Method.FOCUS_GROUP,
        "days_ago": 200,
        "respondents_count": 24,
        "respondents": "双职工家长、学校老师",
        "findings": "放学后至家长下班之间约两小时无人照看，家长希望有安全的学习空间。",
        "needs": [(Category.CHILDREN, "四点半课堂", "high")],
    },
    {
        "station": "shipai",
        "title": "石牌街困难群体就业与救助需求分析",
        "method": NeedsAssessment.Method.DATA_ANALYSIS,
        "days_ago": 120,
        "respondents_count": 0,
        "respondents": "街道低保、特困及残疾人台账",
        "findings": "失业困难人员以40-50岁为主，缺乏技能培训；留守儿童集中在暨南社区。",
        "needs": [
            (Category.EMPLOYMENT, "技能培训与岗位对接", "high"),
            (Category.CHILDREN, "留守儿童陪伴", "medium"),
            (Category.COMMUNITY_BUILDING, "居民议事能力培育", "low"),
        ],
    },
]

# code, station, lead, title, kind, category, target status, start (days ago) or None
PROJECTS = [
    ("demo-meals", "linhe-linhe", "socialworker", "独居长者爱心助餐", Kind.ASSISTANCE,
     Category.ELDERLY_CARE, Status.ACTIVE, 240, 0),
    ("demo-homework", "linhe-linhe", "socialworker", "四点半课堂", Kind.DEVELOPMENT,
     Category.CHILDREN, Status.ACTIVE, 150, 1),
    ("demo-winter", "linhe-linhe", "socialworker", "困难家庭冬季送温暖", Kind.ASSISTANCE,
     Category.POVERTY_RELIEF, Status.EVALUATED, 120, 0),
    ("demo-rehab", "linhe-linhe", "socialworker", "残障人士居家康复支持", Kind.ASSISTANCE,
     Category.DISABILITY, Status.FUNDRAISING, None, None),
    ("demo-neighbours", "linhe-linhe", "socialworker", "林和邻里节", Kind.DEVELOPMENT,
     Category.COMMUNITY_BUILDING, Status.DESIGN, None, None),
    ("demo-jobs", "shipai", "director", "石牌街困难人员就业帮扶", Kind.DEVELOPMENT,
     Category.EMPLOYMENT, Status.REVIEW, None, 2),
    ("demo-clinic", "shipai-huashi", "director", "长者健康义诊", Kind.ASSISTANCE,
     Category.HEALTH, Status.CLOSED, 90, None),
    ("demo-companion", "shipai-jinan", "director", "留守儿童陪伴计划", Kind.DEVELOPMENT,
     Category.CHILDREN, Status.ACTIVE, 60, 2),
    ("demo-council", "shipai", "director", "社区议事会培育", Kind.DEVELOPMENT,
     Category.COMMUNITY_BUILDING, Status.DESIGN, None, 2),
    ("demo-fresh-start", "linhe-linhe", "socialworker", "失业家庭应急救助", Kind.ASSISTANCE,
     Category.POVERTY_RELIEF, Status.FUNDRAISING, 30, None),
]  # fmt: skip

ORDER = [Status.DESIGN, Status.REVIEW, Status.FUNDRAISING, Status.ACTIVE, Status.CLOSED,
         Status.EVALUATED]  # fmt: skip


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _photo(color: tuple[int, int, int]) -> ContentFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), color).save(buffer, format="JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="demo.jpg")


def _seed_assessments() -> list[NeedsAssessment]:
    assessments = []
    for spec in ASSESSMENTS:
        station = Station.objects.get(code=spec["station"])
        existing = NeedsAssessment.objects.filter(station=station, title=spec["title"]).first()
        assessments.append(
            existing
            or services.create_needs_assessment(
                by=None,
                station=station,
                title=spec["title"],
                method=spec["method"],
                date=_ago(spec["days_ago"]),
                respondents_count=spec["respondents_count"],
                respondents=spec["respondents"],
                findings=spec["findings"],
                needs=[
                    {"category": c, "description": d, "priority": p} for c, d, p in spec["needs"]
                ],
            )
        )
    return assessments


def _seed_beneficiaries(recorder) -> dict[str, list[Beneficiary]]:
    """Twenty at 林和社区, twelve across 石牌街's communities; a few children with guardians."""
    plan = [("linhe-linhe", 20), ("shipai-huashi", 4), ("shipai-jinan", 6), ("shipai-dongfang", 2)]
    categories = [
        [BCat.ELDERLY_ALONE],
        [BCat.MINIMUM_SUBSISTENCE],
        [BCat.DISABLED, BCat.MINIMUM_SUBSISTENCE],
        [BCat.EXTREME_POVERTY],
        [BCat.LEFT_BEHIND_CHILD],
        [BCat.UNEMPLOYED],
    ]
    result: dict[str, list[Beneficiary]] = {}
    index = 0
    for code, count in plan:
        station = Station.objects.get(code=code)
        result[code] = []
        for _ in range(count):
            index += 1
            child = index % 6 == 5
            birth = (
                datetime.date(2014 + index % 5, 1 + index % 12, 1 + index % 27)
                if child
                else datetime.date(1940 + index % 45, 1 + index % 12, 1 + index % 27)
            )
            id_number = fake_id_number(index, birth)
            existing = Beneficiary.objects.filter(
                tree_root_id=personal_data.tree_root_of(station),
                id_number_hash=personal_data.id_number_hash(id_number),
            ).first()
            name = SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)]
            result[code].append(
                existing
                or services.register_beneficiary(
                    by=None,
                    station=station,
                    name=name,
                    id_number=id_number,
                    phone=f"139{index:04d}{(index * 37) % 10000:04d}",
                    address=f"{station.name.removesuffix('社工服务站')}{index % 9 + 1}栋{index % 6 + 1}0{index % 4 + 1}",
                    household_registration="广东省广州市天河区",
                    categories=categories[index % len(categories)],
                    consent_date=_ago(250),
                    consent_method=Beneficiary.ConsentMethod.WRITTEN,
                    consent_recorded_by=recorder,
                    guardian_name=(SURNAMES[(index + 3) % len(SURNAMES)] + "建华") if child else "",
                    guardian_relationship="母亲" if child else "",
                    guardian_consent=child,
                )
            )
    return result


def _advance(project: Project, target: str) -> Project:
    """Move a demo project along the lifecycle to ``target`` as the system would."""
    steps = {
        Status.REVIEW: services.submit_for_review,
        Status.FUNDRAISING: services.approve_project,
        Status.ACTIVE: services.start_project,
        Status.CLOSED: services.close_project,
        Status.EVALUATED: services.complete_evaluation,
    }
    for status in ORDER[ORDER.index(project.status) + 1 : ORDER.index(target) + 1]:
        if status == Status.CLOSED:
            for activity in project.activities.filter(status=ServiceActivity.Status.PLANNED):
                services.finish_activity(activity=activity, by=None)
        if status == Status.EVALUATED:
            services.record_evaluation(
                project=project,
                by=None,
                narrative="项目按计划完成：困难家庭均收到过冬物资，社工回访满意度高；"
                "明年将提前一个月启动，并联合更多爱心企业。",
                results={
                    i.pk: (i.planned_value * Decimal("1.05")).quantize(Decimal("0.01"))
                    for i in project.indicators.all()
                },
                satisfaction_percent=Decimal("96.5"),
                satisfaction_respondents=42,
            )
        project = steps[status](project=project, by=None)
    return project


def seed(log) -> list[tuple[str, str]]:
    assessments = _seed_assessments()
    socialworker = _user("socialworker")
    director = _user("director")
    beneficiaries = _seed_beneficiaries(recorder=socialworker)
    created = 0
    for code, station_code, lead, title, kind, category, target, start, assessment in PROJECTS:
        if Project.objects.filter(code=code).exists():
            continue
        created += 1
        station = Station.objects.get(code=station_code)
        lead_user = socialworker if lead == "socialworker" else director
        project = services.create_project(
            by=None,
            station=station,
            code=code,
            title=title,
            kind=kind,
            category=category,
            summary=f"{title}：由{station.name}社工团队发起，面向社区有需要的居民。",
            objectives="了解并回应服务对象的实际需要\n链接社区资源，形成长期支持网络",
            target_group="社区困难群体" if kind == Kind.ASSISTANCE else "社区居民",
            target_beneficiaries=30,
            fundraising_goal=Decimal("50000.00") if target != Status.DESIGN else None,
            lead=lead_user,
            assessments=[assessments[assessment]] if assessment is not None else [],
            budget_lines=[
                {"category": "materials", "amount": Decimal("30000.00"), "description": "物资"},
                {"category": "activities", "amount": Decimal("15000.00"), "description": "活动"},
                {"category": "administration", "amount": Decimal("5000.00"), "description": "管理"},
            ],
            indicators=[
                {"name": "服务人数", "unit": "人", "planned_value": Decimal("30")},
                {"name": "服务满意度", "unit": "%", "planned_value": Decimal("90")},
            ],
        )
        if start is not None:
            # Approved first, then dated back: the demo shows projects running for months.
            project = _advance(project, Status.FUNDRAISING)
            project = services.update_project(project=project, by=None, start_date=_ago(start))
        if target in (Status.ACTIVE, Status.CLOSED, Status.EVALUATED):
            _advance(project, Status.ACTIVE)
            project.refresh_from_db()
            people = beneficiaries.get(station_code) or beneficiaries["shipai-jinan"]
            for number, person in enumerate(people[:12]):
                services.record_assistance(
                    project=project,
                    beneficiary=person,
                    by=None,
                    date=_ago(max(1, (start or 30) - 10 - number)),
                    kind=AssistanceRecord.Kind.CASH
                    if number % 3 == 0
                    else AssistanceRecord.Kind.GOODS,
                    amount=Decimal("300.00") if number % 3 == 0 else None,
                    description="" if number % 3 == 0 else "米、油、冬被",
                    staff=lead_user,
                )
            services.record_activity(
                project=project,
                by=None,
                date=_ago(max(1, (start or 30) - 20)),
                place=f"{station.name}活动室",
                description="集中服务与入户探访",
                participants=18,
                status=ServiceActivity.Status.DONE,
            )
            services.record_activity(
                project=project,
                by=None,
                date=timezone.localdate() + datetime.timedelta(days=14),
                place=f"{station.name}活动室",
                description="下一次集中服务",
            )
            update = services.publish_progress_update(
                project=project,
                by=None,
                title="项目进展：第一阶段服务完成",
                body="社工已完成第一轮入户走访，为服务对象建立了档案，并按计划发放了物资。",
                photos=[(_photo((180, 35, 44)), "社工在活动室整理物资")],
            )
            if code == "demo-meals":
                # Backdated on purpose: the demo shows a project whose disclosure is overdue.
                past = timezone.now() - datetime.timedelta(days=120)
                ProgressUpdate.objects.filter(pk=update.pk).update(published_at=past)
                Project.objects.filter(pk=project.pk).update(last_public_update_at=past)
            project.refresh_from_db()
        if target != project.status:
            _advance(project, target)
    flagged = services.flag_overdue_disclosures()
    log(
        f"projects: {Project.objects.count()} ({created} new), "
        f"beneficiaries: {Beneficiary.objects.count()}, overdue flagged now: {len(flagged)}"
    )
    return []
