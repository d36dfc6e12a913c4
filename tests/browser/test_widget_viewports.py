"""The demo page and the widget at phone and desktop sizes (360x640, 390x844, 1280x800),
against the real gateway and the fake Rasa, with screenshots saved by the run in
results/screenshots/ (issue 16)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot.web.pages import WIDGET_GREETING
from tests.browser.fake_rasa import COURSE_ANSWER, DIFFERENCE_ANSWER
from tests.browser.host_site import screenshot_path
from tests.browser.widget_page import Widget

SIZES = [(360, 640), (390, 844), (1280, 800)]
STARTERS = ["What is the difference?", "Careers", "Find a course", "Make an enquiry", "Talk to a person"]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized(request, browser, gateway, fake_rasa):
    width, height = request.param
    fake_rasa.reset()
    context = browser.new_context(base_url=gateway, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    yield Widget(context.new_page()), width, height
    context.close()


def inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def test_demo_page_and_widget_fit_the_screen(sized, fake_rasa):
    widget, width, height = sized
    page = widget.page
    widget.visit()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    expect(page.locator(".site-header")).to_be_in_viewport()
    page.screenshot(path=screenshot_path(f"demo-page-{width}x{height}.png"))

    widget.open()
    expect(widget.quick_replies).to_have_text(STARTERS)
    header = page.locator(".ba-header")
    assert inside(header.bounding_box(), width, height)
    assert inside(page.get_by_role("button", name="Close chat", exact=True).bounding_box(), width, height)
    panel = widget.panel.bounding_box()
    if width < 480:
        assert panel == {"x": 0, "y": 0, "width": width, "height": height}
    else:
        assert inside(panel, width, height) and panel["width"] == 380

    widget.quick_replies.filter(has_text="What is the difference?").click()
    widget.expect_answer(DIFFERENCE_ANSWER)
    expect(widget.visitor_texts).to_have_text(["What is the difference?"])
    assert fake_rasa.messages() == ["/ask_difference"]
    page.screenshot(path=screenshot_path(f"widget-answer-{width}x{height}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    ("starter", "payload"),
    [("Careers", "/ask_careers"), ("Find a course", "/recommend_course"), ("Talk to a person", "/request_human")],
)
def test_starter_buttons_send_the_help_menus_payloads(page, gateway, fake_rasa, starter, payload):  # noqa: ARG001
    widget = Widget(page).visit().open()
    widget.expect_answer(WIDGET_GREETING)
    widget.quick_replies.filter(has_text=starter).click()
    expect(widget.visitor_texts).to_have_text([starter])
    if payload == "/recommend_course":
        widget.expect_answer(COURSE_ANSWER)
    else:
        expect(widget.bot_texts).to_have_count(2)
    assert fake_rasa.messages() == [payload]
    expect(widget.quick_replies).to_have_count(0)  # offered on opening only


def test_a_long_reply_is_shown_from_its_start(page, gateway):  # noqa: ARG001
    widget = Widget(page).visit().open()
    long_question = " ".join(f"Line {n} of a long question about course dates." for n in range(1, 41))
    widget.ask(long_question)
    reply = widget.bot_texts.filter(has_text="You said: Line 1 of")
    expect(reply).to_have_count(1)
    log, message = widget.log.bounding_box(), page.locator(".ba-msg-bot").last.bounding_box()
    assert message["height"] > log["height"]  # longer than the visible log: only one end can show
    assert log["y"] <= message["y"] <= log["y"] + 24  # its start, not its end, is in view


def test_a_reply_while_the_panel_is_closed_shows_an_unread_badge(page, gateway):  # noqa: ARG001
    widget = Widget(page).visit().open()
    widget.ask("a slow question")  # the fake Rasa takes a moment over "slow"
    page.get_by_role("button", name="Close chat", exact=True).click()
    badge = page.locator(".ba-badge")
    expect(badge).to_have_text("1")
    widget.launcher.click()
    widget.expect_answer("You said: a slow question")
    expect(badge).to_be_hidden()
