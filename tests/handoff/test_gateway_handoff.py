"""The live handoff through the gateway's HTTP surface: chat replies, the visitor's events stream,
and the staff inbox (reply, hand back, availability, a lead from the conversation)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from bot.handoff.rasa_api import RESUME_EVENTS
from bot.handoff.store import HandoffStore
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from bot.web.app import create_app
from bot.web.conversation_ids import ConversationIds
from tests.handoff.fake_rasa import JOINING, TOKEN, FakeRasaWithApi
from tests.leads.builders import FakeClock
from tests.web.console.staff_client import StaffClient
from tests.web.console.test_xss import assert_inert

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
STAFF = ("sam.jones@example.org", "staff password 456")
OTHER = ("kim@example.org", "other password 789")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def settings(tmp_path) -> Settings:
    (tmp_path / "var").mkdir()
    return Settings.from_env(
        {"BOT_PROJECT_ROOT": str(tmp_path), "RASA_URL": "http://127.0.0.1:9", "RASA_API_TOKEN": TOKEN}
    )


@pytest.fixture
def store(settings, clock):
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield HandoffStore(session_factory(engine), clock=clock)
    engine.dispose()


@pytest.fixture
def rasa(settings, store):
    fake = FakeRasaWithApi(settings.tracker_store_url, store).start()
    yield fake
    fake.stop()


@pytest.fixture
def make_app(settings, rasa, store, clock):
    accounts = StaffAccounts(store._sessions, clock)  # noqa: SLF001 - same database
    accounts.add(*STAFF)
    accounts.add(*OTHER)

    def make(rasa_url: str | None = None):
        app = create_app(Settings.from_env({**_env(settings), "RASA_URL": rasa_url or rasa.url}))
        app.ctx.console.clock = clock
        app.ctx.handoff_stream_seconds = 1.5  # a test reads a whole stream: end it soon
        return app

    return make


def _env(settings: Settings) -> dict[str, str]:
    return {"BOT_PROJECT_ROOT": str(settings.project_root), "RASA_API_TOKEN": TOKEN}


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def staff(app) -> StaffClient:
    client = StaffClient(app)
    assert client.login(*STAFF).status == 303
    return client


def chat(app, message: str, conversation_id: str | None = None):
    body = {"message": message, **({"conversation_id": conversation_id} if conversation_id else {})}
    _, response = app.test_client.post("/api/chat", json=body)
    return response


def events(app, url: str, headers: dict[str, str] | None = None) -> list[tuple[str | None, str | None, dict]]:
    """The stream's events as (event, id, data); keep-alive comments and retry lines left out."""
    _, response = app.test_client.get(url, headers=headers or {})
    assert response.status == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    found = []
    for block in response.text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "data" in fields:
            found.append((fields.get("event"), fields.get("id"), json.loads(fields["data"])))
    return found


def start_handoff(app) -> tuple[str, dict]:
    reply = chat(app, "hello")
    conversation_id = reply.json["conversation_id"]
    started = chat(app, "can a real person help me?", conversation_id)
    assert started.status == 200
    return conversation_id, started.json


def handoff_id_on(page: str) -> int:
    match = re.search(r'href="/console/inbox/(\d+)"', page)
    assert match, "no conversation in the inbox"
    return int(match.group(1))


def test_the_reply_that_starts_a_handoff_carries_the_handoff(app):
    conversation_id, body = start_handoff(app)
    assert body["messages"] == [{"text": JOINING}]
    assert body["handoff"] == {
        "state": "waiting",
        "events_url": "/api/chat/events?conversation_id=" + conversation_id.replace("=", "%3D"),
    }
    assert "handoff" not in chat(app, "hello again", ConversationIds.issue(ConversationIds(b"x"))).json


def test_while_handed_over_messages_reach_rasa_and_get_no_apology(app, rasa, store):
    conversation_id, _ = start_handoff(app)
    reply = chat(app, "I'm Jo Bloggs, jo.bloggs@example.net", conversation_id)
    assert reply.status == 200
    assert reply.json == {
        "conversation_id": conversation_id,
        "messages": [],
        "handoff": {"state": "waiting", "events_url": reply.json["handoff"]["events_url"]},
    }
    assert "degraded" not in reply.json
    sender = ConversationIds.sender_id(conversation_id)
    texts = [turn.text for turn in app.ctx.handoff_conversations.turns(sender)]
    assert texts[-1] == "I'm Jo Bloggs, jo.bloggs@example.net"


def test_events_stream_refuses_an_id_the_gateway_did_not_issue(app):
    _, response = app.test_client.get("/api/chat/events?conversation_id=made-up.signature")
    assert response.status == 403 and "conversation_id" in response.json["error"]
    _, response = app.test_client.get("/api/chat/events")
    assert response.status == 403


