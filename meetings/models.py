"""Coordination meetings (Rakor). Models arrive with the meetings capability."""
