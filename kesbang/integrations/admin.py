"""Webhooks in the admin: the Administrator registers endpoints (through the ``webhooks`` services,
up to the classification it reads itself: ``WebhookEndpoint.objects.restrict``); the secret is
generated and shown once, on the answer to the save (never in a message, which travels in a cookie
or the session); the delivery log is read-only."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesbang.core.admin import RestrictedAdminMixin, ShowOnlyAdminMixin
from kesbang.integrations import webhooks
from kesbang.integrations.models import WebhookDelivery, WebhookEndpoint

FIELDS = ("name", "url", "events", "clearance", "active", "description")


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Alamat URL"), max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"class": "vURLField", "size": 70}),
                         help_text=gettext_lazy("http:// atau https://; pengalihan (redirect) tidak diikuti."))
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Peristiwa"), choices=webhooks.event_choices, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Peristiwa yang dikirim ke alamat ini."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["events"].error_messages["required"] = _("Pilih paling sedikit satu peristiwa.")

    def clean_clearance(self):
        clearance = self.cleaned_data["clearance"]
        try:
            webhooks._check_clearance(self.user, clearance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["clearance"]) from None
        return clearance


def _secret_page(modeladmin, request, endpoint, secret: str, *, rotated: bool):
    """The secret in clear, on this answer only, never cached."""
    response = TemplateResponse(request, "admin/integrations/webhook_secret.html", {
        **modeladmin.admin_site.each_context(request),
        "title": _("Rahasia bersama webhook"), "endpoint": endpoint, "secret": secret, "rotated": rotated,
        "opts": modeladmin.model._meta,
    })
    add_never_cache_headers(response)
    return response


@admin.action(description=gettext_lazy("Kirim ulang pengiriman yang gagal"), permissions=["change"])
def resend_failed(modeladmin, request, queryset):
    total = sum(len(webhooks.deliveries_resend(endpoint=endpoint)) for endpoint in queryset)
    messages.success(request, _("%(n)s pengiriman yang gagal diantrekan lagi.") % {"n": total})


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "clearance_display", "events_display", "active", "queue_display")
    list_filter = ("active", "clearance")
    search_fields = ("name", "url")
    readonly_fields = ("secret_hint", "secret_set_at", "created_by", "created_at")
    actions = [resend_failed]
    def get_fieldsets(self, request, obj=None):
        if obj is None:  # the secret does not exist yet: it is made on save and shown once
            return ((None, {"fields": FIELDS, "description": gettext_lazy(
                "Rahasia bersama dibuat otomatis saat endpoint disimpan dan ditampilkan sekali pada halaman "
                "berikutnya.")}),)
        return super().get_fieldsets(request, obj)

    fieldsets = (
        (None, {"fields": FIELDS}),
        (gettext_lazy("Rahasia bersama"), {
            "fields": ("secret_hint", "secret_set_at", "created_by", "created_at"),
            "description": gettext_lazy(
                "Rahasia dibuat otomatis dan hanya ditampilkan sekali, saat endpoint didaftarkan atau rahasianya "
                "diganti. Tersimpan terenkripsi; yang terlihat di sini hanya empat karakter terakhirnya."),
        }),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class BoundToUser(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return BoundToUser

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            pending=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        )

    @admin.display(description=gettext_lazy("Peristiwa"))
    def events_display(self, obj):
        return ", ".join(obj.event_labels()) or "—"

    @admin.display(description=gettext_lazy("Klasifikasi"), ordering="clearance")
    def clearance_display(self, obj):
        return obj.get_clearance_display()

    @admin.display(description=gettext_lazy("Antrean"), ordering="failed")
    def queue_display(self, obj):
        parts = []
        if obj.pending:
            parts.append(_("%(n)s menunggu") % {"n": obj.pending})
        if obj.failed:
            parts.append(_("%(n)s gagal") % {"n": obj.failed})
        return " · ".join(parts) or "—"

    def save_model(self, request, obj, form, change):
        """Through the services: a new endpoint gets its secret there."""
        data = {name: form.cleaned_data[name] for name in FIELDS}
        if change:
            saved = webhooks.endpoint_update(endpoint=obj, user=request.user, **data)
        else:
            saved, request._webhook_secret = webhooks.endpoint_register(user=request.user, **data)
        for field in WebhookEndpoint._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_webhook_secret", None)
        if secret is None:  # pragma: no cover - save_model always sets it
            return super().response_add(request, obj, post_url_continue)
        return _secret_page(self, request, obj, secret, rotated=False)

    def get_urls(self):
        return [
            path("<int:object_id>/ganti-rahasia/", self.admin_site.admin_view(self.rotate_secret_view),
                 name="integrations_webhookendpoint_rotate"),
            *super().get_urls(),
        ]

    def rotate_secret_view(self, request, object_id):
        """POST only (a link or a prefetch never replaces a secret)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        endpoint = self.get_object(request, str(object_id))
        if endpoint is None:
            raise Http404
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        endpoint, secret = webhooks.endpoint_rotate_secret(endpoint=endpoint, user=request.user)
        return _secret_page(self, request, endpoint, secret, rotated=True)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ShowOnlyAdminMixin, RestrictedAdminMixin, admin.ModelAdmin):
    """The delivery log: what was sent where, how often, and what the receiver answered. Only the
    deliveries of endpoints the login may see (their clearance within what it reads)."""

    restrict_through = "endpoint"

    class Media:
        css = {"all": ("css/admin_accounts.css",)}
    list_display = ("created_at", "event_summary", "endpoint", "outcome")
    list_filter = ("status", "event__name")
    list_select_related = ("event", "endpoint")
    date_hierarchy = "created_at"
    fields = ("event_name", "event_uid", "event_object", "endpoint", "recipient", "status", "attempts",
              "created_at", "claimed_at", "last_attempt_at", "sent_at", "response_status", "duration_ms",
              "response_excerpt", "last_error", "body_pretty")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("Peristiwa"), ordering="event__name")
    def event_name(self, obj):
        return obj.event.get_name_display()

    @admin.display(description=gettext_lazy("ID peristiwa"))
    def event_uid(self, obj):
        return str(obj.event.uid)

    @admin.display(description=gettext_lazy("Objek"))
    def event_object(self, obj):
        kind = {"incident": _("insiden"), "meeting": _("rapat"), "report": _("laporan")}.get(
            obj.event.name.split(".")[0], obj.event.name)
        return f"{kind} #{obj.event.object_id}"

    @admin.display(description=gettext_lazy("Peristiwa"), ordering="event__name")
    def event_summary(self, obj):
        return format_html('{}<br><span class="quiet">{}</span>', obj.event.get_name_display(),
                           self.event_object(obj))

    @admin.display(description=gettext_lazy("Hasil"), ordering="status")
    def outcome(self, obj):
        details = [_("%(n)s×") % {"n": obj.attempts}]
        if obj.response_status:
            details.append(f"HTTP {obj.response_status}")
        return format_html('{}<br><span class="quiet">{}</span>', obj.get_status_display(), " · ".join(details))

    @admin.display(description=gettext_lazy("Isi yang dikirim"))
    def body_pretty(self, obj):
        if not obj.body:
            return "—"
        try:
            text = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        except ValueError:
            text = obj.body
        return format_html('<pre class="kb-webhook-body">{}</pre>', text)  # css/admin_accounts.css (CSP)