def test_staff_reply_reaches_the_stream_and_hand_back_ends_it(app, staff, rasa):
    conversation_id, started = start_handoff(app)
    chat(app, "I'd like to ask about fees", conversation_id)
    inbox = staff.get("/console/inbox")
    assert inbox.status == 200 and "(1 waiting)" in inbox.text and "I&#39;d like to ask about fees" in inbox.text
    handoff_id = handoff_id_on(inbox.text)
    page = staff.get(f"/console/inbox/{handoff_id}")
    assert "I&#39;d like to ask about fees" in page.text and "Reply as Sam" in page.text

    sent = staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "Hello, I'm Sam from admissions."})
    assert sent.status == 303 and "notice=sent" in sent.headers["location"]
    sender = ConversationIds.sender_id(conversation_id)
    assert rasa.appended == [
        (sender, {"event": "bot", "text": "Hello, I'm Sam from admissions.", "metadata": {"handoff_staff": "Sam"}})
    ]
    assert chat(app, "thanks", conversation_id).json["handoff"]["state"] == "live"

    assert staff.post(f"/console/inbox/{handoff_id}/hand-back").status == 303
    assert rasa.appended[-len(RESUME_EVENTS) :] == [(sender, event) for event in RESUME_EVENTS]
    stream = events(app, started["handoff"]["events_url"])
    message = next(item for item in stream if item[0] == "message")
    assert message[2] == {"text": "Hello, I'm Sam from admissions.", "from": "staff", "staff_name": "Sam"}
    assert message[1].isdigit()
    assert (
        stream[-1][0] == "state"
        and stream[-1][2]["state"] == "bot"
        and "back with the assistant" in stream[-1][2]["text"]
    )

    after = chat(app, "what courses are there?", conversation_id)
    assert after.json["messages"] == [{"text": "The assistant answers: what courses are there?"}]
    assert "handoff" not in after.json
    assert "(0 waiting)" in staff.get("/console/inbox").text


def test_stream_resumes_after_last_event_id_and_reports_live(app, staff):
    conversation_id, started = start_handoff(app)
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "First reply"})
    staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "Second reply"})
    stream = events(app, started["handoff"]["events_url"])
    replies = [item for item in stream if item[0] == "message"]
    assert [item[2]["text"] for item in replies] == ["First reply", "Second reply"]
    assert ("state", None, {"state": "live"}) in stream  # still with staff: no "bot"
    resumed = events(app, started["handoff"]["events_url"], {"Last-Event-ID": replies[0][1]})
    assert [item[2]["text"] for item in resumed if item[0] == "message"] == ["Second reply"]


def test_a_conversation_never_handed_over_hears_bot_and_ends(app):
    conversation_id = chat(app, "hello").json["conversation_id"]
    stream = events(app, f"/api/chat/events?conversation_id={conversation_id}")
    assert stream == [("state", None, {"state": "bot"})]


def test_a_handoff_survives_a_gateway_restart(make_app, store):
    first = make_app()
    conversation_id, started = start_handoff(first)
    second = make_app()  # another gateway process: same databases, nothing in memory
    staff = StaffClient(second)
    assert staff.login(*STAFF).status == 303
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    assert staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "Still here after the restart"}).status == 303
    assert chat(second, "are you there?", conversation_id).json["handoff"]["state"] == "live"
    stream = events(second, started["handoff"]["events_url"])
    assert [item[2]["text"] for item in stream if item[0] == "message"] == ["Still here after the restart"]


def test_reply_needs_text_csrf_and_an_open_handoff(app, staff, rasa):
    start_handoff(app)
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    assert "problem=empty" in staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "  "}).headers["location"]
    long_reply = staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "x" * 2001})
    assert "problem=long" in long_reply.headers["location"]
    assert staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "hi"}, csrf="wrong").status == 403
    assert rasa.appended == []
    staff.post(f"/console/inbox/{handoff_id}/hand-back")
    closed = staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "too late"})
    assert "problem=closed" in closed.headers["location"]
    assert rasa.appended[-len(RESUME_EVENTS)][1] == {"event": "resume"}


def test_signed_out_visitors_of_the_inbox_are_sent_to_sign_in(app):
    client = StaffClient(app)
    for path in ("/console/inbox", "/console/inbox/events", "/console/inbox/summary", "/console/inbox/1"):
        response = client.get(path)
        assert response.status == 302 and response.headers["location"].startswith("/console/login")
    assert client.post("/console/inbox/1/reply", {"text": "hi"}, csrf="").status == 403


def test_rasa_unreachable_keeps_the_conversation_with_staff(make_app, store):
    app = make_app()
    start_handoff(app)
    down = make_app(rasa_url="http://127.0.0.1:9")
    staff = StaffClient(down)
    staff.login(*STAFF)
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    assert "problem=rasa" in staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "hi"}).headers["location"]
    assert "problem=rasa" in staff.post(f"/console/inbox/{handoff_id}/hand-back").headers["location"]
    assert store.get(handoff_id).state == "waiting"


def test_wrong_rasa_token_is_refused_by_rasa_and_reported(make_app, settings, rasa, monkeypatch):
    app = make_app()
    start_handoff(app)
    app.ctx.rasa_api_token = "not-the-token"
    staff = StaffClient(app)
    staff.login(*STAFF)
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    assert "problem=rasa" in staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "hi"}).headers["location"]
    assert rasa.unauthorised == 1


