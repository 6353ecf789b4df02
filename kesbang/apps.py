from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KesbangConfig(AppConfig):
    name = "kesbang"
    verbose_name = _("Kantor Kesbangpol")
