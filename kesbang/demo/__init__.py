"""Demo data: ``seed.py`` (``manage.py seed_demo``) and the incidents it adds (``incidents.py``)."""
