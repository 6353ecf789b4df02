from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "kesbang.integrations"
    label = "integrations"
    verbose_name = _("Integrasi")

    def ready(self) -> None:
        from kesbang.core import events
        from kesbang.core.uploads import cleanup_files_for
        from kesbang.integrations.models import NationalPackage
        from kesbang.integrations.webhooks import record_event

        # The services of the lower apps emit; the webhooks record each event (kesbang.core.events).
        events.listen(record_event)
        cleanup_files_for(NationalPackage, "file")
