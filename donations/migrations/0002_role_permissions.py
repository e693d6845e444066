from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": [
        "donations.view_donationpoint",
        "donations.add_donationpoint",
        "donations.change_donationpoint",
        "donations.view_donation",
        "donations.add_donation",
        "donations.export_donation",
        "donations.view_donor",
        "donations.view_donationbatch",
        "donations.view_receipt",
    ],
    "social_worker": ["donations.view_donationpoint"],
    "finance_officer": [
        "donations.view_donationpoint",
        "donations.view_donation",
        "donations.add_donation",
        "donations.confirm_donation",
        "donations.refund_donation",
        "donations.export_donation",
        "donations.view_donor",
        "donations.change_donor",
        "donations.view_donationbatch",
        "donations.add_donationbatch",
        "donations.view_receipt",
        "donations.void_receipt",
    ],
    "volunteer_coordinator": [],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial"), ("stations", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
