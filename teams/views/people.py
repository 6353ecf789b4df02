"""Views: the person register (list with search, detail with every membership, create, edit).

People come through ``Person.objects.restrict(user, "view")`` (404 outside the scope). Editing needs
the person in the login's "change" scope (its region): a Staf Kabupaten/Kota may see a member of
their team who works elsewhere, but not rewrite their record (403).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kesbang.core.views import ListTableView, ProtectedView, ScopedObjectMixin, ServiceFormView
from teams import selectors, services
from teams.access import scope_of
from teams.filters import PersonFilter
from teams.forms import PersonForm
from teams.models import Membership, Person, Region
from teams.tables import PersonTable


def person_changeable(user, person: Person) -> bool:
    """In memory, the rule of ``Person.objects.restrict(user, "change")`` for one loaded person."""
    return bool(user.is_superuser or scope_of(user).covers(person.region.code))


class PersonListView(ListTableView):
    permission_required = "teams.view_person"
    template_name = "teams/person_list.html"
    table_class = PersonTable
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.person_list(Person.objects.restrict(self.request.user, "view"))


class PersonDetailView(ProtectedView, ScopedObjectMixin, TemplateView):
    permission_required = "teams.view_person"
    template_name = "teams/person_detail.html"
    model = Person
    context_object_name = "person"

    def get_scoped_queryset(self):
        visible_memberships = Membership.objects.restrict(self.request.user, "view")
        return selectors.person_with_memberships(Person.objects.all(), visible_memberships)

    def get_context_data(self, **kwargs):
        user, person = self.request.user, self.object
        memberships = list(person.memberships.all())
        return super().get_context_data(
            active_memberships=[m for m in memberships if m.end_date is None],
            past_memberships=[m for m in memberships if m.end_date is not None],
            can_edit=user.has_perm("teams.change_person") and person_changeable(user, person),
            **kwargs,
        )


class PersonCreateView(ServiceFormView):
    """Create a person; a same-name person in the same institution must be confirmed first
    ("Tetap simpan"): nothing is saved until then."""

    permission_required = "teams.add_person"
    template_name = "teams/person_form.html"
    form_class = PersonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": selectors.team_regions_for(self.request.user)}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_duplicate", False)
        # Only people this login may see: the warning shows NIP, position and region, which a
        # regency's staff must not learn about another region's people by guessing a name.
        duplicates = list(
            services.person_possible_duplicates(name=data["name"], institution=data["institution"])
            .filter(pk__in=Person.objects.restrict(self.request.user, "view").values("pk"))
            .select_related("institution", "region")
        )
        if duplicates and not confirmed:
            form.ask_duplicate_confirmation()
            return self.render_to_response(self.get_context_data(form=form, duplicates=duplicates))
        return super().form_valid(form)

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        return services.person_create(**data)

    def get_success_message(self, person):
        return _("%(name)s telah ditambahkan ke daftar orang.") % {"name": person.name}


class PersonUpdateView(ScopedObjectMixin, ServiceFormView):
    permission_required = "teams.change_person"
    template_name = "teams/person_form.html"
    form_class = PersonForm
    model = Person
    scope_action = "change"
    context_object_name = "person"

    def get_scoped_queryset(self):
        return Person.objects.select_related("region", "institution")

    def may_change(self, obj) -> bool:
        return person_changeable(self.request.user, obj)

    @property
    def person(self) -> Person:
        return self.get_object()

    def get_initial(self):
        return {name: getattr(self.person, name) for name in PersonForm.base_fields if name != "confirm_duplicate"}

    def get_form_kwargs(self):
        # The person's current region stays selectable even when it is a kecamatan.
        regions = Region.objects.filter(
            Q(pk__in=selectors.team_regions_for(self.request.user)) | Q(pk=self.person.region_id)
        ).order_by("code")
        return {**super().get_form_kwargs(), "regions": regions}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        try:
            return services.person_update(person=self.person, **data)
        except ValidationError:
            self.person.refresh_from_db()
            raise

    def get_success_message(self, person):
        return _("Data %(name)s tersimpan.") % {"name": person.name}


urlpatterns = [
    path("orang/", PersonListView.as_view(), name="person_list"),
    path("orang/baru/", PersonCreateView.as_view(), name="person_create"),
    path("orang/<id:pk>/", PersonDetailView.as_view(), name="person_detail"),
    path("orang/<id:pk>/ubah/", PersonUpdateView.as_view(), name="person_update"),
]
