"""The widget embedded on another site (another origin: a second local port), against
the real gateway and the fake Rasa: an allowed site chats, a refused one is told
"chat unavailable" and the browser console says which setting to change (issue 16)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import running_gateway
from tests.browser.fake_rasa import DIFFERENCE_ANSWER
from tests.browser.host_site import HostSite, host_page, screenshot_path
from tests.browser.widget_page import Widget


@pytest.fixture(scope="module")
def sites():
    allowed, refused = HostSite({}).start(), HostSite({}).start()
    yield allowed, refused
    allowed.stop()
    refused.stop()


@pytest.fixture(scope="module")
def embed_gateway(chromium, fake_rasa, sites, tmp_path_factory):  # noqa: ARG001 - chromium: skip early
    allowed, refused = sites
    var_dir = tmp_path_factory.mktemp("embed-gateway-var")
    with running_gateway(fake_rasa.url, var_dir, {"GATEWAY_ALLOWED_ORIGINS": allowed.url}) as url:
        allowed.pages["/"] = host_page(f"{url}/widget.js")
        allowed.pages["/big-text"] = host_page(f"{url}/widget.js", title="Large print", font_size="30px")
        refused.pages["/"] = host_page(f"{url}/widget.js", title="Unlisted site")
        yield url


@pytest.fixture
def fresh_context(browser, fake_rasa):
    fake_rasa.reset()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_a_site_on_another_origin_chats_through_the_embedded_widget(fresh_context, sites, embed_gateway, fake_rasa):
    allowed, _ = sites
    page = fresh_context.new_page()
    requests = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    widget = Widget(page)
    widget.visit(f"{allowed.url}/").open()
    widget.ask("What is the difference between the two fields?")
    widget.expect_answer(DIFFERENCE_ANSWER)
    page.screenshot(path=screenshot_path("embedded-partner-site-1280.png"))
    assert fake_rasa.messages() == ["What is the difference between the two fields?"]
    assert ("POST", f"{embed_gateway}/api/chat") in requests
    assert page.url.startswith(allowed.url)  # the page itself stayed on the partner's origin


def test_a_refused_site_shows_chat_unavailable_and_logs_the_setting(fresh_context, sites, embed_gateway, fake_rasa):
    _, refused = sites
    page = fresh_context.new_page()
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    widget = Widget(page)
    widget.visit(f"{refused.url}/").open()
    expect(page.locator(".ba-unavailable")).to_have_text(re.compile("^Chat unavailable"))
    expect(widget.input).to_be_disabled()
    expect(widget.quick_replies.first).to_be_hidden()
    assert any("GATEWAY_ALLOWED_ORIGINS" in text and refused.url in text for text in console_errors), console_errors
    page.screenshot(path=screenshot_path("embedded-refused-site-1280.png"))
    assert fake_rasa.messages() == []


def test_the_host_pages_font_size_does_not_reach_the_widget(fresh_context, sites, embed_gateway):
    allowed, _ = sites
    page = fresh_context.new_page()
    widget = Widget(page)
    widget.visit(f"{allowed.url}/big-text").open()
    expect(page.locator("h1")).to_have_css("font-size", "60px")  # 2em of the page's 30px: the page is large
    expect(widget.bot_texts.first).to_have_css("font-size", "16px")
    expect(page.locator(".ba-title")).to_have_css("font-size", "16px")
    expect(widget.quick_replies.first).to_have_css("font-size", "14px")
    expect(page.locator(".ba-footer")).to_have_css("font-size", "12px")
    assert widget.panel.bounding_box()["width"] == 380
