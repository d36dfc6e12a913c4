"""The widget against the real stack: gateway -> Rasa -> action server -> database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import running_gateway
from tests.browser.widget_page import Widget

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live_gateway(chromium, rasa_stack, stack_settings):
    with running_gateway(stack_settings.rasa_url, stack_settings.var_dir) as url:
        yield url


@pytest.fixture
def live_widget(browser, live_gateway):
    context = browser.new_context(base_url=live_gateway)
    context.set_default_timeout(30_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield Widget(page).visit().open()
    assert dialogs == []
    context.close()


@pytest.fixture(scope="module")
def responses(project_root):
    return yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]


def test_real_answer_and_quick_reply(live_widget, responses):
    live_widget.ask("what does a medical administrator do all day?")
    live_widget.expect_answer(responses["utter_responsibilities_ma"][0]["text"][:60])
    live_widget.quick_replies.filter(has_text="Recommend a course").first.click()
    expect(live_widget.bot_texts.filter(has_text="best match")).not_to_have_count(0)


def test_complete_an_enquiry_through_the_widget(live_widget, stack_settings):
    widget = live_widget
    widget.ask("tell me about MA-201")
    expect(widget.quick_replies.filter(has_text="Enquire about this")).not_to_have_count(0)
    widget.quick_replies.filter(has_text="Enquire about this").last.click()
    expect(widget.bot_texts.filter(has_text="Before I take any details")).to_have_count(1)
    widget.quick_replies.filter(has_text="Yes, I agree").last.click()
    expect(widget.bot_texts.filter(has_text="What's your name?")).to_have_count(1)
    for answer, next_question in (
        ("Tomasz Nowak", "Which email address"),
        ("tomasz.nowak@example.org", "phone number"),
        ("+48 512 345 678", "Where would you like to study"),
        ("Online", "Anything you'd like admissions to know"),
        ("Please send dates for spring", "This is what I'll send"),
    ):
        widget.ask(answer)
        expect(widget.bot_texts.filter(has_text=next_question)).not_to_have_count(0)
    widget.quick_replies.filter(has_text="Send it").last.click()
    expect(widget.bot_texts.filter(has_text="your reference is")).to_have_count(1)

    exported = subprocess.run(
        [sys.executable, "-m", "bot", "leads", "export", "--format", "json"],
        capture_output=True,
        text=True,
        env={"BOT_VAR_DIR": str(stack_settings.var_dir), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    leads = [lead for lead in json.loads(exported.stdout) if lead["email"] == "tomasz.nowak@example.org"]
    assert len(leads) == 1
    assert leads[0]["phone"] == "+48512345678"
    assert [c["code"] for c in leads[0]["courses"]] == ["MA-201"]
    assert leads[0]["interest"] == "medical administration"  # MA-201's field, from the conversation
    assert leads[0]["location"] == "Online"
    visitor_said = [turn["text"] for turn in leads[0]["transcript"] if turn["sender"] == "visitor"]
    assert "Enquire about this" in visitor_said  # the button's title, not its payload
    assert not any(text.startswith("/") for text in visitor_said), visitor_said


def _user_turns(stack_settings, text: str) -> int:
    """How many times Rasa's tracker store recorded the visitor saying ``text``."""
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    engine = create_engine(stack_settings.tracker_store_url)
    with engine.connect() as connection:
        rows = connection.execute(sql("SELECT data FROM events WHERE type_name = 'user'")).fetchall()
    engine.dispose()
    return sum(1 for (data,) in rows if json.loads(data).get("text") == text)


def test_reload_keeps_the_real_conversation(live_widget, responses):
    widget = live_widget
    widget.ask("tell me about medical administration")
    widget.expect_answer(responses["utter_overview_ma"][0]["text"][:60])
    widget.page.reload()
    widget.open()
    expect(widget.visitor_texts).to_have_text(["tell me about medical administration"])
    widget.ask("and what jobs could I get?")  # Rasa still knows the field from before the reload
    widget.expect_answer(responses["utter_careers_ma"][0]["text"][:60])


def test_network_cut_delivers_the_message_to_rasa_exactly_once(live_widget, responses, stack_settings):
    widget = live_widget
    widget.ask("hello")
    # Rasa's reply: a bot message after the visitor's (the widget's own greeting comes before it); the
    # gateway's reply also carries the conversation id that the question below names.
    expect(widget.page.locator(".ba-msg-visitor ~ .ba-msg-bot .ba-text")).not_to_have_count(0)
    assert widget.stored()["conversationId"]
    question = f"what skills does a practice manager need? ({widget.stored()['conversationId'][:6]})"

    dropped = []

    def drop_first_answer(route):
        if not dropped:
            route.fetch()  # reaches the gateway and Rasa ...
            dropped.append(True)
            route.abort("connectionreset")  # ... but the browser sees a network error
        else:
            route.continue_()

    widget.page.route("**/api/chat", drop_first_answer)
    widget.ask(question)
    widget.expect_answer(responses["utter_skills_ma"][0]["text"][:60])
    assert dropped == [True]
    assert _user_turns(stack_settings, question) == 1


def test_html_typed_by_the_visitor_reaches_rasa_and_is_shown_as_text(live_widget):
    attack = "<img src=x onerror=alert(1)>"
    live_widget.ask(attack)
    expect(live_widget.visitor_texts).to_have_text([attack])
    # The bot's reply to it (a bot message after the visitor's; the greeting comes before), rendered too.
    expect(live_widget.page.locator(".ba-msg-visitor ~ .ba-msg-bot .ba-text")).not_to_have_count(0)
    assert live_widget.page.locator(".ba-log img").count() == 0
