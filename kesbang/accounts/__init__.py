"""Login security and audit: two-factor, lockout, the audit log, grants of access and the role matrix.

A Django app labelled ``kesbang`` (see ``apps.py``)."""
