"""The models of community funds, one module per part of the domain.

Every name stays importable from ``funds.models``.
"""

# isort: off
# In the order the models were defined in the one models module: the order Django registers
# them (and so the order of reverse relations, content types and permissions) is unchanged.
from .funds import Fund, HostCharity
from .campaigns import Campaign, CampaignShare
from .ledger import AppendOnlyModel, AppendOnlyQuerySet, Attribution, LedgerEntry
from .committee import Committee, CommitteeMember, normalize_payee
from .disbursements import DisbursementEvent, DisbursementRequest, Vote
from .rollups import HostLedgerMonth, LedgerMonth, RollupCursor

# isort: on

__all__ = [
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "Attribution",
    "Campaign",
    "CampaignShare",
    "Committee",
    "CommitteeMember",
    "DisbursementEvent",
    "DisbursementRequest",
    "Fund",
    "HostCharity",
    "HostLedgerMonth",
    "LedgerEntry",
    "LedgerMonth",
    "RollupCursor",
    "Vote",
    "normalize_payee",
]
