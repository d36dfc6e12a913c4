"""Short transactions for the staff services, with the leads repository's error contract.

A database that cannot be reached comes out as ``LeadStoreUnavailable`` (it is
the same application database), so the console and the CLI handle one error
for "try again later".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from bot.leads.database import WRITE_TRANSACTION
from bot.leads.repository import LeadStoreUnavailable
from bot.privacy import mask_personal_data

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@contextmanager
def transaction(sessions: sessionmaker, write: bool = False) -> Iterator[Session]:
    """One short transaction, committed when the block ends without an exception."""
    try:
        with sessions() as session:
            if write:
                session.connection(execution_options=WRITE_TRANSACTION)
            yield session
            session.commit()
    except (IntegrityError, DataError):
        raise  # about the data, not the database: the caller decides
    except (DBAPIError, PoolTimeoutError) as error:
        original = getattr(error, "orig", None) or error
        first_line = (str(original).strip().splitlines() or [type(original).__name__])[0]
        raise LeadStoreUnavailable(mask_personal_data(f"database unavailable: {first_line}")) from error
