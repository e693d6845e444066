"""Donations by channel, people served, volunteers and needs assessments beside the ledger
dataset of conftest: spread over March 2025, January and March 2026, inside and outside
street A's network."""

import datetime
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model

from donations.models import Donation
from projects.models import AssistanceRecord, NeedsAssessment
from tests.projects.conftest import register, valid_id
from tests.volunteers.conftest import make_volunteer
from volunteers.models import ServiceRecord

from .conftest import at

D = Decimal
_refs = count(1)


def seed_people(dataset, network) -> None:
    fund_a, fund_a1, fund_b = dataset.fund_a, dataset.fund_a1, dataset.fund_b
    channel = Donation.Channel

    def gift(fund, amount, channel_, when, status=Donation.Status.CONFIRMED):
        Donation.objects.create(
            fund=fund, amount=D(amount), channel=channel_, status=status, confirmed_at=when,
            payment_reference=f"ref-{next(_refs)}",
        )  # fmt: skip

    gift(fund_a, "100.00", channel.CASH, at(2026, 3, 2))
    gift(fund_a, "200.00", channel.CASH, at(2026, 3, 30))
    gift(fund_a1, "50.00", channel.BANK_TRANSFER, at(2026, 3, 31, 23))
    gift(fund_a1, "30.00", channel.ONLINE_SANDBOX, at(2026, 1, 9))
    gift(fund_a, "500.00", channel.BOX, at(2025, 3, 15))
    gift(fund_a, "80.00", channel.CASH, at(2026, 3, 5), status=Donation.Status.REFUNDED)
    gift(fund_a, "90.00", channel.CASH, at(2026, 4, 1, 0))  # April
    gift(fund_b, "999.00", channel.CASH, at(2026, 3, 5))  # outside street A

    recorder = get_user_model().objects.create_user("recorder", password="x")
    old = register(network.community_a1, recorder=recorder, id_number=valid_id())
    young = register(network.community_a2, recorder=recorder, name="李小明", id_number=valid_id())
    outsider = register(network.community_b1, recorder=recorder, id_number=valid_id())

    def assist(project, person, day):
        AssistanceRecord.objects.create(
            project=project,
            beneficiary=person,
            date=day,
            kind=AssistanceRecord.Kind.SERVICE,
            staff=recorder,
        )

    day = datetime.date
    assist(dataset.project_1, old, day(2026, 3, 3))
    assist(dataset.project_1, old, day(2026, 3, 17))
    assist(dataset.project_2, young, day(2026, 3, 18))
    assist(dataset.project_1, old, day(2026, 1, 20))
    assist(dataset.project_2, young, day(2025, 3, 11))
    assist(dataset.project_2, outsider, day(2026, 3, 18))  # project in A2, person from B1

    v1 = make_volunteer(network.community_a1)
    v2 = make_volunteer(network.community_a2)
    v3 = make_volunteer(network.community_b1)

    def served(volunteer, station, when, hours, status=ServiceRecord.Status.VERIFIED):
        ServiceRecord.objects.create(
            volunteer=volunteer, station=station, source=ServiceRecord.Source.SELF_REPORTED,
            description="社区探访", started_at=when, ended_at=when + datetime.timedelta(hours=float(hours)),
            hours=D(hours), status=status,
            **({"verified_by": recorder, "verified_at": when} if status == "verified" else {}),
        )  # fmt: skip

    served(v1, network.community_a1, at(2026, 3, 4), "2.50")
    served(v1, network.community_a1, at(2026, 3, 11), "3.00")
    served(v2, network.community_a1, at(2026, 3, 12), "1.50")
    served(v2, network.community_a2, at(2026, 3, 31, 22), "2.00")
    served(v2, network.community_a2, at(2026, 1, 8), "4.00")
    served(v1, network.community_a1, at(2025, 3, 8), "6.00")
    served(v1, network.community_a1, at(2026, 3, 20), "9.00", ServiceRecord.Status.PENDING)
    served(v3, network.community_b1, at(2026, 3, 6), "5.00")

    def assessment(station, when):
        NeedsAssessment.objects.create(
            station=station, title="长者需求调查", method=NeedsAssessment.Method.QUESTIONNAIRE,
            date=when, respondents_count=10, findings="独居长者需要送餐",
        )  # fmt: skip

    assessment(network.community_a1, day(2026, 3, 9))
    assessment(network.street_a, day(2026, 2, 9))
    assessment(network.community_a2, day(2025, 3, 1))
    assessment(network.community_b1, day(2026, 3, 9))
