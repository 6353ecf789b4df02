from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kesbang.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from kesbang.api import (
            schema,  # noqa: F401 - registers the OpenAPI descriptions of our log-ins
            signals,
        )

        signals.connect()  # a changed password revokes the login's tokens
