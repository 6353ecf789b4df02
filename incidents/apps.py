from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Insiden")

    def ready(self) -> None:
        from incidents.models import Attachment, PublicReportPhoto
        from kesbang.core.uploads import cleanup_files_for

        # A deleted attachment (page, admin, or an incident cascade) loses its file after commit.
        cleanup_files_for(Attachment, "file")
        # A public report's photo goes once it is copied to an incident or erased after retention.
        cleanup_files_for(PublicReportPhoto, "file")
