"""The widget in a real browser (Chromium), against the real gateway and a fake Rasa."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bot.web.conversation_ids import ConversationIds
from bot.web.pages import WIDGET_GREETING, WIDGET_TITLE
from tests.browser.fake_rasa import ADMISSIONS_ANSWER, COURSE_ANSWER, DIFFERENCE_ANSWER
from tests.browser.widget_page import Widget

NOT_SENT = re.compile("not sent", re.IGNORECASE)


@pytest.fixture
def widget(page) -> Widget:
    return Widget(page)


def sender_of(widget: Widget) -> str:
    return ConversationIds.sender_id(widget.stored()["conversationId"])


def test_demo_page_opens_and_uses_only_its_own_host(page, gateway, widget):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    widget.visit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Healthcare Management or Medical Administration?")
    widget.open()
    widget.ask("What is the difference?")
    widget.expect_answer("Healthcare management sets")
    assert requested and all(url.startswith(gateway + "/") for url in requested), requested


def test_widget_opens_with_greeting_focus_and_configuration(page, widget):
    widget.visit()
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    widget.open()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("heading", name=WIDGET_TITLE)).to_be_visible()
    widget.expect_answer(WIDGET_GREETING)
    expect(widget.input).to_be_focused()
    expect(widget.log).to_have_attribute("aria-live", "polite")
    background = widget.launcher.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(11, 61, 107)"  # data-primary-color="#0b3d6b"
    privacy = widget.panel.get_by_role("link", name="Privacy notice", exact=True)
    expect(privacy).to_have_attribute("href", re.compile(r"/privacy$"))
    expect(privacy).to_have_attribute("target", "_blank")
    expect(privacy).to_have_attribute("rel", "noopener noreferrer")


def test_ask_a_question_and_read_the_answer(widget, fake_rasa):
    widget.visit().open()
    widget.ask("What is the difference?")
    expect(widget.visitor_texts).to_have_text(["What is the difference?"])
    widget.expect_answer(DIFFERENCE_ANSWER)
    link = widget.log.get_by_role("link", name="https://example.org/courses")
    expect(link).to_have_attribute("href", "https://example.org/courses")  # the full stop stays outside
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert fake_rasa.messages(sender_of(widget)) == ["What is the difference?"]


def test_quick_reply_sends_its_payload_and_shows_its_title(widget, fake_rasa):
    widget.visit().open()
    widget.ask("What is the difference?")
    expect(widget.quick_replies).to_have_text(["Recommend a course", "Talk to admissions"])
    widget.quick_replies.filter(has_text="Recommend a course").click()
    widget.expect_answer(COURSE_ANSWER)
    expect(widget.visitor_texts).to_have_text(["What is the difference?", "Recommend a course"])
    expect(widget.quick_replies).to_have_count(0)
    assert fake_rasa.messages(sender_of(widget)) == ["What is the difference?", "/recommend_course"]


def test_typing_indicator_while_waiting(widget):
    widget.visit().open()
    widget.ask("a slow question")  # the fake Rasa takes a moment over "slow"
    expect(widget.typing).to_be_visible()
    widget.expect_answer("You said: a slow question")
    expect(widget.typing).to_be_hidden()


def test_reload_keeps_the_history_and_greets_once(page, widget):
    widget.visit().open()
    widget.ask("What is the difference?")
    widget.expect_answer(DIFFERENCE_ANSWER)
    conversation_id = widget.stored()["conversationId"]

    page.reload()
    expect(widget.launcher).to_be_visible()
    widget.open()
    expect(widget.bot_texts).to_have_text([WIDGET_GREETING, DIFFERENCE_ANSWER])
    expect(widget.visitor_texts).to_have_text(["What is the difference?"])
    widget.ask("and after the reload?")
    widget.expect_answer("You said: and after the reload?")
    assert widget.stored()["conversationId"] == conversation_id


def test_another_tab_starts_its_own_conversation(context, widget):
    # The transcript lives in the tab's sessionStorage: another tab (or the next visitor) sees none of it.
    widget.visit().open()
    widget.ask("first tab")
    widget.expect_answer("You said: first tab")

    other = Widget(context.new_page()).visit().open()
    expect(other.bot_texts).to_have_text([WIDGET_GREETING])
    expect(other.visitor_texts).to_have_count(0)
    other.ask("second tab")
    other.expect_answer("You said: second tab")
    assert other.stored()["conversationId"] != widget.stored()["conversationId"]
    expect(widget.visitor_texts).to_have_text(["first tab"])


def test_restart_clears_the_conversation_and_starts_a_new_one(page, widget, fake_rasa):
    widget.visit().open()
    widget.ask("remember me")
    widget.expect_answer("You said: remember me")
    old_sender = sender_of(widget)

    widget.restart_button.click()
    expect(widget.visitor_messages).to_have_count(0)
    expect(widget.bot_texts).to_have_text([WIDGET_GREETING])
    expect(widget.input).to_be_focused()
    widget.ask("a fresh start")
    widget.expect_answer("You said: a fresh start")
    assert sender_of(widget) != old_sender
    assert fake_rasa.messages(sender_of(widget)) == ["a fresh start"]

    page.reload()
    widget.open()
    expect(widget.visitor_texts).to_have_text(["a fresh start"])


def test_offline_message_is_kept_marked_and_delivered_once(context, widget, fake_rasa):
    widget.visit().open()
    widget.ask("hello")
    widget.expect_answer("You said: hello")

    context.set_offline(True)
    widget.ask("sent while offline")
    pending = widget.visitor_messages.filter(has_text="sent while offline")
    expect(pending).to_contain_text(NOT_SENT)
    assert fake_rasa.messages(sender_of(widget)) == ["hello"]

    context.set_offline(False)
    widget.expect_answer("You said: sent while offline")
    expect(pending).not_to_contain_text(NOT_SENT)
    expect(widget.visitor_texts).to_have_text(["hello", "sent while offline"])
    assert fake_rasa.count("sent while offline") == {sender_of(widget): 1}


def test_lost_response_is_retried_without_a_second_delivery(page, widget, fake_rasa):
    """The request reaches the gateway and Rasa, but the answer never reaches the browser:
    the retry carries the same client_message_id and gets the stored answer."""
    widget.visit().open()
    widget.ask("hello")
    widget.expect_answer("You said: hello")

    dropped = []

    def drop_first_answer(route):
        if not dropped:
            route.fetch()  # delivered to the gateway...
            dropped.append(route.request.post_data_json)
            route.abort("connectionreset")  # ...but the browser sees a network error
        else:
            route.continue_()

    page.route("**/api/chat", drop_first_answer)
    widget.ask("answer lost on the way back")
    widget.expect_answer("You said: answer lost on the way back")
    expect(widget.visitor_texts).to_have_text(["hello", "answer lost on the way back"])
    expect(widget.visitor_messages.filter(has_text="answer lost")).not_to_contain_text(NOT_SENT)
    assert dropped and dropped[0]["message"] == "answer lost on the way back"
    assert fake_rasa.count("answer lost on the way back") == {sender_of(widget): 1}


def test_html_typed_by_the_visitor_is_shown_as_text(page, widget):
    attack = "<img src=x onerror=alert(1)>"
    widget.visit().open()
    widget.ask(attack)
    widget.expect_answer(f"You said: {attack}")  # the fake Rasa echoes it: bot text is safe too
    expect(widget.visitor_texts).to_have_text([attack])
    assert page.locator("#british-academy-chat img").count() == 0
    assert page.locator(".ba-log img").count() == 0
    assert page.dialogs == []


def test_keyboard_only(page, widget):
    widget.visit()
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if widget.launcher.evaluate("element => element.getRootNode().activeElement === element"):
            break
    expect(widget.launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()
    page.keyboard.type("What is the difference?")
    page.keyboard.press("Enter")
    widget.expect_answer(DIFFERENCE_ANSWER)
    page.keyboard.press("Shift+Tab")  # back from the field to the last quick reply
    expect(widget.quick_replies.filter(has_text="Talk to admissions")).to_be_focused()
    page.keyboard.press("Enter")
    widget.expect_answer(ADMISSIONS_ANSWER)
    expect(widget.input).to_be_focused()
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")


def test_full_screen_on_a_narrow_phone(browser, gateway):
    context = browser.new_context(base_url=gateway, viewport={"width": 360, "height": 640})
    try:
        widget = Widget(context.new_page()).visit().open()
        box = widget.panel.bounding_box()
        assert box == {"x": 0, "y": 0, "width": 360, "height": 640}
        expect(widget.input).to_be_visible()
        expect(widget.page.get_by_role("button", name="Close chat")).to_be_visible()
    finally:
        context.close()
