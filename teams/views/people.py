"""Views: people."""

urlpatterns: list = []
