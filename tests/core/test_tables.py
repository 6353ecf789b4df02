import pytest
from django.test import RequestFactory
from django.utils.html import format_html

from kesbang.core.tables import BoundedPaginator, Column, ListTable, paginate, per_page_from

rf = RequestFactory()


@pytest.mark.parametrize("value, expected", [("7", 10), ("-1", 10), ("100000", 200), ("abc", 25), ("50", 50)])
def test_per_page_from_is_bounded(value, expected):
    assert per_page_from(rf.get("/", {"per_page": value})) == expected


def test_paginator_clamps_page_numbers():
    paginator = BoundedPaginator(list(range(95)), 10)
    assert paginator.get_page("999").number == 10
    assert paginator.get_page("-3").number == 1
    assert paginator.get_page("x").number == 1
    assert paginate(rf.get("/", {"page": "99"}), list(range(30)), 10).number == 3


class _Row:
    def __init__(self, pk, name):
        self.pk, self.name, self.note = pk, name, "<b>"


class _Table(ListTable):
    name = Column("Nama", card="title")
    note = Column("Catatan", attrs={"td": {"class": "d-none d-md-table-cell"}})

    def render_name(self, record):
        return format_html("<strong>{}</strong>", record.name)


def test_list_table_escapes_cells_and_labels_cells_for_phone_cards():
    table = _Table([_Row(1, "A&B")], request=rf.get("/"))
    html = table.body_html()
    assert "<strong>A&amp;B</strong>" in html
    assert "&lt;b&gt;" in html  # accessor values escaped
    assert 'data-label="Catatan"' in html and "kb-card-title" in html
    assert table.total == 1


@pytest.mark.django_db
def test_list_table_sorts_only_by_declared_columns():
    from teams.models import Region

    class RegionTable(ListTable):
        name = Column("Nama", order_by=("name",))
        code = Column("Kode")
        default_order = ("code",)

    qs = Region.objects.filter(code__startswith="19.0", level="kabupaten")
    table = RegionTable(qs, request=rf.get("/", {"sort": "-name"}))
    names = [r.name for r in table.rows]
    assert names == sorted(names, reverse=True)
    head = {h["column"].name: h for h in table.header()}
    assert head["name"]["sorted"] == "descending" and head["code"]["url"] == ""
    assert str(table.header_html()) == (
        '<th scope="col" class="" aria-sort="descending"><a href="?sort=name" class="kb-sort">Nama '
        '<i class="bi bi-caret-down-fill text-primary" aria-hidden="true"></i></a></th>'
        '<th scope="col" class="">Kode</th>')
    ignored = RegionTable(qs, request=rf.get("/", {"sort": "password"}))
    assert [r.code for r in ignored.rows] == sorted(r.code for r in ignored.rows)


def test_fast_select_renders_like_djangos_select():
    from django import forms

    from kesbang.core.widgets import FastSelect, fast_selects

    class F(forms.Form):
        pick = forms.ChoiceField(choices=[("", "Semua"), ("a", "A & B"), ("b", "<b>")], required=False)
        group = forms.ChoiceField(choices=[("Grup", [("x", "X")])], required=False)

    django_html = str(F(data={"pick": "a"})["pick"])
    form = F(data={"pick": "a"})
    fast_selects(form)
    assert isinstance(form.fields["pick"].widget, FastSelect)
    fast_html = str(form["pick"])
    assert fast_html.replace("\n", "").replace("  ", "") == django_html.replace("\n", "").replace("  ", "")
    assert '<optgroup label="Grup"><option value="x">X</option></optgroup>' in str(form["group"])


@pytest.mark.django_db
def test_paginator_counts_a_queryset_up_to_its_cap_in_one_query(django_assert_num_queries):
    from teams.models import Region

    assert Region.objects.count() > 30  # the migrations' regions

    class Small(BoundedPaginator):
        count_cap = 20

    regions = Region.objects.order_by("code")
    paginator = Small(regions, 10)
    with django_assert_num_queries(1):  # SELECT COUNT(*) FROM (... LIMIT 21), whatever the ordering
        assert paginator.count == 20 and paginator.count_capped and paginator.num_pages == 2
    assert paginator.get_page("99").number == 2  # the pager ends at the cap
    assert [r.code for r in paginator.get_page("2")] == list(regions.values_list("code", flat=True)[10:20])
    exactly = Small(Region.objects.filter(pk__in=list(regions.values_list("pk", flat=True)[:20])), 10)
    assert exactly.count == 20 and not exactly.count_capped  # 20 rows is not "more than 20"
    assert BoundedPaginator(list(range(30_000)), 10).count == 30_000  # a list is counted as it is
    sliced = Small(regions[:25], 10)  # an already sliced queryset cannot be reordered: counted as it is
    assert sliced.count == 25 and not sliced.count_capped


def _three_people():
    from tests.factories import PersonFactory, region

    PersonFactory.create_batch(3, region=region("19"))  # with Staf Provinsi's own person: 4 rows


def _three_members():
    from tests.factories import make_member, make_team

    team = make_team("19")
    for _ in range(3):
        make_member(team)


