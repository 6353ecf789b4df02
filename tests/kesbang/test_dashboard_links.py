"""Review (issue 9): every dashboard number equals the list it links to, for every demo role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from kesbang.demo import seed_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["pimpinan", "staf.provinsi", "staf.bangka", "anggota.tim"])
def test_overdue_action_items_number_equals_the_overdue_list(client, username):
    seed_demo()
    cache.clear()
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get(reverse("dashboard")).content.decode()
    shown = int(re.search(r'id="stat-overdue">([\d.]+)<', page).group(1).replace(".", ""))
    listed = client.get(reverse("meetings:action_items_overdue")).context["page_obj"].paginator.count
    assert shown == listed
