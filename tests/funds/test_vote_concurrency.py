"""Two votes at once that each complete the quorum: one decision, not two (Postgres, threads).

The race is shown first: without the row lock on the request both votes see the quorum
reached and both record a decision. With the lock the second vote waits, sees the decision
and is refused as a vote after the decision.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

import funds.services.voting
from funds import services
from funds.models import DisbursementEvent, DisbursementRequest, Vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def requester(db):
    # Transactional tests flush the role groups made by data migrations; the race does not
    # depend on roles, so the request is filed by a superuser.
    from tests.factories import make_user

    return make_user("race-requester", is_superuser=True, is_staff=True)


def three_votes_in(make_request, committee):
    request = make_request()
    for user in committee.voters[:3]:
        services.cast_vote(request=request, by=user, choice="approve")
    return request  # quorum is 4 of 5: the next vote decides


def race(request, voters) -> list[str]:
    start = threading.Barrier(len(voters))
    outcomes = []

    def vote(user):
        try:
            start.wait(timeout=10)
            services.cast_vote(request=request, by=user, choice="approve")
            outcomes.append("voted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=vote, args=(user,)) for user in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slow_tally(monkeypatch):
    """Widen the window between counting the votes and committing, as a busy server would."""
    original = funds.services.voting.tally

    def slow(request):
        votes = original(request)
        time.sleep(0.5)
        return votes

    monkeypatch.setattr(funds.services.voting, "tally", slow)


def decisions(request) -> int:
    return DisbursementEvent.objects.filter(
        request=request, status=DisbursementRequest.Status.APPROVED
    ).count()


def test_without_the_lock_two_votes_both_decide(make_request, committee, monkeypatch):
    request = three_votes_in(make_request, committee)
    slow_tally(monkeypatch)
    monkeypatch.setattr(
        funds.services.voting,
        "_lock_request",
        lambda request: DisbursementRequest.objects.select_related(
            "fund", "project", "project__station", "fund__station"
        ).get(pk=request.pk),
    )
    outcomes = race(request, [committee.member_1, committee.member_2])
    assert outcomes == ["voted", "voted"]
    assert decisions(request) == 2  # the race: two decisions recorded


def test_with_the_lock_two_votes_give_one_decision(make_request, committee, monkeypatch):
    request = three_votes_in(make_request, committee)
    slow_tally(monkeypatch)
    outcomes = race(request, [committee.member_1, committee.member_2])
    assert sorted(outcomes) == ["refused", "voted"]
    assert decisions(request) == 1
    assert Vote.objects.filter(request=request).count() == 4
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.APPROVED
