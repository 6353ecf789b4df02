from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KesbangConfig(AppConfig):
    """Login security and audit. The label stays ``kesbang`` (the app's tables, migration history and
    content types predate the move to ``kesbang/accounts/``)."""

    name = "kesbang.accounts"
    label = "kesbang"
    verbose_name = _("Akun dan keamanan")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from kesbang.accounts import audit, grants, twofactor
        from kesbang.accounts.roles import sync_roles_after_migrate
        from kesbang.core import ids

        ids.install()  # <id:pk> URLs and bounded integer lookups (kesbang/core/ids.py)
        # The role matrix (kesbang/accounts/roles.py) is applied on every migrate, so a new row needs no migration.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="kesbang.accounts.roles.sync")
        signals.user_logged_in.connect(audit.on_logged_in, dispatch_uid="kesbang-audit-login")
        signals.user_logged_in.connect(twofactor.on_logged_in, dispatch_uid="kesbang-otp-login")
        signals.user_logged_out.connect(audit.on_logged_out, dispatch_uid="kesbang-audit-logout")
        signals.user_login_failed.connect(audit.on_login_failed, dispatch_uid="kesbang-audit-failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="kesbang-audit-locked")
        grants.connect()  # every grant and revocation of access is audited, whatever made it
