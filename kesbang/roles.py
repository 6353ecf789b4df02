"""The roles (groups) and the permissions each holds. Applied by data migrations through
``sync_roles``; a change here needs a new migration that calls it again.

Permissions are chosen by app and action, so a model added later gets the same rights as its app
once a migration re-runs ``sync_roles``. Region limits are not permissions: see ``teams.access``.
"""

from django.contrib.auth.management import create_permissions

from teams.access import Role

ALL = {"view", "add", "change", "delete"}
WRITE = {"view", "add", "change"}

ROLE_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    Role.ADMINISTRATOR: {
        "teams": ALL, "incidents": ALL, "meetings": ALL, "kesbang": ALL,
        "auth": ALL, "django_celery_beat": ALL, "axes": ALL,
        "otp_totp": ALL, "otp_static": ALL,
    },
    Role.PIMPINAN: {"teams": {"view"}, "incidents": {"view"}, "meetings": {"view"}, "kesbang": {"view"}},
    Role.STAF_PROVINSI: {"teams": ALL, "incidents": ALL, "meetings": ALL, "kesbang": WRITE},
    Role.STAF_KABKOTA: {"teams": WRITE, "incidents": WRITE, "meetings": WRITE, "kesbang": {"view"}},
    Role.ANGGOTA_TIM: {"teams": {"view"}, "incidents": {"view", "add"}, "meetings": {"view"}},
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the groups and set exactly the permissions above (safe to run again)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for perm in Permission.objects.filter(content_type__app_label__in=grants).select_related("content_type"):
            action = perm.codename.split("_", 1)[0]
            if action in grants[perm.content_type.app_label]:
                wanted.append(perm)
        group.permissions.set(wanted)
