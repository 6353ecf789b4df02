"""Weekly summary pages (/laporan/ringkasan-mingguan/): preview (the HTML and text parts) and "send
now". Thin adapters on the core bases: ``office.view_weeklysummary`` to read the preview,
``office.send_weeklysummary`` to send (both the Administrator role's, kesbang/accounts/roles.py;
403 before anything is read), then one service."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kesbang.core.views import ProtectedView, ServiceActionView
from kesbang.office.recipients import recipients_for
from kesbang.office.weekly import services
from kesbang.office.weekly.weeks import last_complete_week, parse_week


def preview_url(week) -> str:
    return reverse("reports:weekly_preview") + f"?minggu={week.code}"


class WeekMixin:
    """The ISO week of ``?minggu=`` (or the posted ``minggu``); none given: the last complete week;
    a bad one: the last complete week and ``week_error`` (Indonesian) to show."""

    @cached_property
    def _week(self):
        raw = self.request.GET.get("minggu") or self.request.POST.get("minggu") or ""
        if not raw:
            return last_complete_week(), None
        try:
            return parse_week(raw), None
        except ValidationError as exc:
            return last_complete_week(), " ".join(exc.messages)

    @property
    def week(self):
        return self._week[0]

    @property
    def week_error(self) -> str | None:
        return self._week[1]


class WeeklyPreviewView(ProtectedView, WeekMixin, TemplateView):
    permission_required = "office.view_weeklysummary"
    template_name = "kesbang/weekly/preview.html"

    def get_context_data(self, **kwargs):
        week = self.week
        summary, content = services.weekly_summary_content(week)
        recipients = recipients_for("weekly_summary")
        message = services.weekly_summary_email(content, to=recipients or ["-"])
        latest = last_complete_week()
        return super().get_context_data(
            week=week, error=self.week_error, summary=summary, subject=message.subject, text=message.body,
            recipients=recipients, deliveries=list(summary.deliveries.order_by("email")) if summary else [],
            html_url=reverse("reports:weekly_preview_html") + f"?minggu={week.code}",
            previous=week.previous(), next=week.next() if week.next().start <= latest.start else None,
            can_send=self.request.user.has_perm("office.send_weeklysummary"), **kwargs)


@method_decorator(csp_replace({
    # The email's own inline styles, shown only inside the preview page's frame, in a sandbox (no
    # script, no forms, a unique origin); everything else stays as strict as the rest of the site.
    "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"], "frame-ancestors": ["'self'"],
    "sandbox": [""],
}), name="dispatch")
class WeeklyPreviewHtmlView(ProtectedView, WeekMixin, View):
    """The HTML part alone, shown in the preview page's frame."""

    permission_required = "office.view_weeklysummary"

    def get(self, request, *args, **kwargs):
        _summary, content = services.weekly_summary_content(self.week)
        message = services.weekly_summary_email(content, to=["-"])
        response = HttpResponse(message.alternatives[0][0])
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class WeeklySendNowView(WeekMixin, ServiceActionView):
    """"Kirim sekarang": a send task per recipient who has not had the week yet (never twice)."""

    permission_required = "office.send_weeklysummary"

    def perform(self):
        if self.week_error:
            raise ValidationError(self.week_error)
        return services.weekly_summary_send_now(week=self.week)

    def get_success_message(self, ids) -> str:
        if ids:
            return _("Ringkasan %(week)s diantrekan untuk %(n)s penerima; yang sudah menerima "
                     "tidak dikirimi lagi.") % {"week": self.week.code, "n": len(ids)}
        # Nothing to do is news, not a success: shown as information, and no success message.
        messages.info(self.request,
                      _("Ringkasan %(week)s sudah terkirim ke semua penerima.") % {"week": self.week.code})
        return ""

    def get_success_url_for(self, ids) -> str:
        return preview_url(self.week)

    def get_failure_url(self) -> str:
        return reverse("reports:weekly_preview")
