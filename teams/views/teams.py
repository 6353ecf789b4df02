"""Views: teams."""

urlpatterns: list = []
