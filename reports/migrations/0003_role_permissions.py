from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": ["reports.view_report", "reports.add_report", "reports.publish_report"],
    "social_worker": ["reports.view_report", "reports.add_report"],
    "finance_officer": ["reports.view_report", "reports.add_report"],
    "volunteer_coordinator": ["reports.view_report"],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_published_reports_immutable"), ("stations", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
