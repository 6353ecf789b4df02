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

        # The filter forms' options (regions, teams, institutions), the registers' counts and the login
        # scopes that narrow both are read from these: a write of any of them ends what was cached.
        from kesbang.core import generations

        generations.watch(generations.REGISTERS, ["teams.Region", "teams.Team", "teams.Membership", "teams.Person",
                                                "teams.Institution"])
