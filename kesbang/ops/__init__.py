"""Operating an installation: backup and restore, orphaned uploads, the health check."""
