"""The one way to run a short transaction, and the one error for "the database cannot be used now".

Every service (leads, staff accounts, the audit log, the outbox, handoffs)
opens its transactions here, so a database that cannot be reached always comes
out as ``DatabaseUnavailable``: the bot tells the visitor, the console and the
API answer 503, the CLI exits 1. Errors about the data (a unique key taken, a
value the column refuses) pass through unchanged: the caller decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy import mask_personal_data
from bot.storage.engine import WRITE_TRANSACTION


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or used right now; nothing was stored. Try again later."""


@contextmanager
def transaction(sessions: sessionmaker, write: bool = False) -> Iterator[Session]:
    """One short transaction, committed when the block ends without an exception.

    ``write=True`` takes SQLite's write lock at the start (``BEGIN IMMEDIATE``),
    so a read-then-write never fails half-way on a lock upgrade.
    """
    try:
        with sessions() as session:
            if write:
                session.connection(execution_options=WRITE_TRANSACTION)
            yield session
            session.commit()
    except (IntegrityError, DataError):
        raise  # about the data, not the database: the caller decides
    except (DBAPIError, PoolTimeoutError) as error:
        raise DatabaseUnavailable(describe(error)) from error


def describe(error: Exception) -> str:
    """The driver's first line, masked: errors may quote the values (an email address) they refused."""
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    return mask_personal_data(f"database unavailable: {first_line}")
