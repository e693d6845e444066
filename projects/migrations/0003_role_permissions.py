from django.db import migrations

from stations.roles import grant_role_permissions


def _perms(actions, models):
    return [f"projects.{action}_{model}" for model in models for action in actions]


WORK_MODELS = [
    "needsassessment",
    "assessedneed",
    "assessmentattachment",
    "project",
    "budgetline",
    "outcomeindicator",
    "beneficiary",
    "beneficiarycategory",
    "assistancerecord",
    "serviceactivity",
    "progressupdate",
    "progressphoto",
    "evaluation",
    "indicatorresult",
]

GRANTS = {
    "director": _perms(["view", "add", "change"], WORK_MODELS)
    + ["projects.view_beneficiaryviewlog"],
    "social_worker": _perms(["view", "add", "change"], WORK_MODELS),
    # Finance and volunteer coordinators see projects and budgets, never beneficiaries.
    "finance_officer": _perms(
        ["view"], ["project", "budgetline", "outcomeindicator", "progressupdate", "evaluation"]
    ),
    "volunteer_coordinator": _perms(["view"], ["project", "serviceactivity", "progressupdate"]),
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, GRANTS)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="projects"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_extend_projects_beneficiaries")]

    operations = [migrations.RunPython(forwards, backwards)]
