"""Storing and reading leads: the only code that talks to the leads tables.

Every method opens its own short transaction and returns plain frozen
dataclasses, so callers (actions, the gateway, the CLI) never hold a session
or an ORM object. Database failures that mean "the store cannot be reached
right now" come out as ``DatabaseUnavailable`` so the bot can tell the
visitor honestly and keep the form for a retry.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, selectinload, sessionmaker

from bot.leads import models
from bot.leads.lead_filter import LeadFilter, apply_lead_filter, lead_order
from bot.leads.models import STATUSES, AuditEntry, ConsentRecord, Lead, LeadCourse, Note, StatusChange
from bot.leads.transcript_turns import STAFF_NAME_MAX
from bot.leads.validation import clean_text, validate_email, validate_name, validate_phone
from bot.places import normalise_location
from bot.privacy import mask_email
from bot.settings import Settings
from bot.staff.models import NotificationOutbox
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import DatabaseUnavailable, transaction

REFERENCE_PREFIX = "BA-"
# No 0/O, 1/I/L: a reference read out over the phone should survive it.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
# Larger ids cannot exist, and SQLite refuses to even compare with them (OverflowError).
LEAD_ID_MAX = 2**63 - 1
TRANSCRIPT_MAX_TURNS = 200
TRANSCRIPT_TEXT_MAX = 2000
_SENDERS = {"visitor": "visitor", "user": "visitor", "bot": "bot"}


# --- errors -----------------------------------------------------------------


class LeadRejected(ValueError):
    """A submission the store refuses to keep (the caller should have caught this earlier)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConsentMissing(LeadRejected):
    """No recorded consent: no personal detail may be stored."""


class LeadNotFound(LookupError):
    pass


class InvalidStatus(ValueError):
    pass


# --- what goes in -------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """What the visitor agreed to, and when: stored with the lead, in the same transaction."""

    given_at: datetime
    notice_version: str
    notice_url: str
    wording: str


@dataclass(frozen=True)
class CourseChoice:
    code: str
    title: str = ""


@dataclass(frozen=True)
class LeadSubmission:
    """One confirmed enquiry form, as the submit action hands it over.

    ``transcript`` turns are mappings with ``sender`` ("visitor" or "bot"; Rasa's
    "user" is accepted), ``text`` and ``at`` (ISO string, datetime or epoch seconds).
    """

    idempotency_key: str
    name: str
    email: str
    consent: Consent | None
    conversation_id: str | None = None
    phone: str | None = None
    organisation: str | None = None
    team_size: int | None = None
    interest_field: str | None = None
    location: str | None = None
    delivery: str | None = None
    message: str | None = None
    courses: Sequence[CourseChoice] = ()
    transcript: Sequence[Mapping[str, Any]] = ()


def make_idempotency_key(conversation_id: str, form_run: str) -> str:
    """A fixed-length key for one run of the enquiry form in one conversation.

    ``form_run`` identifies the run, e.g. the timestamp of the event that
    activated the form: a redelivered or repeated submit of the same run gives
    the same key, a new enquiry later in the conversation a new one.
    """
    return hashlib.sha256(f"{conversation_id}\x00{form_run}".encode()).hexdigest()


# --- what comes out -----------------------------------------------------------


@dataclass(frozen=True)
class SubmitResult:
    lead_id: int
    reference: str
    created: bool  # False: this submission was already stored, nothing new was written
    linked_lead_id: int | None = None


@dataclass(frozen=True)
class ConsentView:
    given_at: datetime
    notice_version: str
    notice_url: str
    wording: str


@dataclass(frozen=True)
class StatusChangeView:
    from_status: str
    to_status: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class LeadSummary:
    id: int
    reference: str
    created_at: datetime
    name: str
    email: str
    phone: str | None
    organisation: str | None
    team_size: int | None
    interest_field: str | None
    location: str | None
    delivery: str | None
    status: str
    assignee: str | None
    linked_lead_id: int | None
    conversation_id: str | None
    courses: tuple[CourseChoice, ...]


