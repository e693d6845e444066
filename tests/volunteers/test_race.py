"""30 volunteers signing up at once for 10 places, on real PostgreSQL with threads."""

import threading

import pytest
from django.db import connection

from tests.volunteers.conftest import make_shift, make_volunteer
from volunteers import services
from volunteers.models import Signup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_thirty_at_once_for_ten_places(network):
    shift = make_shift(network.community_a1, capacity=10)
    volunteers = [make_volunteer(network.community_a1) for _ in range(30)]
    run_at_once([lambda v=v: services.sign_up(shift=shift, volunteer=v) for v in volunteers])

    signups = list(Signup.objects.filter(shift=shift).order_by("position"))
    assert len(signups) == 30
    assert [s.position for s in signups] == list(range(1, 31))
    assert sum(s.status == "confirmed" for s in signups) == 10
    # Arrival order: the first ten to get the lock have the places, the rest wait in order.
    assert [s.status for s in signups] == ["confirmed"] * 10 + ["waitlisted"] * 20
    created = [s.created_at for s in signups]
    assert created == sorted(created)

    first_waiting = signups[10]
    services.cancel_signup(signup=signups[0])
    confirmed = Signup.objects.filter(shift=shift, status="confirmed")
    assert confirmed.count() == 10
    assert set(confirmed.values_list("pk", flat=True)) == {s.pk for s in signups[1:11]}
    assert Signup.objects.get(pk=first_waiting.pk).promoted_at is not None
    assert Signup.objects.filter(shift=shift, status="waitlisted").count() == 19


def test_cancellations_at_once_never_overfill_the_shift(network):
    shift = make_shift(network.community_a1, capacity=5)
    signups = [
        services.sign_up(shift=shift, volunteer=make_volunteer(network.community_a1))
        for _ in range(15)
    ]
    run_at_once([lambda s=s: services.cancel_signup(signup=s) for s in signups[:5]])
    assert Signup.objects.filter(shift=shift, status="confirmed").count() == 5
    assert set(
        Signup.objects.filter(shift=shift, status="confirmed").values_list("position", flat=True)
    ) == {6, 7, 8, 9, 10}
