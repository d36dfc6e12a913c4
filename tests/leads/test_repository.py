"""LeadRepository on SQLite and on the real PostgreSQL (each test runs on both)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.leads.lead_query import LeadFilter, start_of_day
from bot.leads.models import AuditEntry, ConsentRecord, Lead, LeadCourse, Note, StatusChange
from bot.leads.repository import InvalidStatus, LeadNotFound, LeadRepository
from bot.leads.submission import ConsentMissing, CourseChoice, LeadRejected, make_idempotency_key
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.transactions import DatabaseUnavailable
from tests.leads.builders import START, consent, submission


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_submission_is_stored_with_consent_courses_and_transcript(repository, engine):
    result = repository.submit(submission())

    assert result.created is True
    assert result.reference.startswith("BA-") and len(result.reference) == 9
    lead = repository.get(result.lead_id)
    assert lead.reference == result.reference
    assert lead.created_at == START
    assert lead.email == "priya.shah@example.nhs.uk"
    assert lead.phone == "+447911123456"
    assert (lead.name, lead.organisation, lead.team_size, lead.location) == (
        "Priya Shah",
        "St Elsewhere Trust",
        12,
        "London",
    )
    assert lead.status == "new"
    assert lead.courses == (CourseChoice("HM-101", "Healthcare Management Fundamentals"),)
    assert lead.consent.given_at == START
    assert lead.consent.notice_version == "2026-11"
    assert lead.consent.wording.startswith("The British Academy will use")
    assert [turn["sender"] for turn in lead.transcript] == ["visitor", "bot"]
    assert lead.transcript[0]["text"] == "I'd like to enrol"
    assert (count(engine, Lead), count(engine, ConsentRecord), count(engine, LeadCourse)) == (1, 1, 1)


def test_the_same_submission_twice_makes_one_lead(repository, engine):
    first = repository.submit(submission(key="conv-9/form-1"))
    again = repository.submit(submission(key="conv-9/form-1", message="double click"))

    assert again == dataclasses.replace(first, created=False)
    assert count(engine, Lead) == 1
    assert count(engine, ConsentRecord) == 1
    assert repository.get(first.lead_id).message == "Could someone call me about dates?"


def test_idempotency_key_is_stable_per_form_run():
    assert make_idempotency_key("conv-1", "1732650000.5") == make_idempotency_key("conv-1", "1732650000.5")
    assert make_idempotency_key("conv-1", "1732650000.5") != make_idempotency_key("conv-1", "1732650999.0")
    assert len(make_idempotency_key("c" * 500, "run")) == 64


@pytest.mark.parametrize(
    "missing",
    [
        None,
        dataclasses.replace(consent(), notice_version=" "),
        dataclasses.replace(consent(), wording=""),
        dataclasses.replace(consent(), given_at=START.replace(tzinfo=None)),
    ],
    ids=["no consent", "no notice version", "no wording", "naive time"],
)
def test_without_consent_nothing_is_stored(repository, engine, missing):
    with pytest.raises(ConsentMissing):
        repository.submit(submission(consent=missing))
    assert count(engine, Lead) == 0
    assert count(engine, ConsentRecord) == 0
    assert count(engine, AuditEntry) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "priya.shah.example.com"}, "email"),
        ({"name": "   "}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"team_size": 0}, "team_size"),
        ({"message": "x" * 2001}, "message"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"transcript": [{"sender": "someone", "text": "hi", "at": ""}]}, "transcript"),
    ],
)
def test_invalid_submissions_are_refused_and_nothing_is_stored(repository, engine, overrides, field):
    with pytest.raises(LeadRejected) as refused:
        repository.submit(submission(**overrides))
    assert refused.value.field == field
    assert count(engine, Lead) == 0


def test_control_characters_and_long_transcripts_are_tidied_not_refused(repository):
    turns = [{"sender": "user", "text": f"turn {index}", "at": 1_700_000_000 + index} for index in range(250)]
    turns[-1]["text"] = "y" * 5000
    result = repository.submit(submission(name="Priya\x1b[31m Shah", transcript=turns))
    lead = repository.get(result.lead_id)
    assert lead.name == "Priya [31m Shah"
    assert len(lead.transcript) == 200
    assert lead.transcript[0] == {"sender": "visitor", "text": "turn 50", "at": "2023-11-14T22:14:10+00:00"}
    assert len(lead.transcript[-1]["text"]) == 2000


def test_same_email_within_the_link_period_is_linked_and_both_are_kept(repository, clock):
    first = repository.submit(submission(key="a"))
    clock.advance(days=29, hours=23)
    second = repository.submit(submission(key="b", email="PRIYA.SHAH@example.nhs.uk", message="Any news?"))

    assert second.created and second.linked_lead_id == first.lead_id
    assert repository.get(second.lead_id).linked_reference == first.reference
    assert repository.get(first.lead_id).follow_up_references == (second.reference,)
    assert {lead.id for lead in repository.list_leads()} == {first.lead_id, second.lead_id}


def test_link_goes_to_the_newest_earlier_lead(repository, clock):
    repository.submit(submission(key="a"))
    clock.advance(days=5)
    middle = repository.submit(submission(key="b"))
    clock.advance(days=5)
    assert repository.submit(submission(key="c")).linked_lead_id == middle.lead_id


def test_same_email_after_the_link_period_is_not_linked(repository, clock):
    repository.submit(submission(key="a"))
    clock.advance(days=30, seconds=1)
    assert repository.submit(submission(key="b")).linked_lead_id is None


def test_a_different_email_is_not_linked(repository):
    repository.submit(submission(key="a"))
    assert repository.submit(submission(key="b", email="someone.else@example.nhs.uk")).linked_lead_id is None


def test_list_is_newest_first_and_filters(repository, clock):
    old = repository.submit(submission(key="a", name="Alan Old", email="alan@example.org", organisation="100% Care"))
    clock.advance(days=3)
    new = repository.submit(submission(key="b", name="Beth New", email="beth@example.org", organisation="Clinic_One"))
    repository.change_status(old.lead_id, "contacted", "admissions")

    def ids(**chosen) -> list[int]:
        return [lead.id for lead in repository.list_leads(LeadFilter(**chosen))]

    assert ids() == [new.lead_id, old.lead_id]
    assert ids(status="contacted") == [old.lead_id]
    assert ids(received_from=start_of_day((START + timedelta(days=1)).date())) == [new.lead_id]
    assert ids(search="BETH") == [new.lead_id]
    assert ids(search=old.reference.lower()) == [old.lead_id]
    # LIKE wildcards typed by staff are matched literally.
    assert ids(search="100%") == [old.lead_id]
    assert ids(search="be_h") == []
    assert ids(search="c_o") == [new.lead_id]
    assert [lead.id for lead in repository.list_leads(limit=1)] == [new.lead_id]
    assert repository.count() == 2 and repository.count(LeadFilter(status="new")) == 1


def test_get_by_reference_and_find(repository):
    result = repository.submit(submission())
    assert repository.by_reference(result.reference.lower()).id == result.lead_id
    assert repository.find(str(result.lead_id)).reference == result.reference
    assert repository.find(f" {result.reference} ").id == result.lead_id
    assert repository.find("BA-NOPE99") is None
    assert repository.get(999) is None


def test_status_change_is_recorded_with_an_audit_entry(repository, engine, clock):
    lead_id = repository.submit(submission()).lead_id
    clock.advance(hours=2)
    change = repository.change_status(lead_id, "contacted", "sam@admissions")

    assert (change.from_status, change.to_status, change.changed_at) == ("new", "contacted", clock.now)
    assert repository.change_status(lead_id, "contacted", "sam@admissions") is None
    lead = repository.get(lead_id)
    assert lead.status == "contacted"
    assert [(c.from_status, c.to_status, c.changed_by) for c in lead.status_changes] == [
        ("new", "contacted", "sam@admissions")
    ]
    assert count(engine, StatusChange) == 1
    with engine.connect() as connection:
        actions = connection.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["lead.created", "lead.status"]
    with pytest.raises(InvalidStatus):
        repository.change_status(lead_id, "lost", "sam")
    with pytest.raises(LeadNotFound):
        repository.change_status(999, "closed", "sam")


def test_notes(repository, engine):
    lead_id = repository.submit(submission()).lead_id
    note = repository.add_note(lead_id, "sam", "  Called; will ring back Tuesday.  ")
    assert note.body == "Called; will ring back Tuesday."
    assert [n.body for n in repository.get(lead_id).notes] == ["Called; will ring back Tuesday."]
    with pytest.raises(LeadRejected):
        repository.add_note(lead_id, "sam", "   ")
    with pytest.raises(LeadNotFound):
        repository.add_note(999, "sam", "hello")
    assert count(engine, Note) == 1


def test_erase_by_email_removes_every_lead_and_its_records(repository, engine, clock):
    first = repository.submit(submission(key="a", conversation_id="conv-a"))
    clock.advance(days=1)
    second = repository.submit(submission(key="b", conversation_id="conv-b"))
    other = repository.submit(submission(key="c", email="other@example.org", conversation_id="conv-c"))
    repository.add_note(first.lead_id, "sam", "note")
    repository.change_status(second.lead_id, "contacted", "sam")

    erased = repository.erase_by_email(" PRIYA.SHAH@example.nhs.uk ", actor="dpo")

    assert set(erased.lead_ids) == {first.lead_id, second.lead_id}
    assert set(erased.references) == {first.reference, second.reference}
    assert erased.conversation_ids == ("conv-a", "conv-b")
    assert [lead.id for lead in repository.list_leads()] == [other.lead_id]
    assert (count(engine, ConsentRecord), count(engine, LeadCourse), count(engine, Note)) == (1, 1, 0)
    assert count(engine, StatusChange) == 0
    with engine.connect() as connection:
        audit = connection.execute(select(AuditEntry).where(AuditEntry.action == "lead.erase")).one()
    assert "priya" not in audit.subject.lower() and audit.actor == "dpo"
    assert repository.erase_by_email("priya.shah@example.nhs.uk", actor="dpo").count == 0


def test_purge_removes_only_leads_older_than_the_retention_period(repository, clock):
    old = repository.submit(submission(key="a"))
    clock.advance(days=400)
    recent = repository.submit(submission(key="b", email="recent@example.org"))
    purged = repository.purge_older_than(days=365)
    assert purged.lead_ids == (old.lead_id,)
    assert [lead.id for lead in repository.list_leads()] == [recent.lead_id]


def test_export_rows_have_the_documented_fields(repository, clock):
    first = repository.submit(submission(key="a"))
    clock.advance(days=2)
    repository.submit(submission(key="b", email="b@example.org", phone=None, courses=[], team_size=None))

    rows = repository.export_rows()
    assert [row["id"] for row in rows] == [first.lead_id, first.lead_id + 1]
    row = rows[0]
    for key in (
        "id",
        "reference",
        "created_at",
        "name",
        "email",
        "phone",
        "organisation",
        "team_size",
        "interest",
        "courses",
        "location",
        "message",
        "consent",
        "status",
        "transcript",
    ):
        assert key in row, key
    assert row["created_at"] == START.isoformat()
    assert row["interest"] == "healthcare management"
    assert row["courses"] == [{"code": "HM-101", "title": "Healthcare Management Fundamentals"}]
    assert row["consent"]["given_at"] == START.isoformat() and row["consent"]["notice_version"] == "2026-11"
    assert row["transcript"][1] == {
        "sender": "bot",
        "text": "Happy to help. What's your name?",
        "at": "2026-11-02T09:28:01+00:00",
    }
    assert (rows[1]["phone"], rows[1]["courses"], rows[1]["team_size"]) == (None, [], None)
    since_the_third = LeadFilter(received_from=start_of_day(date(2026, 11, 3)))
    assert [row["id"] for row in repository.export_rows(since_the_third)] == [first.lead_id + 1]


def test_ping_passes_only_when_the_leads_table_can_be_read(repository, tmp_path):
    assert repository.ping() is None  # the migrated database: no error
    never_migrated = f"sqlite:///{tmp_path / 'never-migrated.db'}"
    with pytest.raises(DatabaseUnavailable):
        LeadRepository(session_factory(create_engine_for(never_migrated))).ping()


def test_courses_are_stored_once_each(repository):
    courses = [
        ("HM-101", "Healthcare Management"),
        CourseChoice("HM-101", "again"),
        ("MA-201", "Medical Administration"),
    ]
    lead = repository.get(repository.submit(submission(courses=courses)).lead_id)
    assert lead.courses == (
        CourseChoice("HM-101", "Healthcare Management"),
        CourseChoice("MA-201", "Medical Administration"),
    )


def test_the_lead_events_port_writes_in_the_lead_s_own_transaction(engine, clock):
    """What the port adds is committed with the lead, and a failing port stores no lead (the outbox rule)."""
    calls = []

    class Recording:
        def lead_stored(self, session, lead_id, at):
            calls.append((lead_id, at))
            session.add(AuditEntry(at=at, actor="port", action="port", subject=f"lead:{lead_id}", detail=""))

    class Failing:
        def lead_stored(self, session, lead_id, at):
            session.add(AuditEntry(at=at, actor="port", action="port", subject=f"lead:{lead_id}", detail=""))
            raise RuntimeError("the outbox refused")

    sessions = session_factory(engine)
    with pytest.raises(RuntimeError, match="outbox refused"):
        LeadRepository(sessions, clock=clock, events=Failing()).submit(submission(key="refused"))
    repository = LeadRepository(sessions, clock=clock, events=Recording())
    assert repository.count() == 0
    result = repository.submit(submission(key="stored"))
    assert calls == [(result.lead_id, clock())]
    with sessions() as session:
        ported = session.execute(select(AuditEntry.subject).where(AuditEntry.actor == "port")).scalars().all()
    assert ported == [f"lead:{result.lead_id}"]
