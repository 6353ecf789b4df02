"""The benchmark's urlconf (``tests/bench.py`` sets it as ``ROOT_URLCONF`` for its own process): every
page of ``kesbang.urls`` plus the two floors, which production does not route:

- ``bench_bare``: ``kesbang.core.views.FloorView``, a short response through the whole middleware
  stack with the logged-in session (the machine's floor);
- ``bench_layout``: ``kesbang.core.views.LayoutFloorView``, the base layout around an empty page
  (its time minus the bare row's is what the layout costs every page).
"""

from django.urls import path

from kesbang.core.views import FloorView, LayoutFloorView
from kesbang.urls import urlpatterns as site_patterns

urlpatterns = [
    path("_bench/bare/", FloorView.as_view(), name="bench_bare"),
    path("_bench/layout/", LayoutFloorView.as_view(), name="bench_layout"),
    *site_patterns,
]