@dataclass(frozen=True)
class LeadDetail(LeadSummary):
    message: str | None = None
    transcript: tuple[dict, ...] = ()
    consent: ConsentView | None = None
    status_changes: tuple[StatusChangeView, ...] = ()
    notes: tuple[NoteView, ...] = ()
    linked_reference: str | None = None
    # References of later enquiries from the same email that link to this one.
    follow_up_references: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterChoices:
    """Values seen in the leads, for the console's filter menus."""

    interests: tuple[str, ...] = ()
    courses: tuple[CourseChoice, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErasureResult:
    """What was deleted; ``conversation_ids`` are for erasing the matching Rasa conversations too."""

    lead_ids: tuple[int, ...] = ()
    references: tuple[str, ...] = ()
    conversation_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.lead_ids)


# --- the repository -----------------------------------------------------------


class LeadRepository:
    """Leads for the submit action (``submit``), the staff console and the CLI (everything else)."""

    def __init__(
        self,
        sessions: sessionmaker,
        clock: Clock = utc_now,
        link_days: int = 30,
        notify_channels: Sequence[str] = (),
    ):
        self._sessions = sessions
        self._clock = clock
        self._link_days = link_days
        # One outbox row per channel is written with each new lead (bot/staff/notifications.py sends them).
        self._notify_channels = tuple(notify_channels)
        self._owned_engine: Engine | None = None

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = utc_now) -> LeadRepository:
        """A repository with its own engine on ``settings.database_url``; ``close()`` it when done."""
        engine = create_engine_for(settings.database_url)
        repository = cls(
            session_factory(engine),
            clock=clock,
            link_days=settings.lead_link_days,
            notify_channels=settings.notification_channels(),
        )
        repository._owned_engine = engine
        return repository

    def close(self) -> None:
        """Release the connections of an engine made by ``from_settings`` (a no-op otherwise)."""
        if self._owned_engine is not None:
            self._owned_engine.dispose()

    # -- writing ---------------------------------------------------------------

    def submit(self, submission: LeadSubmission) -> SubmitResult:
        """Store the lead with its consent, courses and transcript in one transaction, exactly once.

        Raises ``ConsentMissing`` / ``LeadRejected`` (nothing stored) or ``DatabaseUnavailable``.
        """
        values = _clean_submission(submission)
        courses = _course_pairs(submission.courses)
        for _attempt in range(5):
            try:
                return self._insert(submission.idempotency_key, values, courses, submission.consent)
            except IntegrityError:
                # A concurrent twin committed the same key first, or (rarely) the random
                # reference was taken: re-read, and otherwise try again with a new reference.
                existing = self._existing(submission.idempotency_key)
                if existing is not None:
                    return existing
        raise DatabaseUnavailable("could not allocate a unique lead reference; please try again")

    def _insert(
        self, key: str, values: dict[str, Any], courses: list[tuple[str, str]], consent: Consent
    ) -> SubmitResult:
        with self._transaction(write=True) as session:
            existing = _result_for_key(session, key)
            if existing is not None:
                return existing
            now = self._clock()
            linked_id = self._earlier_lead_id(session, values["email"], now)
            lead = Lead(
                reference=_new_reference(),
                created_at=now,
                idempotency_key=key,
                status="new",
                linked_lead_id=linked_id,
                **values,
            )
            lead.courses = [LeadCourse(course_code=code, course_title=title) for code, title in courses]
            lead.consent = ConsentRecord(
                given_at=consent.given_at,
                notice_version=consent.notice_version.strip(),
                notice_url=consent.notice_url.strip(),
                wording=consent.wording.strip(),
            )
            session.add(lead)
            session.flush()
            detail = f"linked to lead:{linked_id}" if linked_id else ""
            session.add(
                AuditEntry(at=now, actor="assistant", action="lead.created", subject=_subject(lead.id), detail=detail)
            )
            for channel in self._notify_channels:
                # Same transaction as the lead: announced if and only if it was stored.
                session.add(NotificationOutbox(lead_id=lead.id, channel=channel, created_at=now, next_attempt_at=now))
            return SubmitResult(lead_id=lead.id, reference=lead.reference, created=True, linked_lead_id=linked_id)

    def _earlier_lead_id(self, session: Session, email: str, now: datetime) -> int | None:
        if self._link_days <= 0:
            return None
        query = (
            select(Lead.id)
            .where(
                Lead.email == email,
                Lead.created_at >= now - timedelta(days=self._link_days),
                Lead.created_at <= now,
            )
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .limit(1)
        )
        return session.execute(query).scalar()

    def _existing(self, key: str) -> SubmitResult | None:
        with self._transaction() as session:
            return _result_for_key(session, key)

    def change_status(self, lead_id: int, to_status: str, changed_by: str) -> StatusChangeView | None:
        """Move a lead to ``to_status``; ``None`` when it already had that status (nothing recorded)."""
        if to_status not in STATUSES:
            raise InvalidStatus(f"unknown status {to_status!r}; use one of {', '.join(STATUSES)}")
        with self._transaction(write=True) as session:
            lead = _lead_or_raise(session, lead_id)
            if lead.status == to_status:
                return None
            now = self._clock()
            change = StatusChange(from_status=lead.status, to_status=to_status, changed_by=changed_by, changed_at=now)
            lead.status_changes.append(change)
            lead.status = to_status
            session.add(
                AuditEntry(
                    at=now,
                    actor=changed_by,
                    action="lead.status",
                    subject=_subject(lead_id),
                    detail=f"{change.from_status} -> {to_status}",
                )
            )
            return StatusChangeView(change.from_status, to_status, changed_by, now)

    def add_note(self, lead_id: int, author: str, body: str) -> NoteView:
        body = (body or "").strip()
        if not body:
            raise LeadRejected("a note needs some text", field="body")
        if len(body) > models.NOTE_MAX:
            raise LeadRejected(f"a note can be at most {models.NOTE_MAX} characters", field="body")
        with self._transaction(write=True) as session:
            lead = _lead_or_raise(session, lead_id)
            now = self._clock()
            note = Note(author=author, body=body, created_at=now)
            lead.notes.append(note)
            session.add(AuditEntry(at=now, actor=author, action="lead.note", subject=_subject(lead_id), detail=""))
            session.flush()
            return NoteView(id=note.id, author=author, body=body, created_at=now)

    def erase_by_email(self, email: str, actor: str) -> ErasureResult:
        """Delete every lead (with consent, courses, notes, history) for one email address."""
        address = (email or "").strip().lower()
        if not address:
            raise LeadRejected("an email address is needed to erase leads", field="email")
        with self._transaction(write=True) as session:
            result = _delete_leads(session, Lead.email == address)
            session.add(
                AuditEntry(
                    at=self._clock(),
                    actor=actor,
                    action="lead.erase",
                    subject=mask_email(address),
                    detail=f"{result.count} lead(s): {', '.join(result.references)}",
                )
            )
            return result

    def purge_older_than(self, days: int, actor: str = "retention") -> ErasureResult:
        """Delete leads created more than ``days`` days ago (the retention period)."""
        if days < 1:
            raise ValueError("the retention period must be at least one day")
        now = self._clock()
        with self._transaction(write=True) as session:
            result = _delete_leads(session, Lead.created_at < now - timedelta(days=days))
            session.add(
                AuditEntry(
                    at=now,
                    actor=actor,
                    action="lead.purge",
                    subject=f"older than {days} days",
                    detail=f"{result.count} lead(s)",
                )
            )
            return result

    # -- reading ---------------------------------------------------------------

    def ping(self) -> None:
        """Raise ``DatabaseUnavailable`` unless the leads table can be read (for health checks)."""
        with self._transaction() as session:
            session.execute(select(Lead.id).limit(1)).all()

    def list_leads(
        self,
        status: str | None = None,
        since: date | datetime | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[LeadSummary]:
        """Newest first."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        query = _filtered(select(Lead), status, since, search)
        query = query.order_by(Lead.created_at.desc(), Lead.id.desc()).limit(limit).offset(offset)
        with self._transaction() as session:
            return [_summary(lead) for lead in session.execute(query).scalars()]

    def count(self, status: str | None = None, since: date | datetime | None = None, search: str | None = None) -> int:
        query = _filtered(select(func.count(Lead.id)), status, since, search)
        with self._transaction() as session:
            return session.execute(query).scalar_one()

    def search(self, text: str, limit: int = 50) -> list[LeadSummary]:
        """Leads whose reference, name, email, organisation or message contains ``text``."""
        return self.list_leads(search=text, limit=limit)

    def get(self, lead_id: int) -> LeadDetail | None:
        if not 0 < lead_id <= LEAD_ID_MAX:
            return None
        return self._detail(Lead.id == lead_id)

    def by_reference(self, reference: str) -> LeadDetail | None:
        return self._detail(Lead.reference == (reference or "").strip().upper())

    def find(self, id_or_reference: str) -> LeadDetail | None:
        """A lead by numeric id ("12") or reference ("BA-7K3Q9X", any case)."""
        text = (id_or_reference or "").strip()
        return self.get(int(text)) if text.isascii() and text.isdigit() else self.by_reference(text)

    def export_rows(
        self, since: date | datetime | None = None, lead_filter: LeadFilter | None = None
    ) -> list[dict[str, Any]]:
        """One plain dict per lead, oldest first, ready for CSV or JSON."""
        query = _filtered(select(Lead), None, since, None)
        if lead_filter is not None:
            query = _console_filtered(query, lead_filter)
        query = query.options(
            selectinload(Lead.consent), selectinload(Lead.courses), selectinload(Lead.linked_lead)
        ).order_by(Lead.created_at, Lead.id)
        with self._transaction() as session:
            return [_export_row(lead) for lead in session.execute(query).scalars()]

    def _detail(self, condition) -> LeadDetail | None:
        query = (
            select(Lead)
            .where(condition)
            .options(selectinload(Lead.consent), selectinload(Lead.status_changes), selectinload(Lead.notes))
        )
        with self._transaction() as session:
            lead = session.execute(query).scalar()
            if lead is None:
                return None
            follow_ups = session.execute(
                select(Lead.reference).where(Lead.linked_lead_id == lead.id).order_by(Lead.created_at)
            ).scalars()
            return _detail(lead, tuple(follow_ups))

    # -- the staff console and the leads API ----------------------------------------

    def find_leads(
        self,
        lead_filter: LeadFilter,
        limit: int = 50,
        offset: int = 0,
        oldest_first: bool = False,
        sort: str = "newest",
    ) -> list[LeadSummary]:
        """One page of matching leads, newest first (or oldest first, for API clients catching up;
        or in another of ``LEAD_SORTS``, for the console)."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        order = lead_order("oldest" if oldest_first else sort)
        query = (
            _console_filtered(select(Lead), lead_filter)
            # A list never shows the transcript or the message: do not read them.
            .options(defer(Lead.transcript), defer(Lead.message))
            .order_by(*order)
            .limit(limit)
            .offset(offset)
        )
        with self._transaction() as session:
            return [_summary(lead) for lead in session.execute(query).scalars()]

    def count_leads(self, lead_filter: LeadFilter) -> int:
        with self._transaction() as session:
            return session.execute(_console_filtered(select(func.count(Lead.id)), lead_filter)).scalar_one()

    def status_counts(self, lead_filter: LeadFilter) -> dict[str, int]:
        """How many leads match the filter in each status (its own status ignored); every status listed."""
        query = _console_filtered(select(Lead.status, func.count(Lead.id)), lead_filter.without_status()).group_by(
            Lead.status
        )
        with self._transaction() as session:
            found = dict(session.execute(query).all())
        return {status: found.get(status, 0) for status in STATUSES}

    def filter_choices(self, limit: int = 40) -> FilterChoices:
        """The values the console offers in its filter menus, most used first (courses by code)."""
        interest = func.lower(Lead.interest_field)
        interests = (
            select(func.max(Lead.interest_field))
            .where(Lead.interest_field.is_not(None))
            .group_by(interest)
            .order_by(func.count(Lead.id).desc(), interest)
            .limit(limit)
        )
        courses = (
            select(LeadCourse.course_code, func.max(LeadCourse.course_title))
            .group_by(LeadCourse.course_code)
            .order_by(LeadCourse.course_code)
        )
        places: dict[str, tuple[str, int]] = {}
        with self._transaction() as session:
            interest_values = tuple(session.execute(interests).scalars())
            course_values = tuple(CourseChoice(code, title or "") for code, title in session.execute(courses).all())
            for column in (Lead.location, Lead.delivery):
                key = func.lower(column)
                rows = session.execute(
                    select(func.max(column), func.count(Lead.id)).where(column.is_not(None)).group_by(key)
                ).all()
                for shown, number in rows:
                    earlier = places.get(shown.lower(), (shown, 0))
                    places[shown.lower()] = (earlier[0], earlier[1] + number)
        ranked = sorted(places.values(), key=lambda item: (-item[1], item[0].lower()))
        return FilterChoices(
            interests=interest_values,
            courses=course_values,
            places=tuple(shown for shown, _ in ranked[:limit]),
        )

    def leads_for_email(self, email: str) -> list[LeadSummary]:
        """Every lead from one email address, oldest first (earlier and later enquiries of a person)."""
        address = (email or "").strip().lower()
        query = (
            select(Lead)
            .where(Lead.email == address)
            .options(defer(Lead.transcript), defer(Lead.message))
            .order_by(Lead.created_at, Lead.id)
        )
        with self._transaction() as session:
            return [_summary(lead) for lead in session.execute(query).scalars()]

    def assign(self, lead_id: int, assignee: str | None, actor: str) -> bool:
        """Give the lead to a member of staff (``None``: to nobody); False when nothing changed."""
        assignee = (assignee or "").strip() or None
        if assignee is not None and len(assignee) > models.SHORT_TEXT_MAX:
            raise LeadRejected(f"an assignee can be at most {models.SHORT_TEXT_MAX} characters", field="assignee")
        with self._transaction(write=True) as session:
            lead = _lead_or_raise(session, lead_id)
            if lead.assignee == assignee:
                return False
            previous, lead.assignee = lead.assignee, assignee
            session.add(
                AuditEntry(
                    at=self._clock(),
                    actor=actor,
                    action="lead.assign",
                    subject=_subject(lead_id),
                    detail=f"{previous or 'nobody'} -> {assignee or 'nobody'}",
                )
            )
            return True

    # -- plumbing --------------------------------------------------------------

    def _transaction(self, write: bool = False):
        return transaction(self._sessions, write=write)


# --- helpers ------------------------------------------------------------------


def _subject(lead_id: int) -> str:
    return f"lead:{lead_id}"


def _new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _result_for_key(session: Session, key: str) -> SubmitResult | None:
    row = session.execute(
        select(Lead.id, Lead.reference, Lead.linked_lead_id).where(Lead.idempotency_key == key)
    ).first()
    if row is None:
        return None
    return SubmitResult(lead_id=row.id, reference=row.reference, created=False, linked_lead_id=row.linked_lead_id)


def _lead_or_raise(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id) if 0 < lead_id <= LEAD_ID_MAX else None
    if lead is None:
        raise LeadNotFound(f"no lead with id {lead_id}")
    return lead


def _delete_leads(session: Session, condition) -> ErasureResult:
    rows = session.execute(select(Lead.id, Lead.reference, Lead.conversation_id).where(condition)).all()
    if rows:
        # The database cascades to consent, courses, notes and history (foreign keys are ON for SQLite too).
        session.execute(
            delete(Lead).where(Lead.id.in_([row.id for row in rows])), execution_options={"synchronize_session": False}
        )
    conversations = sorted({row.conversation_id for row in rows if row.conversation_id})
    return ErasureResult(
        lead_ids=tuple(row.id for row in rows),
        references=tuple(row.reference for row in rows),
        conversation_ids=tuple(conversations),
    )


def _start_of(moment: date | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.combine(moment, time.min, tzinfo=timezone.utc)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query, status: str | None, since: date | datetime | None, search: str | None):
    if status is not None:
        if status not in STATUSES:
            raise InvalidStatus(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        query = query.where(Lead.status == status)
    if since is not None:
        query = query.where(Lead.created_at >= _start_of(since))
    if search and search.strip():
        pattern = f"%{_escape_like(search.strip().lower())}%"
        columns = (Lead.reference, Lead.name, Lead.email, Lead.organisation, Lead.message)
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in columns)))
    return query


