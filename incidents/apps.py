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

        # The list's count and the map's figures are cached until a write of anything they may read:
        # every model of this app, and the teams models an incident's visibility is decided by.
        from kesbang.core import generations

        generations.watch("incidents", [m._meta.label for m in self.get_models()] + [
            "teams.Region", "teams.Team", "teams.Membership", "teams.Person"])
        generations.watch(generations.REGISTERS, ["incidents.Category"])  # the category select's options
