"""Defect 7: the widget keeps the transcript (names, emails, phone numbers) in the tab's
sessionStorage, forgets it after the idle time, and "Clear conversation" removes it.

Before: the transcript lived in localStorage with no expiry, readable by the
next person at a shared computer long after the visitor had gone.
"""

from __future__ import annotations

from playwright.sync_api import expect

from bot.web.pages import WIDGET_GREETING
from tests.browser.widget_page import Widget

PERSONAL = "my email is kim@example.com"


def test_the_transcript_is_kept_in_session_storage_only(page):
    widget = Widget(page).visit().open()
    widget.ask(PERSONAL)
    widget.expect_answer(f"You said: {PERSONAL}")
    assert widget.stored("localStorage") is None
    assert PERSONAL in [m["text"] for m in widget.stored()["messages"]]
    assert isinstance(widget.stored()["savedAt"], (int, float))


def test_clear_conversation_removes_it_from_the_browser(page):
    widget = Widget(page).visit().open()
    widget.ask(PERSONAL)
    widget.expect_answer(f"You said: {PERSONAL}")
    widget.restart_button.click()
    expect(widget.visitor_messages).to_have_count(0)
    expect(widget.bot_texts).to_have_text([WIDGET_GREETING])
    assert "kim@example.com" not in widget.storage_text()
    page.reload()
    Widget(page).open()
    expect(widget.visitor_messages).to_have_count(0)


def test_a_conversation_idle_longer_than_the_configured_time_is_forgotten(page):
    widget = Widget(page).visit().open()
    widget.ask(PERSONAL)
    widget.expect_answer(f"You said: {PERSONAL}")
    old_conversation = widget.stored()["conversationId"]
    # The demo page sets data-idle-minutes from WIDGET_IDLE_MINUTES (30): age the stored copy by 31 minutes.
    page.evaluate(
        """() => {
            const key = Object.keys(sessionStorage).find(k => k.startsWith("british-academy-chat:"));
            const state = JSON.parse(sessionStorage.getItem(key));
            state.savedAt -= 31 * 60 * 1000;
            sessionStorage.setItem(key, JSON.stringify(state));
        }"""
    )
    page.reload()
    widget.open()
    expect(widget.bot_texts).to_have_text([WIDGET_GREETING])
    expect(widget.visitor_messages).to_have_count(0)
    assert "kim@example.com" not in widget.storage_text()
    assert widget.stored()["conversationId"] != old_conversation


def test_a_transcript_an_older_widget_left_in_local_storage_is_deleted(page):
    widget = Widget(page).visit()
    page.evaluate(
        """() => {
            const message = {id: "x", from: "visitor", text: "kim@example.com"};
            const legacy = {conversationId: "", greeted: true, messages: [message]};
            localStorage.setItem("british-academy-chat:v1:" + location.origin, JSON.stringify(legacy));
        }"""
    )
    page.reload()
    widget.open()
    expect(widget.visitor_messages).to_have_count(0)
    assert "kim@example.com" not in widget.storage_text()
