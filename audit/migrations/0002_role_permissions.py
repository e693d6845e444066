from django.db import migrations

from stations.roles import grant_role_permissions

# Directors read the audit history of their stations in the admin (audit.admin scopes it).
GRANTS = {"director": ["auditlog.view_logentry"]}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_append_only_history"),
        ("stations", "0002_role_groups"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
