"""The only writers of the ledger, and the services of campaigns, committees and disbursements.
Every function is one transaction.

Rules (ARCHITECTURE.md, "Money rules"): amounts are Decimal yuan; the ledger is append-only
(a correction is a reversing entry); no balance, total, unrestricted or restricted to a
project, goes below zero, also under concurrency (the fund row is locked where a balance is
checked); the same source posts once.

One module per part: ``ledger`` (entries, spending, reversals), ``campaigns``, ``committees``,
``disbursements`` (what a request's steps share), ``requests`` (a station asks), ``voting``
(the committee decides) and ``payment`` (the host reviews, pays, reconciles). The e-mails
about requests are in ``funds.notifications``.
"""

from .campaigns import (
    Share,
    check_shares_add_up,
    create_campaign,
    publish_campaign,
)
from .committees import (
    add_committee_member,
)
from .disbursements import (
    Status,
    check_disbursement_request,
)
from .ledger import (
    Source,
    post_entry,
    reverse_entry,
    spend_for_project,
)
from .payment import (
    pay_disbursement,
    reconcile_disbursement,
    record_supervisor_opinion,
    review_disbursement,
)
from .requests import (
    request_disbursement,
    submit_disbursement,
)
from .voting import (
    cast_vote,
    open_voting,
)

__all__ = [
    "Share",
    "Source",
    "Status",
    "add_committee_member",
    "check_shares_add_up",
    "cast_vote",
    "check_disbursement_request",
    "create_campaign",
    "open_voting",
    "pay_disbursement",
    "post_entry",
    "publish_campaign",
    "reconcile_disbursement",
    "record_supervisor_opinion",
    "request_disbursement",
    "reverse_entry",
    "review_disbursement",
    "spend_for_project",
    "submit_disbursement",
]
