from teams.views import members, people, plans
from teams.views import teams as team_views

app_name = "teams"

urlpatterns = [
    *team_views.urlpatterns,
    *people.urlpatterns,
    *members.urlpatterns,
    *plans.urlpatterns,
]
