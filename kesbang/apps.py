from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KesbangConfig(AppConfig):
    name = "kesbang"
    verbose_name = _("Kantor Kesbangpol")

    def ready(self) -> None:
        from kesbang.roles import sync_roles_after_migrate

        # The role matrix (kesbang/roles.py) is applied on every migrate, so a new row needs no migration.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="kesbang.roles.sync")
