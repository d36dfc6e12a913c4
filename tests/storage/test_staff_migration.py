"""Migration 0002 (staff console) on each database: up from 0001 with leads kept, and back down."""

from __future__ import annotations

from sqlalchemy import inspect

from bot.leads.repository import LeadRepository
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import current_revision, downgrade, upgrade
from tests.leads.builders import submission
from tests.storage.databases import HEAD_REVISION

STAFF_TABLES = {"staff_users", "staff_sessions", "api_tokens", "login_attempts", "notification_outbox"}


def test_upgrade_from_0001_keeps_leads_and_downgrade_removes_only_staff_tables(database_url):
    engine = create_engine_for(database_url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert STAFF_TABLES <= set(inspect(engine).get_table_names())
        assert "ix_audit_log_subject" in {index["name"] for index in inspect(engine).get_indexes("audit_log")}
        assert "ix_leads_linked_lead_id" in {index["name"] for index in inspect(engine).get_indexes("leads")}
        downgrade(engine, "0001")
        inspector = inspect(engine)
        assert not STAFF_TABLES & set(inspector.get_table_names())
        assert "ix_audit_log_subject" not in {index["name"] for index in inspector.get_indexes("audit_log")}
        lead_id = LeadRepository(session_factory(engine)).submit(submission()).lead_id
        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
        assert LeadRepository(session_factory(engine)).get(lead_id).name == "Priya Shah"
    finally:
        engine.dispose()
