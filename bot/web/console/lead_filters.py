"""The leads list's query string: what staff chose in the filter bar, read leniently.

A value that cannot be used (a date like 31/02, an unknown status) is left
out and named in a notice, never a 500. Dates are days in the staff time zone
("yesterday" means yesterday in London), turned into UTC instants here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.leads.lead_query import LEAD_SORTS, LeadFilter
from bot.leads.models import STATUSES
from bot.places import normalise_location

TEXT_MAX = 200
# Days outside this range cannot be turned into UTC instants (Python's dates stop at 9999-12-31).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(9998, 12, 31)
PRESETS = {
    "today": "Today",
    "yesterday": "Yesterday",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
}


@dataclass(frozen=True)
class ListQuery:
    status: str = ""
    interest: str = ""
    course: str = ""
    place: str = ""
    search: str = ""
    received: str = ""  # one of PRESETS, or "" for any time / the custom range
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    sort: str = "newest"  # one of LEAD_SORTS
    view: str = ""  # "new": only leads received since the member's previous visit
    ignored: tuple[str, ...] = field(default=(), compare=False)

    def lead_filter(self, now: datetime, zone: ZoneInfo, last_visit: datetime | None = None) -> LeadFilter:
        """The filter; in the "new" view, from ``last_visit`` on (or later, if the dates say so)."""
        start, end = self.date_range(now, zone)
        if self.view == "new" and last_visit is not None:
            start = last_visit if start is None else max(start, last_visit)
        return LeadFilter(
            status=self.status or None,
            interest=self.interest or None,
            course=self.course or None,
            place=normalise_location(self.place) or None,  # "London, UK" finds the leads in London
            search=self.search or None,
            received_from=start,
            received_before=end,
        )

    def date_range(self, now: datetime, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC for the chosen days, or Nones."""
        if self.date_from or self.date_to:
            start = _midnight(self.date_from, zone) if self.date_from else None
            end = _midnight(self.date_to + timedelta(days=1), zone) if self.date_to else None
            return start, end
        today = now.astimezone(zone).date()
        day = timedelta(days=1)
        days = {
            "today": (today, today),
            "yesterday": (today - day, today - day),
            "7d": (today - 6 * day, today),
            "30d": (today - 29 * day, today),
        }.get(self.received)
        if days is None:
            return None, None
        return _midnight(days[0], zone), _midnight(days[1] + day, zone)

    def params(self, **changes) -> list[tuple[str, str]]:
        """The query string's pairs, with ``changes`` applied (page resets unless changed)."""
        query = replace(self, **{"page": 1, **changes})
        pairs = [
            ("q", query.search),
            ("status", query.status),
            ("interest", query.interest),
            ("course", query.course),
            ("place", query.place),
            ("received", query.received),
            ("from", query.date_from.isoformat() if query.date_from else ""),
            ("to", query.date_to.isoformat() if query.date_to else ""),
            ("view", query.view),
            ("sort", "" if query.sort == "newest" else query.sort),
            ("page", str(query.page) if query.page > 1 else ""),
        ]
        return [(name, value) for name, value in pairs if value]

    def url(self, path: str = "/console/leads", **changes) -> str:
        pairs = self.params(**changes)
        return f"{path}?{urlencode(pairs)}" if pairs else path

    def with_preset(self, preset: str) -> str:
        return self.url(received=preset, date_from=None, date_to=None)

    @property
    def has_filters(self) -> bool:
        return bool(self.params(status=""))


def page_number(text: str | None) -> int:
    """A page number from a query string; 1 for anything else ("abc", "0", a superscript digit)."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 1_000_000 else 1


def usable_day(day: date | None) -> date | None:
    """``day`` when a filter can use it, else None (far-off years overflow the UTC conversion)."""
    return day if day is not None and EARLIEST_DAY <= day <= LATEST_DAY else None


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _text(args: Mapping[str, str], name: str) -> str:
    return " ".join((args.get(name) or "").split())[:TEXT_MAX]


def _day(args: Mapping[str, str], name: str, label: str, ignored: list[str]) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = usable_day(date.fromisoformat(raw))
    except ValueError:
        day = None
    if day is None:
        ignored.append(f"{label} date {raw[:20]!r} (use the date picker, or YYYY-MM-DD)")
    return day


def parse_list_query(args: Mapping[str, str]) -> ListQuery:
    """``args``: the request's query arguments, one value per name (``request.args`` gives the first)."""
    ignored: list[str] = []
    status = _text(args, "status").lower()
    if status and status not in STATUSES:
        ignored.append(f"status {status[:20]!r}")
        status = ""
    received = _text(args, "received")
    if received and received not in PRESETS:
        ignored.append(f"period {received[:20]!r}")
        received = ""
    date_from = _day(args, "from", "from", ignored)
    date_to = _day(args, "to", "to", ignored)
    if date_from and date_to and date_to < date_from:
        date_from, date_to = date_to, date_from
    page = page_number(_text(args, "page"))
    sort = _text(args, "sort").lower() or "newest"
    if sort not in LEAD_SORTS:
        ignored.append(f"sort {sort[:20]!r}")
        sort = "newest"
    view = _text(args, "view").lower()
    if view and view != "new":
        ignored.append(f"view {view[:20]!r}")
        view = ""
    return ListQuery(
        status=status,
        interest=_text(args, "interest"),
        course=_text(args, "course").upper(),
        place=_text(args, "place"),
        search=_text(args, "q"),
        received="" if (date_from or date_to) else received,
        date_from=date_from,
        date_to=date_to,
        page=page,
        sort=sort,
        view=view,
        ignored=tuple(ignored),
    )
