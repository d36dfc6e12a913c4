"""When a member of staff last looked at the leads list: the console's "new since my
last visit" view shows the leads received after their previous visit.

A visit is a run of list views with no gap longer than ``VISIT_GAP``: paging and
filtering for a while is one visit, and the view keeps meaning "since I was last
here" throughout it, instead of emptying at every page load.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.staff.models import StaffUser
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction

VISIT_GAP = timedelta(minutes=30)


class ListVisits:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def record(self, email: str) -> datetime | None:
        """Note a view of the leads list now; returns when the previous visit was (None: never)."""
        now = self._clock()
        with transaction(self._sessions, write=True) as session:
            user = session.execute(select(StaffUser).where(StaffUser.email == email)).scalar_one_or_none()
            if user is None:
                return None
            if user.leads_visit_at is None or now - user.leads_visit_at > VISIT_GAP:
                user.leads_previous_visit_at = user.leads_visit_at  # a new visit starts
            user.leads_visit_at = now
            return user.leads_previous_visit_at

    def previous(self, email: str) -> datetime | None:
        """When the visit before the current one was, without noting a view (for exports)."""
        with transaction(self._sessions) as session:
            return session.execute(
                select(StaffUser.leads_previous_visit_at).where(StaffUser.email == email)
            ).scalar_one_or_none()
