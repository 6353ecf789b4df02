from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "kesbang.office"
    label = "office"
    verbose_name = _("Kantor Kesbangpol")

    def ready(self):
        from kesbang.office.selectors import connect_invalidation

        connect_invalidation()
