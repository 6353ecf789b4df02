"""The weekly summary: content builders per app, the exactly-once plan/send/sweep services."""
