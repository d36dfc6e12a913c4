"""The live handoff in real browsers against the real processes (Rasa, action server, gateway):
a visitor asks for a person, staff answer from the console's inbox, hand back, and the bot answers
again; and the path where nobody can take the chat (the enquiry form instead, pre-filled).

Screenshots of the run go to results/screenshots/; docs/staff-guide.md shows copies from docs/img/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from bot.handoff.store import HandoffStore
from bot.staff.accounts import StaffAccounts
from bot.storage.engine import create_engine_for, session_factory
from tests.browser.conftest import running_gateway
from tests.browser.host_site import screenshot_path
from tests.browser.widget_page import widget_in_new_tab

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
STAFF_EMAIL = "sam.taylor@britishacademy.example"
STAFF_PASSWORD = "handoff browser password"


@pytest.fixture(scope="module")
def handoffs(rasa_stack, stack_settings):
    engine = create_engine_for(stack_settings.database_url)
    sessions = session_factory(engine)
    accounts = StaffAccounts(sessions)
    if accounts.find(STAFF_EMAIL) is None:
        accounts.add(STAFF_EMAIL, STAFF_PASSWORD)
    store = HandoffStore(sessions)
    yield store
    store.set_available(accounts.find(STAFF_EMAIL).id, False)  # other tests of the stack meet nobody available
    engine.dispose()


@pytest.fixture(scope="module")
def live_gateway(chromium, rasa_stack, stack_settings, handoffs):
    with running_gateway(stack_settings.rasa_url, stack_settings.var_dir) as url:
        yield url


@pytest.fixture
def visitor(browser, live_gateway):
    with widget_in_new_tab(browser, live_gateway) as widget:
        yield widget


@pytest.fixture
def staff_page(browser, live_gateway):
    context = browser.new_context(base_url=live_gateway, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/console/inbox")
    page.get_by_label("Email address").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Inbox"))).to_be_visible()
    yield page
    context.close()


@pytest.fixture(scope="module")
def responses(project_root):
    return yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]


def set_available(page: Page, available: bool) -> None:
    page.goto("/console/inbox")
    if available and page.get_by_role("button", name="I'm available for live chats").count():
        page.get_by_role("button", name="I'm available for live chats").click()
        expect(page.get_by_text("Available for live chats", exact=True)).to_be_visible()
    if not available and page.get_by_role("button", name="Stop taking chats").count():
        page.get_by_role("button", name="Stop taking chats").click()
        expect(page.get_by_text("Not taking live chats", exact=True)).to_be_visible()


def test_staff_take_the_chat_reply_and_hand_back(visitor, staff_page, responses):
    set_available(staff_page, True)
    waiting_rows = staff_page.locator("#inbox-rows tr")
    rows_before = waiting_rows.count()

    visitor.ask("I'd like to talk to someone in admissions please")
    expect(visitor.bot_texts.filter(has_text="A person will join this chat shortly")).to_have_count(1)
    expect(visitor.page.get_by_text("You're chatting with our admissions team")).to_be_visible()
    visitor.ask("I'd like to know about paying in instalments")

    # The inbox updates by itself (server-sent events): no reload here.
    expect(waiting_rows).to_have_count(rows_before + 1)
    newest = waiting_rows.filter(has_text="paying in instalments")
    expect(newest).to_have_count(1)
    expect(newest.locator(".unread")).to_be_visible()
    staff_page.screenshot(path=screenshot_path("inbox.png"))

    newest.get_by_role("link").click()
    transcript = staff_page.locator("#handoff-transcript")
    expect(transcript.get_by_text("I'd like to know about paying in instalments")).to_be_visible()
    staff_page.get_by_label("Your reply").fill(
        "Hello, I'm Sam from admissions. Yes, most courses can be paid in parts."
    )
    staff_page.get_by_role("button", name="Send").click()
    expect(staff_page.get_by_text("Reply sent.")).to_be_visible()

    staff_reply = visitor.page.locator(".ba-msg-staff")
    expect(staff_reply.filter(has_text="Most courses can be paid in parts")).to_have_count(1)
    expect(staff_reply.filter(has_text="Sam")).to_have_count(1)
    visitor.ask("thank you, that helps")
    expect(transcript.get_by_text("thank you, that helps")).to_be_visible()  # live in the open conversation
    staff_page.screenshot(path=screenshot_path("inbox-conversation.png"))
    visitor.page.screenshot(path=screenshot_path("handoff-widget.png"))

    staff_page.get_by_role("button", name="Hand back to the assistant").click()
    expect(staff_page.get_by_text("Handed back to the assistant")).to_be_visible()
    expect(visitor.page.get_by_text("You're back with the assistant")).to_be_visible()
    expect(visitor.page.get_by_text("You're chatting with our admissions team")).to_be_hidden()

    # The enquiry offered when nobody is free follows action_offer_handoff; a "yes" now is not taking it up.
    answers_before = visitor.bot_texts.count()
    visitor.ask("yes, brilliant")
    expect(visitor.bot_texts).to_have_count(answers_before + 1)
    expect(visitor.bot_texts.last).to_contain_text("anything else I can help you with")
    expect(visitor.bot_texts.filter(has_text="Before I take any details")).to_have_count(0)

    answers_before = visitor.bot_texts.count()
    visitor.ask("what's the difference between healthcare management and medical administration?")
    expect(visitor.bot_texts).to_have_count(answers_before + 1)
    visitor.expect_answer(responses["utter_difference"][0]["text"][:50])


def test_nobody_available_offers_the_enquiry_with_what_was_said(visitor, staff_page):
    set_available(staff_page, False)

    visitor.ask("I'd like to talk to someone in admissions please, I'm Maya Patel")
    expect(visitor.bot_texts.filter(has_text="Nobody from our admissions team is free")).to_have_count(1)
    expect(visitor.quick_replies.filter(has_text="Yes, make an enquiry")).not_to_have_count(0)
    visitor.page.screenshot(path=screenshot_path("handoff-unavailable.png"))
    expect(visitor.page.get_by_text("You're chatting with our admissions team")).to_be_hidden()

    visitor.ask("yes please")
    expect(visitor.bot_texts.filter(has_text="Before I take any details")).to_have_count(1)
    visitor.quick_replies.filter(has_text="Yes, I agree").last.click()
    # The name came with the request: the form goes straight on to the email address.
    expect(visitor.bot_texts.filter(has_text="Which email address")).to_have_count(1)
    expect(visitor.bot_texts.filter(has_text="What's your name?")).to_have_count(0)
