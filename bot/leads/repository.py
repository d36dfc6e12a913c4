"""Writing leads: the only code that changes the leads tables.

``LeadRepository`` adds the writes (submit, status, notes, assignment,
erasure) to the reads of ``LeadQueries``. Each method is one short
transaction that writes its audit entry too. ``submit`` stores a lead exactly
once per idempotency key, and calls the ``LeadEvents`` port in the same
transaction (the staff package queues its notifications there). The back
office (``bot.staff.back_office``) builds the repository with its port.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.leads import models
from bot.leads.erasure import erase_email, purge_before
from bot.leads.events import LeadEvents, NoLeadEvents
from bot.leads.models import STATUSES, AuditEntry, ConsentRecord, Lead, LeadCourse, Note, StatusChange
from bot.leads.queries import LEAD_ID_MAX, LeadQueries
from bot.leads.submission import Consent, LeadRejected, LeadSubmission, clean_submission, course_pairs
from bot.leads.views import ErasureResult, NoteView, StatusChangeView, SubmitResult
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import DatabaseUnavailable

REFERENCE_PREFIX = "BA-"
# No 0/O, 1/I/L: a reference read out over the phone should survive it.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


class LeadNotFound(LookupError):
    pass


class InvalidStatus(ValueError):
    pass


class LeadRepository(LeadQueries):
    """Leads for the submit action (``submit``), the staff console and the CLI (everything else)."""

    def __init__(
        self,
        sessions: sessionmaker,
        clock: Clock = utc_now,
        link_days: int = 30,
        events: LeadEvents | None = None,
    ):
        super().__init__(sessions, clock)
        self._link_days = link_days
        self._events = events or NoLeadEvents()

    def submit(self, submission: LeadSubmission) -> SubmitResult:
        """Store the lead with its consent, courses and transcript in one transaction, exactly once.

        Raises ``ConsentMissing`` / ``LeadRejected`` (nothing stored) or ``DatabaseUnavailable``.
        """
        values = clean_submission(submission)
        courses = course_pairs(submission.courses)
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
            self._events.lead_stored(session, lead.id, now)  # same transaction: announced iff stored
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
        with self._transaction(write=True) as session:
            return erase_email(session, email, actor, self._clock())

    def purge_older_than(self, days: int, actor: str = "retention") -> ErasureResult:
        """Delete leads created more than ``days`` days ago (the retention period)."""
        now = self._clock()
        with self._transaction(write=True) as session:
            return purge_before(session, days, actor, now)

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
