"""The project lifecycle's rules: which status may follow which, and what each allows."""

from .models import Project

Status = Project.Status

# The lifecycle: which status may follow which. Everything else is refused with one message.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DESIGN: (Status.REVIEW,),
    Status.REVIEW: (Status.FUNDRAISING, Status.DESIGN),
    Status.FUNDRAISING: (Status.ACTIVE,),
    Status.ACTIVE: (Status.CLOSED, Status.FUNDRAISING),
    Status.CLOSED: (Status.EVALUATED,),
    Status.EVALUATED: (),
}
# A project's plan (budget, indicators) may change only before it is approved.
PLANNING_STATUSES = (Status.DESIGN, Status.REVIEW)
# Assistance, activities and progress updates belong to a project that is under way.
RUNNING_STATUSES = (Status.FUNDRAISING, Status.ACTIVE)
# The plan: what changes only while the project is in design or review.
PLAN_FIELDS = {
    "title",
    "kind",
    "category",
    "summary",
    "objectives",
    "target_group",
    "target_beneficiaries",
    "fundraising_goal",
}
# What the lead may change at any time.
ANYTIME_FIELDS = {"summary", "start_date", "end_date", "lead"}
