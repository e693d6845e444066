import datetime

import pytest

from funds.models import Fund, HostCharity
from projects.models import Project
from tests.factories import make_fund, make_host, make_project


@pytest.fixture
def host(db) -> HostCharity:
    return make_host()


@pytest.fixture
def fund(network, host) -> Fund:
    return make_fund(
        network.street_a,
        host,
        "天河区慈善会石牌街社区慈善基金",
        founded_on=datetime.date(2025, 1, 1),
    )


@pytest.fixture
def project(network) -> Project:
    return make_project(network.community_a1, status=Project.Status.DESIGN)


@pytest.fixture
def other_project(network) -> Project:
    return Project.objects.create(
        station=network.community_a2,
        title="四点半课堂",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.CHILDREN,
    )


# --- Committees and requests ------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402
from decimal import Decimal  # noqa: E402

from funds import services  # noqa: E402
from funds.models import CommitteeMember, LedgerEntry  # noqa: E402
from tests.factories import Role, make_staff, make_user  # noqa: E402

TERM_START = datetime.date(2025, 1, 1)


@dataclass
class Committee:
    """Five voting members (chair, vice-chair, secretary, two members) and a supervisor."""

    chair: object
    vice_chair: object
    secretary: object
    member_1: object
    member_2: object
    supervisor: object
    seats: dict = field(default_factory=dict)

    @property
    def voters(self) -> list:
        return [self.chair, self.vice_chair, self.secretary, self.member_1, self.member_2]


@pytest.fixture
def committee(fund) -> Committee:
    users = {}
    roles = {
        "chair": CommitteeMember.Role.CHAIR,
        "vice_chair": CommitteeMember.Role.VICE_CHAIR,
        "secretary": CommitteeMember.Role.SECRETARY,
        "member_1": CommitteeMember.Role.MEMBER,
        "member_2": CommitteeMember.Role.MEMBER,
        "supervisor": CommitteeMember.Role.SUPERVISOR,
    }
    seats = {}
    for key, role in roles.items():
        user = make_user(f"cm-{key}", email=f"{key}@example.org", first_name=key)
        users[key] = user
        seats[key] = services.add_committee_member(
            fund=fund, user=user, role=role, term_start=TERM_START
        )
    return Committee(**users, seats=seats)


@pytest.fixture
def requester(network):
    return make_staff(network.community_a1, Role.SOCIAL_WORKER, "requester-a1")


@pytest.fixture
def payer(network):
    return make_staff(network.street_a, Role.FINANCE_OFFICER, "payer-a")


@pytest.fixture
def reviewer(network):
    return make_staff(network.street_a, Role.DIRECTOR, "reviewer-a")


@pytest.fixture
def funded(fund, project):
    """The fund holds ¥1,000 unrestricted and ¥500 restricted to ``project``."""
    services.post_entry(
        fund=fund, amount=Decimal("1000.00"), kind=LedgerEntry.Kind.DONATION, public_name="李明"
    )
    services.post_entry(
        fund=fund,
        amount=Decimal("500.00"),
        kind=LedgerEntry.Kind.DONATION,
        project=project,
        public_name="爱心人士",
    )
    return fund


@pytest.fixture
def make_request(funded, project, requester):
    def make(amount="300.00", *, submit=True, **fields):
        fields.setdefault("purpose", "长者饭堂三月食材")
        fields.setdefault("payee", "华师长者饭堂")
        request = services.request_disbursement(
            fund=funded, project=project, amount=amount, by=requester, **fields
        )
        if submit:
            request = services.submit_disbursement(request=request, by=requester)
        return request

    return make


def vote_all(request, users, choice="approve"):
    for user in users:
        request = services.cast_vote(request=request, by=user, choice=choice).request
    request.refresh_from_db()
    return request
