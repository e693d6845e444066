"""Staff roles as Django groups, and the permissions each role holds.

Each app's migration grants its own permissions to the role groups with
``grant_role_permissions``; a membership adds the user to the group of its role.
"""

from django.utils.translation import gettext_lazy as _

from .models import StaffMembership

Role = StaffMembership.Role

# Group names are what staff see in the admin, so they are in Chinese (the data, not the UI).
ROLE_GROUP_NAMES: dict[str, str] = {
    Role.DIRECTOR: "站长",
    Role.SOCIAL_WORKER: "社工",
    Role.FINANCE_OFFICER: "财务",
    Role.VOLUNTEER_COORDINATOR: "志愿者协调员",
}

ROLE_HELP = {
    Role.DIRECTOR: _("Runs the station and everything below it; approves reviews."),
    Role.SOCIAL_WORKER: _("Assesses needs, runs projects, registers beneficiaries."),
    Role.FINANCE_OFFICER: _("Confirms donations, issues receipts, pays disbursements."),
    Role.VOLUNTEER_COORDINATOR: _("Runs volunteers, shifts and service hours."),
}


def grant_role_permissions(apps, schema_editor, grants: dict[str, list[str]]) -> None:
    """Create the role groups if needed and give each the ``app_label.codename`` permissions.

    For data migrations: permissions are normally created after ``migrate`` finishes, so they
    are created here first for the apps whose permissions are named.
    """
    from django.contrib.auth.management import create_permissions

    for app_label in {perm.split(".")[0] for perms in grants.values() for perm in perms}:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
