"""The world the admin's changelists are read in: street A's staff, one of each role, and the
superuser, with the objects a test's rows share."""

from dataclasses import dataclass

from tests.factories import Role
from tests.query_count_rows import M, Stock, make_volunteers, today

# The role whose job a page is, by app; the first role below that may see the page otherwise.
JOB_OF_APP = {
    "projects": Role.SOCIAL_WORKER,
    "funds": Role.FINANCE_OFFICER,
    "donations": Role.FINANCE_OFFICER,
    "volunteers": Role.VOLUNTEER_COORDINATOR,
}
ROLE_ORDER = [Role.DIRECTOR, Role.SOCIAL_WORKER, Role.FINANCE_OFFICER, Role.VOLUNTEER_COORDINATOR]


@dataclass
class World(Stock):
    """District → street A (where every staff member works) → community A1, and what one
    test has built so far (``made``, emptied before each test)."""

    staff: dict  # role → user
    superuser: object

    def reader_of(self, model) -> tuple[str, object]:
        opts = model._meta
        perms = [
            f"{opts.app_label}.view_{opts.model_name}",
            f"{opts.app_label}.change_{opts.model_name}",
        ]
        job = JOB_OF_APP.get(opts.app_label)
        for role in ([job] if job else []) + ROLE_ORDER:
            user = self.staff[role]
            if any(user.has_perm(perm) for perm in perms):
                return str(role), user
        return "superuser", self.superuser

    @property
    def sw(self):
        return self.staff[Role.SOCIAL_WORKER]

    def lead(self):
        return self.sw

    def activity(self):
        return self.once(
            "activity",
            lambda: M("projects.ServiceActivity").objects.create(
                project=self.project(), date=today(), place="活动室", description="义剪"
            ),
        )

    def volunteers(self):
        """Five volunteers whom a test's rows share."""
        return self.once("volunteers", lambda: make_volunteers(self.community_a1, 5))
