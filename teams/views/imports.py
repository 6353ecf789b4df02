"""Views: imports."""

urlpatterns: list = []
