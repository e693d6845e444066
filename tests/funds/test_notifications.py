"""Emails after commit through Celery: members when a request awaits their vote, the
requester on the decision. Each goes out once."""

import pytest
from django.core import mail

from funds import services
from funds.tasks import notify_decision_task, notify_vote_requested_task

pytestmark = pytest.mark.django_db


def test_members_are_emailed_after_commit_when_voting_opens(
    make_request, committee, project, eager_tasks, django_capture_on_commit_callbacks
):
    committee.seats["member_1"].tied_projects.add(project)  # recused: no email
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = make_request()
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        ["chair@example.org", "vice_chair@example.org", "secretary@example.org",
         "member_2@example.org"]
    )  # fmt: skip
    assert "等待您投票" in mail.outbox[0].subject
    assert f"/funds/{request.fund.code}/dashboard/" in mail.outbox[0].body
    # Running the task again sends nothing more.
    assert notify_vote_requested_task(request.pk) == 0
    assert len(mail.outbox) == 4


def test_the_requester_is_emailed_the_decision_with_the_minutes(
    make_request, committee, requester, eager_tasks, django_capture_on_commit_callbacks
):
    requester.email = "worker@example.org"
    requester.save()
    request = make_request()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for user in committee.voters[:4]:
            services.cast_vote(request=request, by=user, choice="approve")
    decision = [m for m in mail.outbox if m.to == ["worker@example.org"]]
    assert len(decision) == 1
    assert "已批准" in decision[0].subject and "同意 4" in decision[0].body
    assert notify_decision_task(request.pk) == 0
