"""The models of projects, one module per part of the domain.

Every name stays importable from ``projects.models``.
"""

# isort: off
# In the order the models were defined in the one models module: the order Django registers
# them (and so the order of reverse relations, content types and permissions) is unchanged.
from .assessments import (
    AssessedNeed,
    AssessmentAttachment,
    NeedCategory,
    NeedsAssessment,
    Priority,
)
from .projects import (
    POSITIVE_AMOUNT,
    PUBLIC_STATUSES,
    BudgetLine,
    OutcomeIndicator,
    Project,
)
from .beneficiaries import (
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
)
from .progress import (
    Evaluation,
    IndicatorResult,
    ProgressPhoto,
    ProgressUpdate,
    ServiceActivity,
)

# isort: on

__all__ = [
    "POSITIVE_AMOUNT",
    "PUBLIC_STATUSES",
    "AssessedNeed",
    "AssessmentAttachment",
    "AssistanceRecord",
    "Beneficiary",
    "BeneficiaryCategory",
    "BeneficiaryViewLog",
    "BudgetLine",
    "Evaluation",
    "IndicatorResult",
    "NeedCategory",
    "NeedsAssessment",
    "OutcomeIndicator",
    "Priority",
    "ProgressPhoto",
    "ProgressUpdate",
    "Project",
    "ServiceActivity",
]
