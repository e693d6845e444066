"""Role groups survive a flushed database.

The groups and their permissions are made by each app's data migrations
(``grant_role_permissions``). ``manage.py flush`` (and every transactional test, which flushes
the database after it runs) empties the tables without running migrations again, but it does
emit ``post_migrate``: this handler then grants every role what the migrations granted.
"""

import importlib
import pkgutil

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS


def migration_grants() -> dict[str, set[str]]:
    """Every ``GRANTS`` dict of every installed app's migrations, merged by role."""
    merged: dict[str, set[str]] = {}
    for app_config in global_apps.get_app_configs():
        try:
            package = importlib.import_module(f"{app_config.name}.migrations")
        except ImportError:
            continue
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for role, perms in getattr(module, "GRANTS", {}).items():
                merged.setdefault(role, set()).update(perms)
    return merged


def restore_role_grants(
    sender=None, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
) -> None:
    """Give each role group every permission its migrations granted (idempotent).

    Runs once per ``migrate`` or ``flush``: for the last app whose signal is sent, when every
    app's permissions exist.
    """
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if app_config is not None and with_models and app_config.label != with_models[-1].label:
        return
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    from .roles import ROLE_GROUP_NAMES

    grants = migration_grants()
    for label in {perm.split(".")[0] for perms in grants.values() for perm in perms}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    wanted = {perm for perms in grants.values() for perm in perms}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    for role, perms in grants.items():
        group, _created = Group.objects.using(using).get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.add(*[by_name[p] for p in perms if p in by_name])
