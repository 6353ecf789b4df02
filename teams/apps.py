from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Tim Terpadu")

    def ready(self) -> None:
        from kesbang.core.uploads import cleanup_files_for
        from teams.models import Evidence

        # An evidence row deleted anywhere (service, admin, cascade) takes its file with it after commit.
        cleanup_files_for(Evidence, "file")
