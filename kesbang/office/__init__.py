"""The provincial office layer: dashboard, weekly summary, periodic reports, their records and tasks,
working days and recipients. The top layer: it reads every app, and nothing reads it."""
