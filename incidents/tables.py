"""The incident list (core ``ListTable``): cells read only select_related data (constant queries)."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable, html_format

SEVERITY_CLASS = {"rendah": "kb-sev-rendah", "sedang": "kb-sev-sedang", "tinggi": "kb-sev-tinggi",
                  "kritis": "kb-sev-kritis"}
WIDE = {"th": {"class": "d-none d-lg-table-cell"}, "td": {"class": "d-none d-lg-table-cell"}}
MD = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


def status_badge(incident, label: str | None = None) -> str:
    return html_format('<span class="badge kb-status kb-status-{}">{}</span>', incident.status,
                       incident.get_status_display() if label is None else label)


def severity_badge(incident, label: str | None = None) -> str:
    return html_format('<span class="badge kb-sev {}">{}</span>', SEVERITY_CLASS.get(incident.severity, ""),
                       incident.get_severity_display() if label is None else label)


def occurred_label(incident, date=date_format) -> str:
    """The occurrence date as precise as it is known (``date``: a formatter such as a table's memo)."""
    day = incident.occurred_on
    if incident.date_precision == "bulan":
        return date(day, "F Y")
    text = date(day, "j F Y")
    return f"± {text}" if incident.date_precision == "minggu" else text


class IncidentTable(ListTable):
    title = Column(_("Insiden"), order_by=("title",), card="title", attrs={"td": {"class": "kb-cell-name"}})
    occurred_on = Column(_("Tanggal"), order_by=("occurred_on", "id"))
    region = Column(_("Wilayah"), order_by=("region__code", "kecamatan__code"))
    kind = Column(_("Jenis"), order_by=("kind",), attrs=WIDE)
    category = Column(_("Kategori"), attrs=WIDE)
    severity = Column(_("Keparahan"), order_by=("severity",))
    status = Column(_("Status"), order_by=("status",))

    default_order = ("-occurred_on", "-id")
    detail_view = "incidents:incident_detail"
    count_generation = "incidents"  # counted once per filter until an incident-side write (IncidentsConfig)
    row_fields = ("title", "reference", "classification", "occurred_on", "date_precision", "kind", "severity",
                  "status", "region__name", "kecamatan_id", "kecamatan__name", "category__name")
    empty_text = _("Tidak ada insiden yang cocok dengan filter.")
    caption = _("Daftar insiden")

    def render_title(self, record):
        # Every class above biasa is marked where the incident is named (incidents.classification).
        secret = html_format(' <span class="badge {}">{}</span>',
                             "text-bg-dark" if record.classification == "rahasia" else "text-bg-secondary",
                             self.choice(record, "classification")) if record.classification != "biasa" else ""
        return html_format('<a href="{}" class="fw-semibold">{}</a>{}<div class="small kb-ref">{}</div>',
                           self.url_for(record.pk), record.title, secret, record.reference)

    def render_occurred_on(self, record):
        return occurred_label(record, self.date)

    def render_region(self, record):
        if record.kecamatan_id:
            # One wrapper: on a phone the cell is a flex row (label, value), and a bare text node plus a
            # span became two columns with the kecamatan floating beside the regency.
            return html_format('<span>{}<span class="d-block small kb-sub">{}</span></span>', record.region.name,
                               record.kecamatan.name)
        return record.region.name

    def render_kind(self, record):
        return self.choice(record, "kind")

    def render_category(self, record):
        return record.category.name

    def render_severity(self, record):
        return severity_badge(record, self.choice(record, "severity"))

    def render_status(self, record):
        return status_badge(record, self.choice(record, "status"))
