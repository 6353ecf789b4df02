"""Views: the person register (list with search, detail with every membership, create, edit).

People are fetched through ``people_visible_to(user)`` (404 outside the scope). Editing also needs
the person's region inside the login's scope: a Staf Kabupaten/Kota may see a member of their team
who works elsewhere, but not rewrite their record (403).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from teams import selectors, services
from teams.access import scope_of
from teams.filters import PersonFilter
from teams.forms import PersonForm
from teams.models import Person, Region
from teams.tables import PAGINATION, PersonTable
from teams.views.teams import ProtectedView, ServiceFormView


class PersonListView(ProtectedView, SingleTableMixin, FilterView):
    permission_required = "teams.view_person"
    template_name = "teams/person_list.html"
    table_class = PersonTable
    filterset_class = PersonFilter
    table_pagination = PAGINATION

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        filtered = self.filterset.is_bound and any(v for v in self.filterset.data.values())
        return super().get_context_data(is_filtered=filtered, **kwargs)


class PersonDetailView(ProtectedView, TemplateView):
    permission_required = "teams.view_person"
    template_name = "teams/person_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        person = selectors.person_detail(user=user, pk=self.kwargs["pk"])
        memberships = list(person.memberships.all())
        return super().get_context_data(
            person=person,
            active_memberships=[m for m in memberships if m.end_date is None],
            past_memberships=[m for m in memberships if m.end_date is not None],
            can_edit=user.has_perm("teams.change_person") and scope_of(user).covers(person.region.code),
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
            .filter(pk__in=selectors.people_visible_to(self.request.user).values("pk"))
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


class PersonUpdateView(ServiceFormView):
    permission_required = "teams.change_person"
    template_name = "teams/person_form.html"
    form_class = PersonForm

    @cached_property
    def person(self) -> Person:
        from django.shortcuts import get_object_or_404

        qs = selectors.people_visible_to(self.request.user).select_related("region", "institution")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        if not scope_of(request.user).covers(self.person.region.code):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.person, name) for name in PersonForm.base_fields if name != "confirm_duplicate"}

    def get_form_kwargs(self):
        # The person's current region stays selectable even when it is a kecamatan.
        regions = Region.objects.filter(
            Q(pk__in=selectors.team_regions_for(self.request.user)) | Q(pk=self.person.region_id)
        ).order_by("code")
        return {**super().get_form_kwargs(), "regions": regions}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

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
    path("orang/<int:pk>/", PersonDetailView.as_view(), name="person_detail"),
    path("orang/<int:pk>/ubah/", PersonUpdateView.as_view(), name="person_update"),
]
