from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": [
        "donations.view_goodsdonation",
        "donations.add_goodsdonation",
        "donations.export_goodsdonation",
        "donations.view_goodsitem",
        "donations.distribute_goodsitem",
        "donations.view_goodsmovement",
    ],
    "social_worker": [
        "donations.view_goodsdonation",
        "donations.add_goodsdonation",
        "donations.view_goodsitem",
        "donations.distribute_goodsitem",
        "donations.view_goodsmovement",
    ],
    "finance_officer": [
        "donations.view_goodsdonation",
        "donations.export_goodsdonation",
        "donations.view_goodsitem",
        "donations.view_goodsmovement",
    ],
    "volunteer_coordinator": [
        "donations.view_goodsdonation",
        "donations.add_goodsdonation",
        "donations.view_goodsitem",
        "donations.view_goodsmovement",
    ],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("donations", "0003_goods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
