from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Rapat")

    def ready(self) -> None:
        from kesbang.core.uploads import cleanup_files_for
        from meetings.models import ActionItemEvidence, MeetingDocument

        cleanup_files_for(MeetingDocument, "file")
        cleanup_files_for(ActionItemEvidence, "file")
