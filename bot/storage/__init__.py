"""The application database, below every package that stores something.

``engine``: engines and sessions (the SQLite pragmas); ``transactions``: the one
short-transaction helper and ``DatabaseUnavailable``; ``schema``: the
declarative ``Base``, ``UTCDateTime`` and ``utc_now``; ``migrate``: running the
Alembic migrations in ``migrations/`` (every table: leads, staff, handoffs).
Nothing here imports ``bot.leads``, ``bot.staff`` or ``bot.web``.
"""