@pytest.mark.django_db
@pytest.mark.parametrize("url, build, capped, exact, not_capped", [
    # the list footer (templates/includes/list_table.html)
    ("/tim/orang/", _three_people, "dari lebih dari 2; persempit dengan filter atau pencarian",
     "Menampilkan 1–4 dari 4", "lebih dari"),
    # the membership list's heading
    ("/tim/anggota/", _three_members, "Lebih dari 2 keanggotaan sesuai filter", "3 keanggotaan sesuai filter",
     "Lebih dari"),
])
def test_a_list_past_the_cap_says_more_than(client, staf_provinsi, monkeypatch, url, build, capped, exact,
                                            not_capped):
    build()
    client.force_login(staf_provinsi)
    monkeypatch.setattr(BoundedPaginator, "count_cap", 2)
    assert capped in client.get(url).content.decode()
    monkeypatch.setattr(BoundedPaginator, "count_cap", 10_000)
    page = client.get(url).content.decode()
    assert not_capped not in page and exact in page


@pytest.mark.django_db
def test_row_fields_make_the_pages_rows_records_not_the_tables_data(django_assert_num_queries):
    """``row_fields``: the page reads only what its cells show, as ``Record``s (each cell drawn with no
    query per row); ``data``, which an export of the same table reads, keeps its model instances."""
    from django.db.models import QuerySet

    from kesbang.core.tables import Record
    from teams.models import Membership
    from teams.tables import MembershipTable

    _three_members()
    request = RequestFactory().get("/tim/anggota/")
    with django_assert_num_queries(2):  # the count, the rows
        table = MembershipTable(Membership.objects.select_related("person__institution", "team__region"),
                                request=request)
    with django_assert_num_queries(0):
        body = table.body_html()
    assert body.count("<tr>") == 3
    row = table.rows[0]
    first = Membership.objects.select_related("person__institution", "team__region").get(pk=row.pk)
    assert isinstance(row, Record) and row.person.name == first.person.name
    assert row.person.institution.name == first.person.institution.name
    assert row.team.region.name == first.team.region.name
    assert table.choice(row, "role") == first.get_role_display()
    assert isinstance(table.data, QuerySet) and isinstance(table.data.first(), Membership)


@pytest.mark.django_db
def test_records_nest_related_rows_and_an_absent_one_is_none():
    from incidents.models import Incident
    from kesbang.core.tables import records
    from tests.factories import make_incident, region

    with_kecamatan = make_incident(region_code="19.01")
    Incident.objects.filter(pk=with_kecamatan.pk).update(kecamatan=region("19.01").children.first())
    without = make_incident(region_code="19.02")
    rows = {r.pk: r for r in records(Incident.objects.all(), ("title", "region__name", "kecamatan__name"))}
    assert rows[without.pk].kecamatan is None and rows[without.pk].region.name == region("19.02").name
    assert rows[with_kecamatan.pk].kecamatan.name == region("19.01").children.first().name
    assert rows[with_kecamatan.pk].title == with_kecamatan.title and rows[with_kecamatan.pk]._meta is Incident._meta


@pytest.mark.parametrize("value", [None, "", "a & <b>", 7])
def test_fast_inputs_render_like_djangos(value):
    from django import forms

    from kesbang.core.widgets import FAST_INPUTS, fast_selects

    class F(forms.Form):
        q = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "Nama \"x\"", "type": "search",
                                                                         "autofocus": True, "hidden": False}))
        n = forms.IntegerField(required=False)
        e = forms.EmailField(required=False)
        h = forms.CharField(required=False, widget=forms.HiddenInput)

    data = {"q": value, "n": value, "e": value, "h": value} if value is not None else None
    django_form, fast_form = F(data=data), F(data=data)
    fast_selects(fast_form)
    for name in ("q", "n", "e", "h"):
        assert type(fast_form.fields[name].widget) in FAST_INPUTS.values()
        assert type(fast_form.fields[name].widget).__name__ == type(django_form.fields[name].widget).__name__
        assert str(fast_form[name]) == str(django_form[name]), name


@pytest.mark.django_db
def test_every_sortable_column_of_a_records_table_sorts_its_pages(client, staf_provinsi):
    """The member and incident lists read their rows as ``Record``s (``row_fields``): every column's sort,
    both ways, on every page, including one by an annotation the records do not select (role_order)."""
    from incidents.tables import IncidentTable
    from teams.tables import MembershipTable
    from tests.factories import make_incident, make_member, make_team

    _three_members()
    bangka = make_team("19.01")
    make_member(bangka, "sekretaris")
    make_member(bangka, "ketua")
    for code in ("19.01", "19.02", "19.03"):
        make_incident(region_code=code)
    client.force_login(staf_provinsi)
    for url, table in (("/tim/anggota/", MembershipTable), ("/insiden/", IncidentTable)):
        for column in table.columns:
            for sort in ([column.name, "-" + column.name] if column.orderable else []):
                pages = [client.get(url, {"sort": sort, "per_page": 10, "page": n}) for n in (1, 2)]
                assert [p.status_code for p in pages] == [200, 200], (url, sort)
                assert len(pages[0].context["table"].rows) == (5 if url == "/tim/anggota/" else 3), (url, sort)
    roles = [r.role for r in client.get("/tim/anggota/", {"sort": "role"}).context["table"].rows]
    assert roles == ["ketua", "sekretaris", "anggota", "anggota", "anggota"]
    roles = [r.role for r in client.get("/tim/anggota/", {"sort": "-role"}).context["table"].rows]
    assert roles == ["anggota", "anggota", "anggota", "sekretaris", "ketua"]
