"""The REST API (``/api/v1/``) and its personal access tokens. The top layer: it reads every app
(teams, incidents, meetings, the office's reports) through their own ``restrict()``, selectors and
services, and nothing imports it."""