def test_availability_toggle_is_stored_and_audited(app, staff, store):
    assert "I'm available for live chats" in staff.get("/console/inbox").text
    assert store.available_staff() == 0
    response = staff.post("/console/inbox/availability", {"available": "yes"})
    assert response.status == 303 and store.available_staff() == 1
    assert "Available for live chats" in staff.get("/console/inbox").text
    staff.post("/console/inbox/availability", {"available": "no"})
    assert store.available_staff() == 0
    actions = [entry.action for entry in app.ctx.console.audit().recent()]
    assert actions[:2] == ["handoff.unavailable", "handoff.available"]


def test_inbox_summary_counts_waiting(app, staff):
    assert staff.get("/console/inbox/summary").json == {"waiting": 0}
    start_handoff(app)
    assert staff.get("/console/inbox/summary").json == {"waiting": 1}


def test_inbox_stream_pushes_the_list(app, staff):
    start_handoff(app)
    _, response = app.test_client.get("/console/inbox/events", headers=staff._headers(None))  # noqa: SLF001
    blocks = [block for block in response.text.split("\n\n") if block.startswith("event: inbox")]
    data = json.loads(blocks[0].split("data: ", 1)[1])
    assert (
        data["items"][0]["state"] == "waiting" and data["items"][0]["unread"] == 2
    )  # staff have not opened it: every visitor message is unread
    assert data["items"][0]["last_text"] == JOINING


def test_make_a_lead_from_the_conversation(app, staff, rasa):
    conversation_id, _ = start_handoff(app)
    chat(app, "I'm Jo Bloggs, you can write to jo.bloggs@example.net or call 07911 123456", conversation_id)
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "Happy to note your details, Jo. Is that okay?"})
    chat(app, "yes that's fine", conversation_id)
    page = staff.get(f"/console/inbox/{handoff_id}").text
    assert 'value="Jo Bloggs"' in page and 'value="jo.bloggs@example.net"' in page and "07911 123456" in page

    form = {"name": "Jo Bloggs", "email": "jo.bloggs@example.net", "phone": "07911 123456", "message": "Fees"}
    refused = staff.post(f"/console/inbox/{handoff_id}/lead", form)
    assert "problem=consent" in refused.headers["location"]
    bad = staff.post(f"/console/inbox/{handoff_id}/lead", {**form, "email": "jo at example", "consent": "yes"})
    assert "lead_error=" in bad.headers["location"] and app.ctx.console.leads().count() == 0
    shown = staff.get(bad.headers["location"].split("#")[0]).text
    assert 'class="problem" role="alert"' in shown
    made = staff.post(f"/console/inbox/{handoff_id}/lead", {**form, "consent": "yes"})
    assert made.status == 303 and made.headers["location"].startswith("/console/leads/")
    lead_id = int(made.headers["location"].rsplit("/", 1)[1])
    lead = app.ctx.console.leads().get(lead_id)
    assert (lead.name, lead.email, lead.conversation_id) == (
        "Jo Bloggs",
        "jo.bloggs@example.net",
        rasa_sender(conversation_id),
    )
    staff_turns = [(t["text"], t.get("staff")) for t in lead.transcript if t.get("staff")]
    assert staff_turns == [("Happy to note your details, Jo. Is that okay?", "Sam")]
    assert "Sam (admissions)" in staff.get(made.headers["location"]).text  # the lead page names who wrote it
    assert "confirmed by sam.jones@example.org" in lead.consent.wording
    again = staff.post(f"/console/inbox/{handoff_id}/lead", {**form, "consent": "yes"})
    assert again.headers["location"] == made.headers["location"]  # one lead per handoff
    assert "handoff.lead" in [entry.action for entry in app.ctx.console.audit().recent()]


def rasa_sender(conversation_id: str) -> str:
    return ConversationIds.sender_id(conversation_id)


def test_an_erased_conversation_leaves_the_inbox(app, staff, clock, settings):
    from bot.staff.conversations import ConversationStore

    conversation_id, _ = start_handoff(app)
    assert "(1 waiting)" in staff.get("/console/inbox").text
    ConversationStore(settings.tracker_store_url).erase([rasa_sender(conversation_id)])
    assert "(1 waiting)" in staff.get("/console/inbox").text  # just asked: Rasa may not have stored it yet
    clock.advance(minutes=3)
    page = staff.get("/console/inbox").text
    assert "(0 waiting)" in page and "Nobody is waiting" in page
    assert app.ctx.handoffs.latest(rasa_sender(conversation_id)).state == "closed"


def test_visitor_text_is_shown_to_staff_as_text(app, staff):
    conversation_id, _ = start_handoff(app)
    chat(app, "<script>alert('x')</script><img src=x onerror=alert(1)>", conversation_id)
    inbox = staff.get("/console/inbox").text
    page = staff.get(f"/console/inbox/{handoff_id_on(inbox)}").text
    for html in (inbox, page):
        assert_inert(html)  # no element, handler or URL the payload could add
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
