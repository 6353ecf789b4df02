"""Weekly summary pages for administrators: preview (HTML and text parts) and "send now"."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from kesbang.core.tasks import enqueue_after_commit
from kesbang.office.models import WeeklySummary
from kesbang.office.recipients import recipients_for
from kesbang.office.weekly import services
from kesbang.office.weekly.weeks import last_complete_week, parse_week
from teams.access import Role, role_names


class AdministratorOnlyMixin:
    """Administrators (role or superuser) only: 403 for everyone else, before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or Role.ADMINISTRATOR in role_names(user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def week_from(self, request):
        raw = request.GET.get("minggu") or request.POST.get("minggu") or ""
        if not raw:
            return last_complete_week(), None
        try:
            return parse_week(raw), None
        except ValidationError as exc:
            return last_complete_week(), " ".join(exc.messages)


class WeeklyPreviewView(AdministratorOnlyMixin, View):
    def get(self, request):
        week, error = self.week_from(request)
        summary = WeeklySummary.objects.filter(week=week.code).first()
        content = summary.content if summary else services.weekly_summary_build(week)
        recipients = recipients_for("weekly_summary")
        message = services.weekly_summary_email(content, to=recipients or ["-"])
        deliveries = list(summary.deliveries.order_by("email")) if summary else []
        return render(request, "kesbang/weekly/preview.html", {
            "week": week, "error": error, "summary": summary, "subject": message.subject, "text": message.body,
            "recipients": recipients, "deliveries": deliveries,
            "html_url": reverse("reports:weekly_preview_html") + f"?minggu={week.code}",
            "previous": week.previous(),
            "next": week.next() if week.next().start <= last_complete_week().start else None,
        })


@method_decorator(csp_replace({
    # The email's own inline styles, shown only inside the preview page's frame, in a sandbox (no
    # script, no forms, a unique origin); everything else stays as strict as the rest of the site.
    "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"], "frame-ancestors": ["'self'"],
    "sandbox": [""],
}), name="dispatch")
class WeeklyPreviewHtmlView(AdministratorOnlyMixin, View):
    """The HTML part alone, shown in the preview page's frame."""

    def get(self, request):
        week, _error = self.week_from(request)
        summary = WeeklySummary.objects.filter(week=week.code).first()
        content = summary.content if summary else services.weekly_summary_build(week)
        message = services.weekly_summary_email(content, to=["-"])
        response = HttpResponse(message.alternatives[0][0])
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class WeeklySendNowView(AdministratorOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        week, error = self.week_from(request)
        if error:
            messages.error(request, error)
            return redirect("reports:weekly_preview")
        summary = services.weekly_summary_plan(week=week)
        ids = services.pending_ids(summary)
        for delivery_id in ids:
            enqueue_after_commit("kesbang.office.tasks.weekly_summary_send", delivery_id)
        if ids:
            messages.success(request, _("Ringkasan %(week)s diantrekan untuk %(n)s penerima; yang sudah menerima "
                                        "tidak dikirimi lagi.") % {"week": week.code, "n": len(ids)})
        else:
            messages.info(request, _("Ringkasan %(week)s sudah terkirim ke semua penerima.") % {"week": week.code})
        return redirect(reverse("reports:weekly_preview") + f"?minggu={week.code}")
