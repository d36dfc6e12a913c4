"""New-lead notifications: queued with the lead, sent by email and webhook after the commit,
retried with back-off, given up (and audited) in the end, never in the visitor's way."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.audit import AuditLog
from bot.staff.back_office import BackOffice
from bot.staff.notification_outbox import NotificationQueue, OutboxWriter, retry_delay
from bot.staff.notifications import NotificationWorker, deliver_due, notify_new_lead
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from tests.leads.builders import FakeClock, submission
from tests.staff.fixtures import NOW
from tests.staff.mail_sink import MailSink
from tests.staff.webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
# Bounds on waiting for a background thread or process: not speed requirements.
WAIT_LIMIT_SECONDS = 30


@pytest.fixture
def mail():
    sink = MailSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def webhook():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def notify_settings(tmp_path, **env) -> Settings:
    base = {"BOT_PROJECT_ROOT": str(tmp_path), "NOTIFY_RETRY_SECONDS": "30", "NOTIFY_MAX_ATTEMPTS": "3"}
    return Settings.from_env({**base, **env})


def email_env(port: int) -> dict[str, str]:
    return {
        "ADMISSIONS_NOTIFY_EMAIL": "leads@britishacademy.example",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
        "PUBLIC_BASE_URL": "https://staff.britishacademy.example",
    }


class Stack:
    """The database and repository a submit action would use, on a hand-moved clock."""

    def __init__(self, settings: Settings):
        upgrade(settings.database_url)
        self.settings = settings
        self.clock = FakeClock(NOW)
        self.office = BackOffice.from_settings(settings, clock=self.clock)  # as the action server wires it
        self.sessions = self.office.sessions
        self.leads = self.office.leads()
        self.queue = self.office.notification_queue()

    def deliver(self, **kwargs):
        return deliver_due(self.office, **kwargs)

    def close(self) -> None:
        self.office.close()


@pytest.fixture
def stack_for(tmp_path):
    stacks = []

    def build(**env) -> Stack:
        stacks.append(Stack(notify_settings(tmp_path, **env)))
        return stacks[-1]

    yield build
    for stack in stacks:
        stack.close()


# --- queued with the lead -----------------------------------------------------------


def test_a_new_lead_queues_one_notification_per_channel_in_its_transaction(stack_for, webhook):
    stack = stack_for(**email_env(1025), NOTIFY_WEBHOOK_URL=webhook.url)
    result = stack.leads.submit(submission())
    assert {item.channel for item in stack.queue.for_lead(result.lead_id)} == {"email", "webhook"}
    again = stack.leads.submit(submission())  # the same submission redelivered
    assert again.created is False and len(stack.queue.for_lead(result.lead_id)) == 2


def test_nothing_is_queued_when_no_channel_is_configured(stack_for):
    stack = stack_for()
    result = stack.leads.submit(submission())
    assert stack.queue.for_lead(result.lead_id) == []
    assert notify_new_lead(stack.settings, result) is None


def test_a_rejected_lead_queues_nothing(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url)
    with pytest.raises(Exception, match="consent"):
        stack.leads.submit(submission(consent=None))
    assert stack.queue.waiting() == 0


# --- email -------------------------------------------------------------------------


def test_email_reaches_the_admissions_address_with_a_link_and_no_contact_details(stack_for, mail):
    stack = stack_for(**email_env(mail.port))
    lead_id = stack.leads.submit(submission()).lead_id
    assert stack.deliver().sent == 1
    [message] = mail.received()
    reference = stack.leads.get(lead_id).reference
    assert message["To"] == "leads@britishacademy.example"
    assert message["From"] == "admissions@britishacademy.example"
    assert message["Subject"] == f"New enquiry {reference}: healthcare management"
    body = message.get_content()
    assert f"https://staff.britishacademy.example/console/leads/{lead_id}" in body
    assert "Priya Shah" in body and "HM-101 Healthcare Management Fundamentals" in body
    assert "London / in person" in body and "18 Nov 2026 10:00 (Europe/London)" in body
    for private in ("priya.shah@", "+4479", "07911", "Could someone call me"):
        assert private not in body
    assert stack.queue.for_lead(lead_id)[0].sent_at == NOW
    assert stack.deliver().sent == 0  # sent once


def test_email_retried_with_backoff_until_the_server_answers(stack_for, mail):
    stack = stack_for(**email_env(mail.port))
    mail.refuse_next = 2
    lead_id = stack.leads.submit(submission()).lead_id
    assert stack.deliver().retrying == 1
    [item] = stack.queue.for_lead(lead_id)
    assert item.next_attempt_at == NOW + timedelta(seconds=30) and "451" in item.last_error
    stack.clock.advance(seconds=29)
    assert stack.deliver().sent == 0  # not due yet
    stack.clock.advance(seconds=1)
    assert stack.deliver().retrying == 1
    assert stack.queue.for_lead(lead_id)[0].next_attempt_at == stack.clock.now + timedelta(seconds=60)
    stack.clock.advance(seconds=60)
    assert stack.deliver().sent == 1
    assert len(mail.received()) == 1 and stack.queue.for_lead(lead_id)[0].attempts == 3


def test_given_up_after_the_last_attempt_and_audited(stack_for):
    stack = stack_for(**email_env(closed_port()))
    lead_id = stack.leads.submit(submission()).lead_id
    reports = []
    for _ in range(3):
        reports.append(stack.deliver())
        stack.clock.advance(hours=1)
    assert [(r.retrying, r.given_up) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    assert stack.queue.for_lead(lead_id)[0].failed_at is not None
    assert stack.deliver() == type(reports[0])()  # nothing more is tried
    entry = AuditLog(stack.sessions).recent(action="notification.failed")[0]
    assert entry.subject == f"lead:{lead_id}" and entry.detail.startswith("email after 3 attempt(s): SMTP 127.0.0.1")


def test_an_unexpected_error_in_a_sender_counts_as_a_failed_attempt(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url)
    lead_id = stack.leads.submit(submission()).lead_id

    def broken(_announcement, _settings):
        raise RuntimeError("priya.shah@example.nhs.uk broke it")

    assert stack.deliver(senders={"webhook": broken}).retrying == 1
    [item] = stack.queue.for_lead(lead_id)
    assert item.last_error == "unexpected RuntimeError (see the log)" and item.next_attempt_at > NOW
    stack.clock.advance(seconds=30)
    assert stack.deliver().sent == 1  # retried once the sender works again


def test_backoff_doubles_up_to_an_hour():
    assert [retry_delay(n, 30).total_seconds() for n in (1, 2, 3, 8, 9)] == [30, 60, 120, 3600, 3600]


# --- webhook -----------------------------------------------------------------------


def test_webhook_post_is_signed_idempotent_and_holds_no_contact_details(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url, NOTIFY_WEBHOOK_SECRET="s3cret")
    lead_id = stack.leads.submit(submission()).lead_id
    assert stack.deliver().sent == 1
    [delivery] = webhook.received()
    assert delivery.headers["content-type"] == "application/json"
    assert delivery.headers["idempotency-key"] == f"lead-{lead_id}-created"
    expected = "sha256=" + hmac.new(b"s3cret", delivery.body, hashlib.sha256).hexdigest()
    assert delivery.headers["x-signature-sha256"] == expected
    payload = delivery.json()
    assert payload["event"] == "lead.created"
    assert payload["lead"]["id"] == lead_id and payload["lead"]["courses"][0]["code"] == "HM-101"
    assert payload["links"]["api"].endswith(f"/api/leads/{lead_id}")
    for private in (b"Priya", b"priya.shah", b"+44", b"call me"):
        assert private not in delivery.body


def test_webhook_errors_are_retried(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url)
    webhook.statuses = [500, 503]
    lead_id = stack.leads.submit(submission()).lead_id
    assert stack.deliver().retrying == 1
    assert stack.queue.for_lead(lead_id)[0].last_error == "webhook answered HTTP 500"
    stack.clock.advance(seconds=30)
    assert stack.deliver().retrying == 1
    stack.clock.advance(seconds=60)
    assert stack.deliver().sent == 1
    assert len(webhook.received()) == 3


def test_an_unreachable_webhook_is_retried(stack_for):
    stack = stack_for(NOTIFY_WEBHOOK_URL=f"http://127.0.0.1:{closed_port()}/x")
    stack.leads.submit(submission())
    report = stack.deliver()
    assert report.retrying == 1


# --- never in the way ----------------------------------------------------------------


def test_notify_new_lead_returns_at_once_and_delivers_in_the_background(stack_for, mail):
    stack = stack_for(**email_env(mail.port))
    mail.hold_greeting = True  # the mail server is slow to answer
    result = stack.leads.submit(submission())
    thread = notify_new_lead(stack.settings, result)
    assert thread is not None and thread.is_alive()  # the caller did not wait for the mail server
    mail.hold.set()
    thread.join(WAIT_LIMIT_SECONDS)
    assert len(mail.received()) == 1


def test_notify_new_lead_never_raises(tmp_path):
    settings = Settings.from_env(
        {"BOT_PROJECT_ROOT": str(tmp_path), "DATABASE_URL": "postgresql://x@127.0.0.1:1/none?connect_timeout=1"}
        | {"NOTIFY_WEBHOOK_URL": "http://127.0.0.1:1/"}
    )
    thread = notify_new_lead(settings, 1)
    thread.join(WAIT_LIMIT_SECONDS)
    assert not thread.is_alive()


def test_only_one_sender_gets_each_notification(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url)
    stack.leads.submit(submission())
    other = NotificationQueue(stack.sessions, stack.clock)
    claimed = stack.queue.claim_due()
    assert len(claimed) == 1 and other.claim_due() == []
    stack.clock.advance(minutes=3)  # the first sender died: its claim runs out
    assert [item.attempt for item in other.claim_due()] == [2]


def test_erasing_the_lead_drops_its_pending_notifications(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url)
    lead_id = stack.leads.submit(submission()).lead_id
    stack.leads.erase_by_email("priya.shah@example.nhs.uk", "ann@example.org")
    assert stack.queue.for_lead(lead_id) == [] and stack.queue.waiting() == 0


async def test_the_worker_polls_and_can_be_woken(stack_for, webhook):
    stack = stack_for(NOTIFY_WEBHOOK_URL=webhook.url, NOTIFY_POLL_SECONDS="60")
    worker = NotificationWorker(stack.office)
    worker.start()
    try:
        stack.leads.submit(submission())
        worker.wake()
        for _ in range(WAIT_LIMIT_SECONDS * 10):
            if webhook.received():
                break
            await asyncio.sleep(0.1)
        assert len(webhook.received()) == 1
    finally:
        await worker.stop()


# --- the real gateway ----------------------------------------------------------------


def test_the_gateway_process_delivers_leads_the_action_server_stored(tmp_path, webhook):
    """A lead committed by another process (the action server) is announced by `python -m bot serve`."""
    port = closed_port()
    env = {
        **os.environ,
        "BOT_VAR_DIR": str(tmp_path / "var"),
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "RASA_URL": "http://127.0.0.1:9",
        "NOTIFY_WEBHOOK_URL": webhook.url,
        "NOTIFY_POLL_SECONDS": "0.2",
    }
    settings = Settings.from_env(env)
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    leads = LeadRepository(session_factory(engine), events=OutboxWriter(settings.notification_channels()))
    lead_id = leads.submit(submission()).lead_id
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        while not webhook.received() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert [d.json()["lead"]["id"] for d in webhook.received()] == [lead_id]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        engine.dispose()
