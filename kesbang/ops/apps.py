from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """No models: the app exists so ``manage.py backup``, ``restore`` and ``orphan_files`` are found."""

    name = "kesbang.ops"
    label = "ops"
    verbose_name = _("Operasional")
