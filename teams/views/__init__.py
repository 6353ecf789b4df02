"""Views of the teams app, one module per area; each module exports its ``urlpatterns``."""
