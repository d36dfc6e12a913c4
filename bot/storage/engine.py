"""Engines and sessions for the application database.

SQLite (the laptop default) is shared by the action server, which writes,
and the gateway, which reads and updates: WAL mode lets readers carry on
while one writer commits, ``busy_timeout`` makes a second writer wait its turn
instead of failing with "database is locked", and write transactions can ask
for ``BEGIN IMMEDIATE`` so a read-then-write never has to upgrade its lock.
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5
# Pass as ``Session.connection(execution_options=WRITE_TRANSACTION)`` before the first statement.
WRITE_TRANSACTION = {"sqlite_begin": "IMMEDIATE"}


def create_engine_for(url: str) -> Engine:
    """An engine configured for ``url`` (``sqlite:///...`` or ``postgresql://...``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            future=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    # A database that cannot be reached fails within seconds, so the visitor hears so in time.
    connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(parsed, future=True, pool_pre_ping=True, connect_args=connect_args)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
            raise ValueError(f"unknown SQLite transaction mode {mode!r}")
        connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions whose objects stay readable after commit (services return plain values anyway)."""
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
