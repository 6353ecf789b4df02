"""Periodic Tim Terpadu reports: periods, section builders, rendering (PDF, xlsx) and services."""
