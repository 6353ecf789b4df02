"""Kesbang's interfaces to other systems, top layer (reads teams, incidents, meetings and the office;
nothing below imports it): signed webhooks (``webhooks.py``, ``transport.py``, ``sealing.py``) and the
national submission package for Kemendagri (``package.py``). ``payloads.py`` is the JSON shape both
send (to be switched to the REST API's serializers when they land)."""
