"""Every write of the projects app. Admin actions, the API, demo data and tasks call these.

Each function is keyword-only and runs in one transaction. Refusals raise Django's
``ValidationError`` (bad data, a guard of the lifecycle) or ``PermissionDenied`` (the wrong
person), always with a message a social worker can act on. ``by=None`` means the system
(commands, tasks, demo data): no person to check.

One module per part of the work: ``assessments``, ``design``, ``lifecycle``, ``disclosure``,
``delivery`` (progress updates, activities, assistance) and ``beneficiaries``; ``checks`` holds
what they share.
"""

from .assessments import (
    create_needs_assessment,
)
from .beneficiaries import (
    enroll_beneficiary,
    log_personal_data_access,
    register_beneficiary,
    reveal_personal_data,
    save_beneficiary,
    update_beneficiary,
    validate_beneficiary,
)
from .checks import (
    Status,
)
from .delivery import (
    finish_activity,
    publish_progress_update,
    record_activity,
    record_assistance,
)
from .design import (
    add_budget_line,
    add_indicator,
    create_project,
    update_project,
)
from .disclosure import (
    ensure_can_fundraise,
    flag_overdue_disclosures,
    run_fundraising_guards,
)
from .lifecycle import (
    approve_project,
    check_can_evaluate,
    close_project,
    complete_evaluation,
    record_evaluation,
    reopen_fundraising,
    return_to_design,
    start_project,
    submit_for_review,
)

__all__ = [
    "Status",
    "add_budget_line",
    "add_indicator",
    "approve_project",
    "check_can_evaluate",
    "close_project",
    "complete_evaluation",
    "create_needs_assessment",
    "create_project",
    "enroll_beneficiary",
    "ensure_can_fundraise",
    "finish_activity",
    "flag_overdue_disclosures",
    "log_personal_data_access",
    "publish_progress_update",
    "record_activity",
    "record_assistance",
    "record_evaluation",
    "register_beneficiary",
    "reopen_fundraising",
    "return_to_design",
    "reveal_personal_data",
    "run_fundraising_guards",
    "save_beneficiary",
    "start_project",
    "submit_for_review",
    "update_beneficiary",
    "update_project",
    "validate_beneficiary",
]