def _console_filtered(query, lead_filter: LeadFilter):
    try:
        return apply_lead_filter(query, lead_filter)
    except ValueError as error:
        raise InvalidStatus(str(error)) from None


def _clean_submission(submission: LeadSubmission) -> dict[str, Any]:
    """Check a submission before anything is written; returns the lead's column values."""
    consent = submission.consent
    if consent is None or not isinstance(consent.given_at, datetime):
        raise ConsentMissing("no consent recorded: nothing personal may be stored", field="consent")
    if consent.given_at.tzinfo is None:
        raise ConsentMissing("the consent time must be timezone-aware", field="consent")
    for name in ("notice_version", "notice_url", "wording"):
        if not (getattr(consent, name) or "").strip():
            raise ConsentMissing(f"the consent record has no {name.replace('_', ' ')}", field="consent")
    if len(consent.notice_version.strip()) > 64 or len(consent.notice_url.strip()) > 500:
        raise ConsentMissing("the privacy notice version or address is too long", field="consent")

    key = submission.idempotency_key or ""
    if not key.strip() or len(key) > models.KEY_MAX:
        raise LeadRejected(
            f"an idempotency key of 1 to {models.KEY_MAX} characters is required", field="idempotency_key"
        )
    if submission.conversation_id is not None and len(submission.conversation_id) > models.KEY_MAX:
        raise LeadRejected("the conversation id is too long", field="conversation_id")

    values: dict[str, Any] = {"conversation_id": submission.conversation_id}
    for name, result in (("name", validate_name(submission.name)), ("email", validate_email(submission.email))):
        if not result.ok:
            raise LeadRejected(result.error, field=name)
        values[name] = result.value
    values["phone"] = None
    if submission.phone:
        phone = validate_phone(submission.phone)
        if not phone.ok:
            raise LeadRejected(phone.error, field="phone")
        values["phone"] = phone.value
    for name in ("organisation", "interest_field", "location", "delivery"):
        values[name] = _optional_text(clean_text(getattr(submission, name)), name, models.SHORT_TEXT_MAX)
    values["location"] = normalise_location(values["location"])  # "london, UK" -> "London", as the catalogue
    values["message"] = _optional_text(clean_text(submission.message, multiline=True), "message", models.MESSAGE_MAX)
    team_size = submission.team_size
    if team_size is not None and (isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < 1):
        raise LeadRejected("the team size must be a whole number of at least 1", field="team_size")
    values["team_size"] = team_size
    values["transcript"] = _transcript(submission.transcript)
    return values


