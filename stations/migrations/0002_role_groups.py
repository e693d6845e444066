from django.db import migrations

from stations.roles import grant_role_permissions

GRANTS = {
    "director": [
        "stations.view_station",
        "stations.add_station",
        "stations.change_station",
        "stations.view_staffmembership",
    ],
    "social_worker": ["stations.view_station"],
    "finance_officer": ["stations.view_station"],
    "volunteer_coordinator": ["stations.view_station"],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


def backwards(apps, schema_editor):
    from stations.roles import ROLE_GROUP_NAMES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUP_NAMES.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
