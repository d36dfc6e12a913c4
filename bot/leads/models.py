"""The leads schema as SQLAlchemy models, on ``bot.storage``'s ``Base``.

Portable types only, so the same models run on SQLite and PostgreSQL. The
tables themselves are created by the Alembic migrations in
``bot/storage/migrations/``, never by ``metadata.create_all``; a test checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.storage.schema import Base, UTCDateTime

STATUSES = ("new", "contacted", "qualified", "enrolled", "closed")

# Column sizes, shared with the repository's checks so PostgreSQL never sees an over-long value.
NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 32
SHORT_TEXT_MAX = 200
MESSAGE_MAX = 2000
NOTE_MAX = 5000
KEY_MAX = 128
COURSE_CODE_MAX = 64
COURSE_TITLE_MAX = 300


class Lead(Base):
    __tablename__ = "leads"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, index=True)
    idempotency_key = Column(String(KEY_MAX), nullable=False, unique=True)
    conversation_id = Column(String(KEY_MAX), nullable=True, index=True)

    name = Column(String(NAME_MAX), nullable=False)
    email = Column(String(EMAIL_MAX), nullable=False, index=True)
    phone = Column(String(PHONE_MAX), nullable=True)
    organisation = Column(String(SHORT_TEXT_MAX), nullable=True)
    team_size = Column(Integer, nullable=True)
    interest_field = Column(String(SHORT_TEXT_MAX), nullable=True)
    location = Column(String(SHORT_TEXT_MAX), nullable=True)
    delivery = Column(String(SHORT_TEXT_MAX), nullable=True)
    message = Column(Text, nullable=True)

    status = Column(String(16), nullable=False, default="new", server_default="new", index=True)
    assignee = Column(String(SHORT_TEXT_MAX), nullable=True)
    linked_lead_id = Column(Integer, ForeignKey("leads.id", ondelete="SET NULL"), nullable=True)
    # [{"sender": "visitor" | "bot", "text": str, "at": ISO 8601 str}, ...]
    transcript = Column(JSON, nullable=False, default=list)

    courses = relationship(
        "LeadCourse", back_populates="lead", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    consent = relationship(
        "ConsentRecord", back_populates="lead", uselist=False, cascade="all, delete-orphan", passive_deletes=True
    )
    status_changes = relationship(
        "StatusChange",
        back_populates="lead",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatusChange.id",
    )
    notes = relationship(
        "Note", back_populates="lead", cascade="all, delete-orphan", passive_deletes=True, order_by="Note.id"
    )
    linked_lead = relationship("Lead", remote_side=[id])


class LeadCourse(Base):
    __tablename__ = "lead_courses"
    __table_args__ = (UniqueConstraint("lead_id", "course_code", name="uq_lead_courses_lead_id_course_code"),)

    id = Column(Integer, primary_key=True)
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    course_code = Column(String(COURSE_CODE_MAX), nullable=False)
    course_title = Column(String(COURSE_TITLE_MAX), nullable=False, default="")

    lead = relationship("Lead", back_populates="courses")


class ConsentRecord(Base):
    __tablename__ = "consent_records"

    id = Column(Integer, primary_key=True)
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, unique=True)
    given_at = Column(UTCDateTime, nullable=False)
    notice_version = Column(String(64), nullable=False)
    notice_url = Column(String(500), nullable=False)
    wording = Column(Text, nullable=False)

    lead = relationship("Lead", back_populates="consent")


class StatusChange(Base):
    __tablename__ = "status_changes"

    id = Column(Integer, primary_key=True)
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    from_status = Column(String(16), nullable=False)
    to_status = Column(String(16), nullable=False)
    changed_by = Column(String(SHORT_TEXT_MAX), nullable=False)
    changed_at = Column(UTCDateTime, nullable=False)

    lead = relationship("Lead", back_populates="status_changes")


class Note(Base):
    __tablename__ = "notes"

    id = Column(Integer, primary_key=True)
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(SHORT_TEXT_MAX), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)

    lead = relationship("Lead", back_populates="notes")


class AuditEntry(Base):
    """Who did what to which record. Never holds an email address or phone number in clear."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, index=True)
    actor = Column(String(SHORT_TEXT_MAX), nullable=False)
    action = Column(String(64), nullable=False)
    subject = Column(String(SHORT_TEXT_MAX), nullable=False)
    detail = Column(Text, nullable=False, default="")
