from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": [
        "funds.view_hostcharity",
        "funds.view_fund",
        "funds.add_fund",
        "funds.change_fund",
        "funds.view_campaign",
        "funds.add_campaign",
        "funds.change_campaign",
        "funds.view_campaignshare",
        "funds.add_campaignshare",
        "funds.change_campaignshare",
        "funds.delete_campaignshare",
        "funds.view_ledgerentry",
    ],
    "social_worker": ["funds.view_fund", "funds.view_campaign"],
    "finance_officer": [
        "funds.view_hostcharity",
        "funds.view_fund",
        "funds.view_campaign",
        "funds.view_ledgerentry",
        "funds.view_attribution",
    ],
    "volunteer_coordinator": [],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_ledger_append_only_triggers"), ("stations", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
