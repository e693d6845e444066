from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": [
        "funds.view_committee",
        "funds.add_committee",
        "funds.change_committee",
        "funds.view_committeemember",
        "funds.add_committeemember",
        "funds.change_committeemember",
        "funds.delete_committeemember",
        "funds.view_disbursementrequest",
        "funds.add_disbursementrequest",
        "funds.change_disbursementrequest",
        "funds.review_disbursementrequest",
        "funds.view_vote",
        "funds.view_disbursementevent",
    ],
    "social_worker": [
        "funds.view_committee",
        "funds.view_committeemember",
        "funds.view_disbursementrequest",
        "funds.add_disbursementrequest",
        "funds.change_disbursementrequest",
        "funds.view_vote",
        "funds.view_disbursementevent",
        "funds.view_ledgerentry",
    ],
    "finance_officer": [
        "funds.view_committee",
        "funds.view_committeemember",
        "funds.view_disbursementrequest",
        "funds.pay_disbursementrequest",
        "funds.view_vote",
        "funds.view_disbursementevent",
    ],
    "volunteer_coordinator": [],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("funds", "0004_committees_and_disbursements")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
