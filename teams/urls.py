from teams.views import imports, people, plans
from teams.views import teams as team_views

app_name = "teams"

urlpatterns = [
    *team_views.urlpatterns,
    *people.urlpatterns,
    *imports.urlpatterns,
    *plans.urlpatterns,
]
