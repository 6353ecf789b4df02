from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kesbang.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # The OpenAPI extensions (kesbang.api.schema) are registered by kesbang.api.docs, which the
        # URLconf imports: a Celery worker that never loads the URLconf does not load drf-spectacular's
        # test helpers (Django's test client, Jinja2) with them (report worker: 5 MB less).
        from kesbang.api import signals

        signals.connect()  # a changed password revokes the login's tokens
