"""Which models keep an audit history, and which of their fields are personal (masked).

Money (donations, ledger entries, receipts, refunds, disbursements), statuses (projects,
campaigns, reports, volunteers...), committee votes and personal data (beneficiaries,
volunteers, donors) are all here. A field listed in ``mask`` is written masked
(``audit.masking.mask_value``); a field in ``exclude`` is not written at all (ciphertext,
digests, tokens, raw gateway data).
"""

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth import get_user_model

MASK_CALLABLE = "audit.masking.mask_value"

# "app_label.Model": {"mask": [...], "exclude": [...]}
AUDITED: dict[str, dict[str, list[str]]] = {
    # People and their stations
    "stations.Station": {"exclude": ["path", "depth"]},
    "stations.StaffMembership": {},
    # Projects, needs and beneficiaries
    "projects.NeedsAssessment": {},
    "projects.Project": {},
    "projects.BudgetLine": {},
    "projects.OutcomeIndicator": {},
    "projects.ServiceActivity": {},
    "projects.IndicatorResult": {},
    "projects.Beneficiary": {
        "mask": ["name", "phone", "address", "household_registration", "guardian_name"],
        "exclude": ["id_number_encrypted", "id_number_hash"],
    },
    "projects.BeneficiaryCategory": {},
    "projects.AssistanceRecord": {},
    "projects.ProgressUpdate": {},
    "projects.Evaluation": {},
    # Funds, campaigns, ledger, committees and disbursements
    "funds.HostCharity": {},
    "funds.Fund": {},
    "funds.Campaign": {},
    "funds.CampaignShare": {},
    "funds.LedgerEntry": {},
    "funds.Attribution": {},
    "funds.Committee": {},
    "funds.CommitteeMember": {"mask": ["email"]},
    "funds.DisbursementRequest": {},
    "funds.Vote": {},
    "funds.DisbursementEvent": {},
    # Volunteers
    "volunteers.Volunteer": {
        "mask": [
            "real_name",
            "mobile",
            "email",
            "id_number",
            "emergency_contact_name",
            "emergency_contact_phone",
            "guardian_name",
            "guardian_phone",
            "insurance_policy_number",
        ],
        "exclude": ["id_number_digest"],
    },
    "volunteers.Opportunity": {},
    "volunteers.Shift": {},
    "volunteers.Signup": {},
    "volunteers.ServiceRecord": {},
    "volunteers.Certificate": {},
    # Donations, donors, receipts, goods
    "donations.DonationPoint": {},
    "donations.Donor": {"mask": ["name", "mobile", "email"]},
    "donations.DonationBatch": {},
    "donations.Donation": {
        "mask": ["donor_name", "mobile"],
        "exclude": ["form_token", "provider_data"],
    },
    "donations.Receipt": {"mask": ["payer_name"]},
    "donations.GoodsDonation": {"mask": ["donor_name", "donor_mobile", "mobile"]},
    "donations.GoodsItem": {},
    "donations.GoodsMovement": {},
    # Reports
    "reports.Report": {"exclude": ["progress", "progress_step", "heartbeat_at"]},
}

# Models whose text representation names a person: the history keeps it masked.
PERSONAL_MODELS = {
    "projects.Beneficiary",
    "volunteers.Volunteer",
    "donations.Donor",
    "donations.Donation",
    "donations.Receipt",
    "donations.GoodsDonation",
}


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def register_all() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        names = _field_names(model)
        mask = [f for f in options.get("mask", []) if f in names]
        exclude = [f for f in options.get("exclude", []) if f in names]
        auditlog.register(
            model, mask_fields=mask, mask_callable=MASK_CALLABLE, exclude_fields=exclude
        )
    auditlog.register(
        get_user_model(),
        include_fields=["username", "is_active", "is_staff", "is_superuser", "groups"],
        m2m_fields={"groups"},
    )


def audited_models() -> list:
    return [apps.get_model(label) for label in AUDITED] + [get_user_model()]


register_all()
