"""The world the residents' pages are read in, with the residents whose own pages they are:
a volunteer with an account, a committee member, and a donor who looks up their gifts."""

from dataclasses import dataclass
from decimal import Decimal

from tests.factories import make_user
from tests.query_count_rows import (
    M,
    Stock,
    bulk,
    make_receipts,
    new_donation,
    new_entry,
    new_member,
    new_volunteer,
    next_k,
    saved,
)

GIVER = "13912345678"  # the donor who looks up their own gifts


@dataclass
class World(Stock):
    """District → street A (donation point, volunteers) → community A1, and what one test has
    built so far (``made``, emptied before each test)."""

    def worker(self):
        """The social worker who writes the updates, asks for the money and helps people."""
        return self.once("worker", lambda: make_user(f"worker{next_k()}"))

    def volunteer(self):
        """The volunteer who signs in to see their own page."""

        def make():
            volunteer = new_volunteer(self.community_a1, real_name="林志愿")
            volunteer.user = make_user(volunteer.number)
            return saved(volunteer)

        return self.once("volunteer", make)

    def other_volunteer(self):
        """A volunteer who takes places on shifts, and is not the one signed in."""

        return self.once(
            "other_volunteer",
            lambda: saved(new_volunteer(self.community_a1, real_name="王志愿", gender="male")),
        )

    def committee_member(self):
        """A resident who sits on the fund's committee (not staff), with the rest of it."""

        def make():
            committee = M("funds.Committee").objects.create(fund=self.fund())
            resident = make_user(f"resident{next_k()}")
            seats = ["vice_chair", "member", "member", "member", "supervisor"]
            bulk(
                "funds.CommitteeMember",
                [new_member(committee, "chair", user=resident)]
                + [new_member(committee, role) for role in seats],
            )
            return resident

        return self.once("committee_member", make)

    def receipt(self):
        """A confirmed gift to the fund, its receipt and its credit in the ledger."""

        def make():
            gift = saved(new_donation(self.fund(), amount=Decimal("10000.00"), donor_name="陈女士"))
            entry = new_entry(
                self.fund(),
                gift.amount,
                source_type=M("donations.Donation")._meta.label_lower,
                source_id=str(gift.pk),
                public_name="陈女士",
            )
            saved(entry)
            return make_receipts(self.host(), [gift], "TH")[0]

        return self.once("receipt", make)
