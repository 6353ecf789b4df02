"""Template filters every app may use: ``{% load kesbang %}`` (registered in settings
``TEMPLATES[...]["OPTIONS"]["libraries"]``; the core package is no Django app).

- ``mapping|get:key``: ``mapping.get(key)``, so a page looks a row's value up instead of looping over
  the whole mapping for every row (a loop inside a loop grows with the square of the regions).
- ``entries|history_items``: the change-history entries of ``includes/history.html`` drawn in Python.
"""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def history_items(entries):
    """``includes/history.html``'s entries as ``<li>`` markup (``kesbang.core.history.entries_html``)."""
    from kesbang.core.history import entries_html

    return entries_html(entries)
