"""The widget's side of the live handoff (issue 16), in Chromium against a fake gateway
(tests/browser/fake_gateway.py) that streams staff messages the test pushes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.fake_gateway import HANDOFF_ANSWER, RAW_ERROR, FakeGateway
from tests.browser.host_site import screenshot_path
from tests.browser.widget_page import Widget

STATUS = "You're chatting with our admissions team"


@pytest.fixture(scope="module")
def fake_gateway(chromium):  # noqa: ARG001 - chromium: skip early
    server = FakeGateway().start()
    yield server
    server.stop()


@pytest.fixture
def widget(browser, fake_gateway):
    context = browser.new_context(base_url=fake_gateway.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    yield Widget(context.new_page())
    context.close()


def staff_says(text: str, name: str) -> dict:
    return {"text": text, "from": "staff", "staff_name": name}


def conversation_of(widget: Widget) -> str:
    return widget.stored()["conversationId"]


def start_handoff(widget: Widget) -> str:
    widget.visit().open()
    widget.quick_replies.filter(has_text="Talk to a person").click()
    widget.expect_answer(HANDOFF_ANSWER)
    expect(widget.page.locator(".ba-handoff")).to_have_text(STATUS)
    return conversation_of(widget)


def test_staff_messages_arrive_labelled_and_the_bot_takes_over_again(widget, fake_gateway):
    conversation = start_handoff(widget)
    assert fake_gateway.messages(conversation) == ["/request_human"]
    assert widget.stored()["handoff"]["state"] == "waiting"

    fake_gateway.push(conversation, "state", {"state": "live", "text": "Sam from admissions has joined."})
    fake_gateway.push(
        conversation, "message", {"text": "Hello, Sam here. How can I help?", "from": "staff", "staff_name": "Sam"}
    )
    expect(widget.page.locator(".ba-notice")).to_have_text(["Sam from admissions has joined."])
    staff = widget.page.locator(".ba-msg-staff")
    expect(staff).to_have_count(1)
    expect(staff.locator(".ba-sender")).to_have_text("Sam:")
    expect(staff.locator(".ba-text")).to_have_text("Hello, Sam here. How can I help?")

    widget.ask("Do you run courses in Lisbon next spring?")
    expect(widget.visitor_texts.last).to_have_text("Do you run courses in Lisbon next spring?")
    expect(widget.typing).to_be_hidden()  # no reply from the bot is awaited during a handoff
    expect(widget.page.locator(".ba-msg-visitor .ba-status").last).to_have_text("")
    assert fake_gateway.messages(conversation)[-1] == "Do you run courses in Lisbon next spring?"
    widget.page.screenshot(path=screenshot_path("widget-handoff-390.png"))

    # A reload reopens the stream; the replayed events are not shown twice.
    widget.page.reload()
    widget.open()
    expect(widget.page.locator(".ba-handoff")).to_have_text(STATUS)
    fake_gateway.push(conversation, "message", staff_says("Yes, in April.", "Sam"))
    expect(staff.locator(".ba-text")).to_have_text(["Hello, Sam here. How can I help?", "Yes, in April."])
    assert fake_gateway.opens(conversation) == 2

    fake_gateway.push(conversation, "state", {"state": "bot", "text": "You're back with the assistant."})
    expect(widget.page.locator(".ba-notice").last).to_have_text("You're back with the assistant.")
    expect(widget.page.locator(".ba-handoff")).to_be_hidden()
    assert widget.stored()["handoff"] is None
    widget.ask("What about fees?")
    widget.expect_answer("You said: What about fees?")


def test_a_staff_message_while_closed_shows_an_unread_badge(widget, fake_gateway):
    conversation = start_handoff(widget)
    widget.page.get_by_role("button", name="Close chat", exact=True).click()
    badge = widget.page.locator(".ba-badge")
    expect(badge).to_be_hidden()
    fake_gateway.push(conversation, "message", staff_says("Are you still there?", "Priya"))
    expect(badge).to_have_text("1")
    expect(widget.launcher).to_have_attribute("aria-label", "Open chat: Academy assistant (1 unread)")
    widget.page.screenshot(path=screenshot_path("widget-unread-badge-390.png"))
    widget.launcher.click()
    expect(widget.page.locator(".ba-msg-staff .ba-text")).to_have_text("Are you still there?")
    expect(badge).to_be_hidden()


def test_the_visitor_never_sees_the_apis_own_error_text(widget):
    widget.visit().open()
    widget.ask("please cause a raw error")
    status = widget.page.locator(".ba-msg-visitor .ba-status")
    expect(status).to_have_text("Not sent: this message could not be sent. Please rephrase it and try again.")
    expect(widget.page.locator("#ba-panel")).not_to_contain_text(RAW_ERROR)
