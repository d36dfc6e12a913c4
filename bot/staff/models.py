"""Tables for staff accounts, sessions, API tokens, sign-in attempts, the
notification outbox and live handoffs, on ``bot.storage``'s ``Base`` like the leads
(one database, one migration history: ``bot/storage/migrations/``).

Secrets are never stored in clear: session cookies and API tokens are kept as
SHA-256 digests, passwords as argon2id hashes.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import relationship

from bot.leads.models import EMAIL_MAX, AuditEntry, Lead
from bot.storage.schema import Base, UTCDateTime

ROLES = ("staff", "admin")
DIGEST_LENGTH = 64  # hex SHA-256
CHANNELS = ("email", "webhook")

# Indexes the console's reads need on the leads' own tables (created by migration 0002):
# a lead's audit trail by subject ("lead:42"), and its later enquiries by linked_lead_id
# (also what deleting a lead needs, to clear the links that point at it).
Index("ix_audit_log_subject", AuditEntry.__table__.c.subject)
Index("ix_leads_linked_lead_id", Lead.__table__.c.linked_lead_id)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    email = Column(String(EMAIL_MAX), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default="staff", server_default="staff")
    active = Column(Boolean, nullable=False, default=True, server_default=true())
    created_at = Column(UTCDateTime, nullable=False)
    last_login_at = Column(UTCDateTime, nullable=True)
    # Takes live chats from visitors (the console's availability toggle; migration 0004).
    handoff_available = Column(Boolean, nullable=False, default=False, server_default=false())
    # The leads list's "new since my last visit" view (migration 0005): this visit and the one before.
    leads_visit_at = Column(UTCDateTime, nullable=True)
    leads_previous_visit_at = Column(UTCDateTime, nullable=True)

    sessions = relationship("StaffSession", back_populates="user", cascade="all, delete-orphan", passive_deletes=True)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its digest is stored here."""

    __tablename__ = "staff_sessions"

    token_digest = Column(String(DIGEST_LENGTH), primary_key=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    last_seen_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False, index=True)

    user = relationship("StaffUser", back_populates="sessions")


class ApiToken(Base):
    """A bearer token for the leads API, created with ``python -m bot tokens create NAME``."""

    __tablename__ = "api_tokens"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    token_digest = Column(String(DIGEST_LENGTH), nullable=False, unique=True)
    # The first characters of the token, to tell tokens apart in listings; useless for signing in.
    prefix = Column(String(16), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    last_used_at = Column(UTCDateTime, nullable=True)
    revoked_at = Column(UTCDateTime, nullable=True)
    # What the token may do, space-separated (bot/staff/api_tokens.py SCOPES); migration 0003.
    scopes = Column(String(200), nullable=False, default="leads:read", server_default="leads:read")
    expires_at = Column(UTCDateTime, nullable=False)


class LoginAttempt(Base):
    """One sign-in attempt, kept a day, to slow down and then lock out password guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False)
    email = Column(String(EMAIL_MAX), nullable=False)
    ip = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False)


class NotificationOutbox(Base):
    """A new-lead announcement still to deliver, written in the lead's own transaction.

    Holds no personal data: the message is built from the lead when it is sent,
    and the row disappears with the lead when the lead is erased.
    """

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)

    id = Column(Integer, primary_key=True)
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0, server_default="0")
    next_attempt_at = Column(UTCDateTime, nullable=False)
    # A worker that claims the row holds it until then; after a crash another worker takes over.
    claimed_until = Column(UTCDateTime, nullable=True)
    sent_at = Column(UTCDateTime, nullable=True)
    failed_at = Column(UTCDateTime, nullable=True)
    last_error = Column(Text, nullable=True)


class Handoff(Base):
    """A conversation handed to staff (bot/handoff): waiting, then live, then closed (handed back).

    Holds no personal data: the conversation itself (visitor messages, staff
    replies) stays in Rasa's tracker, which erasure and subject access cover.
    ``seen_event_id`` is the newest tracker event staff have seen (unread counts).
    """

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_sender_state", "sender_id", "state"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False)
    state = Column(String(16), nullable=False)
    requested_at = Column(UTCDateTime, nullable=False)
    accepted_at = Column(UTCDateTime, nullable=True)
    accepted_by = Column(String(EMAIL_MAX), nullable=True)
    closed_at = Column(UTCDateTime, nullable=True)
    closed_by = Column(String(EMAIL_MAX), nullable=True)
    seen_event_id = Column(Integer, nullable=False, default=0, server_default="0")
    lead_id = Column(Integer, ForeignKey("leads.id", ondelete="SET NULL"), nullable=True)
