"""Builders of the weekly summary's sections, one per app, registered by order.

A builder takes the ``Week`` and returns a JSON-able dict (or None):
``{"key", "title", "figures": [{"label", "value", "url"}], "tables": [{"title", "headers", "rows", "empty"}]}``
(rows are lists of strings; a cell may be ``{"text", "url"}``). The content is stored on the
WeeklySummary when the week is planned, so every recipient and retry sends the same figures."""

import importlib

BUILDER_MODULES = (
    "kesbang.office.weekly.sections_incidents",
    "kesbang.office.weekly.sections_meetings",
    "kesbang.office.weekly.sections_teams",
)

_REGISTRY: dict[str, tuple[int, object]] = {}
_loaded = False


def summary_section(key: str, *, order: int):
    def register(build):
        _REGISTRY[key] = (order, build)
        return build

    return register


def builders() -> list:
    global _loaded
    if not _loaded:
        for module in BUILDER_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
        _loaded = True
    return [build for _order, build in sorted(_REGISTRY.values(), key=lambda item: item[0])]


def figure(label: str, value, url: str = "") -> dict:
    return {"label": str(label), "value": value if isinstance(value, (int, str)) else str(value), "url": url}


def link(text, url: str) -> dict:
    return {"text": str(text), "url": url}