def _optional_text(value: str | None, name: str, max_length: int) -> str | None:
    text = (value or "").strip()
    if len(text) > max_length:
        raise LeadRejected(f"the {name.replace('_', ' ')} can be at most {max_length} characters", field=name)
    return text or None


def _course_pairs(choices: Sequence[CourseChoice | tuple]) -> list[tuple[str, str]]:
    """(code, title) pairs, each code once."""
    courses: dict[str, tuple[str, str]] = {}
    for choice in choices:
        code, title = (choice.code, choice.title) if isinstance(choice, CourseChoice) else tuple(choice)
        code, title = (code or "").strip(), (title or "").strip()
        if not code:
            continue
        if len(code) > models.COURSE_CODE_MAX or len(title) > models.COURSE_TITLE_MAX:
            raise LeadRejected(f"course code or title too long: {code[:20]!r}", field="courses")
        courses.setdefault(code, (code, title))
    return list(courses.values())


def _timestamp(value: Any) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc).isoformat()
    return str(value or "")


def _transcript(turns: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Visitor and bot turns, most recent ``TRANSCRIPT_MAX_TURNS`` kept, each text capped in length.

    Too long a conversation is trimmed rather than refused: losing the lead would be worse.
    """
    cleaned = []
    for turn in list(turns)[-TRANSCRIPT_MAX_TURNS:]:
        sender = _SENDERS.get(str(turn.get("sender", "")).lower()) if isinstance(turn, Mapping) else None
        if sender is None:
            raise LeadRejected("each transcript turn needs a sender of 'visitor' or 'bot'", field="transcript")
        text = clean_text(str(turn.get("text") or ""), multiline=True)
        if len(text) > TRANSCRIPT_TEXT_MAX:
            text = text[: TRANSCRIPT_TEXT_MAX - 1] + "\u2026"
        kept = {"sender": sender, "text": text, "at": _timestamp(turn.get("at"))}
        staff = clean_text(str(turn.get("staff") or "")) if sender == "bot" else ""
        if staff:
            kept["staff"] = staff[:STAFF_NAME_MAX]  # a member of staff wrote it (live handoff)
        cleaned.append(kept)
    return cleaned


def _course_views(lead: Lead) -> tuple[CourseChoice, ...]:
    return tuple(CourseChoice(course.course_code, course.course_title) for course in lead.courses)


def _summary_fields(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "reference": lead.reference,
        "created_at": lead.created_at,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "organisation": lead.organisation,
        "team_size": lead.team_size,
        "interest_field": lead.interest_field,
        "location": lead.location,
        "delivery": lead.delivery,
        "status": lead.status,
        "assignee": lead.assignee,
        "linked_lead_id": lead.linked_lead_id,
        "conversation_id": lead.conversation_id,
        "courses": _course_views(lead),
    }


def _summary(lead: Lead) -> LeadSummary:
    return LeadSummary(**_summary_fields(lead))


def _detail(lead: Lead, follow_ups: tuple[str, ...]) -> LeadDetail:
    consent = lead.consent
    return LeadDetail(
        **_summary_fields(lead),
        message=lead.message,
        transcript=tuple(dict(turn) for turn in lead.transcript or ()),
        consent=ConsentView(consent.given_at, consent.notice_version, consent.notice_url, consent.wording)
        if consent
        else None,
        status_changes=tuple(
            StatusChangeView(change.from_status, change.to_status, change.changed_by, change.changed_at)
            for change in lead.status_changes
        ),
        notes=tuple(NoteView(note.id, note.author, note.body, note.created_at) for note in lead.notes),
        linked_reference=lead.linked_lead.reference if lead.linked_lead else None,
        follow_up_references=follow_ups,
    )


def _export_row(lead: Lead) -> dict[str, Any]:
    consent = lead.consent
    return {
        "id": lead.id,
        "reference": lead.reference,
        "created_at": lead.created_at.isoformat(),
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "organisation": lead.organisation,
        "team_size": lead.team_size,
        "interest": lead.interest_field,
        "courses": [{"code": course.course_code, "title": course.course_title} for course in lead.courses],
        "location": lead.location,
        "delivery": lead.delivery,
        "message": lead.message,
        "consent": {
            "given_at": consent.given_at.isoformat() if consent else None,
            "notice_version": consent.notice_version if consent else None,
            "notice_url": consent.notice_url if consent else None,
        },
        "status": lead.status,
        "assignee": lead.assignee,
        "linked_lead_id": lead.linked_lead_id,
        "linked_reference": lead.linked_lead.reference if lead.linked_lead else None,
        "conversation_id": lead.conversation_id,
        "transcript": [dict(turn) for turn in lead.transcript or ()],
    }
