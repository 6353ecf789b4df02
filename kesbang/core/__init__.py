"""Shared building blocks every app may import; this package imports no app (DESIGN.md §1).

- ``querysets``: ``RestrictedQuerySet`` (authorisation as a queryset method, NetBox style)
- ``views``: ``ProtectedView``, ``ScopedObjectMixin``, ``ServiceFormView``, ``ServiceActionView``
- ``forms``: ``add_service_errors``, ``form_helper``
- ``validation``: ``validated_save`` (constraint messages read from the model)
- ``history``: ``HistorySpec`` + ``change_log`` (django-simple-history), ``includes/history.html``
- ``tables``: ``BoundedPaginator``, ``per_page_from``, ``paginate``, the light list piece
- ``spreadsheets``: formula-safe xlsx/csv responses, printable sheets
- ``uploads``: content sniffing, limits, private storage, files removed on commit
- ``models`` / ``delivery``: the claim-before-send ``Delivery`` record and ``deliver``
- ``email``: ``send_email`` (HTML plus text, Indonesian), ``absolute_url``
- ``admin``: ``RestrictedAdminMixin`` and friends: the Django admin reads through ``restrict`` too
- ``events``: ``emit`` / ``listen``: services name what happened, upper apps listen (no signals)
"""
