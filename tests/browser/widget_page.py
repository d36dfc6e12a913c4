"""The widget as a test sees it (Playwright's CSS locators reach into its open shadow root)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, expect


class Widget:
    def __init__(self, page: Page):
        self.page = page
        self.launcher = page.locator(".ba-launcher")
        self.panel = page.locator("#ba-panel")
        self.input = page.get_by_label("Your message")
        self.log = page.locator(".ba-log")
        self.bot_texts = page.locator(".ba-msg-bot .ba-text")
        self.visitor_messages = page.locator(".ba-msg-visitor")
        self.visitor_texts = page.locator(".ba-msg-visitor .ba-text")
        self.quick_replies = page.locator(".ba-quick-reply")
        self.typing = page.locator(".ba-typing")
        self.restart_button = page.get_by_role("button", name="Clear conversation")

    def visit(self, path: str = "/") -> Widget:
        self.page.goto(path)
        expect(self.launcher).to_be_visible()
        return self

    def open(self) -> Widget:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        return self

    def ask(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def expect_answer(self, text: str) -> None:
        expect(self.bot_texts.filter(has_text=text)).to_have_count(1)

    def stored(self, area: str = "sessionStorage") -> dict | None:
        """The conversation the widget keeps in this tab's sessionStorage (or ``area``)."""
        return self.page.evaluate(
            """(area) => {
                const storage = window[area];
                const key = Object.keys(storage).find(k => k.startsWith("british-academy-chat:"));
                return key ? JSON.parse(storage.getItem(key)) : null;
            }""",
            area,
        )

    def storage_text(self) -> str:
        """Everything this origin keeps in the browser's web storage, as one string."""
        return self.page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")


@contextmanager
def widget_in_new_tab(browser: Browser, site: str) -> Iterator[Widget]:
    """A visitor in a fresh browser context (no stored conversation) with the widget open on ``site``."""
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(30_000)
    try:
        yield Widget(context.new_page()).visit().open()
    finally:
        context.close()
