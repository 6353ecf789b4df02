"""Incident and conflict-potential reports. Models arrive with the incidents capability."""
