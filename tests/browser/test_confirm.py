"""Delete confirmations come from static/js/kesbang.js reading data-kb-confirm (no inline JavaScript,
so a translated text with quotes cannot break out of a script, and the CSP needs no 'unsafe-inline')."""

import datetime

import pytest

from kesbang.demo.seed import DEMO_PASSWORD
from teams.models import ActionPlan, Activity
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deleting_an_activity_asks_first_and_cancel_keeps_it(page, demo):
    plan = ActionPlan.objects.get(team__region__code="19", year=datetime.date.today().year)
    activity = plan.activities.order_by("number").first()
    browser_login(page, "staf.provinsi", DEMO_PASSWORD)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page.base_url + plan.get_absolute_url())
    form = page.locator(f"#kegiatan-{activity.pk} form[data-kb-confirm]")
    assert form.get_attribute("onsubmit") is None

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert asked == ["Hapus kegiatan ini beserta realisasi dan buktinya?"]
    assert Activity.objects.filter(pk=activity.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator(f"#kegiatan-{activity.pk} form[data-kb-confirm] button[type=submit]").click()
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not errors
