from django.db import migrations

from stations.roles import grant_role_permissions

RUN_VOLUNTEERS = [
    "volunteers.view_volunteer",
    "volunteers.add_volunteer",
    "volunteers.change_volunteer",
    "volunteers.view_opportunity",
    "volunteers.add_opportunity",
    "volunteers.change_opportunity",
    "volunteers.view_shift",
    "volunteers.add_shift",
    "volunteers.change_shift",
    "volunteers.delete_shift",
    "volunteers.view_signup",
    "volunteers.change_signup",
    "volunteers.view_servicerecord",
    "volunteers.change_servicerecord",
    "volunteers.view_certificate",
]

GRANTS = {
    "volunteer_coordinator": RUN_VOLUNTEERS,
    "director": RUN_VOLUNTEERS,
    "social_worker": [
        "volunteers.view_opportunity",
        "volunteers.add_opportunity",
        "volunteers.change_opportunity",
        "volunteers.view_shift",
        "volunteers.add_shift",
        "volunteers.change_shift",
    ],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="volunteers")
    for group in Group.objects.all():
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("stations", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
