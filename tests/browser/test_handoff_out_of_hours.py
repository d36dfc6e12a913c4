"""Out of office hours, in a real browser against the real processes: a visitor who types a request for a
person is told the team is not in, when they answer live chats and when they are next in, and is offered
the enquiry form, which takes the enquiry as usual.

The shared test stack takes live chats at any hour (tests/conftest.py), so this module starts its own
Rasa server and action server with office hours that are closed today and tomorrow, in London.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from bot.office_hours import DAY_NAMES, DAYS
from bot.settings import Settings
from tests.browser.conftest import running_gateway
from tests.browser.host_site import screenshot_path
from tests.browser.widget_page import widget_in_new_tab
from tests.conftest import running_stack, stack_environment

pytestmark = pytest.mark.e2e

# Open only on the day after tomorrow (London time), so the office is closed whenever the test runs.
OPEN_DAY = (datetime.now(ZoneInfo("Europe/London")) + timedelta(days=2)).weekday()
HOURS = f"{DAYS[OPEN_DAY].capitalize()} 09:00-17:00"


@pytest.fixture(scope="module")
def closed_stack(tmp_path_factory):
    env = stack_environment(tmp_path_factory.mktemp("closed-var"), HANDOFF_HOURS=HOURS)
    with running_stack(env):
        yield Settings.from_env(env)


@pytest.fixture(scope="module")
def closed_gateway(chromium, closed_stack):
    with running_gateway(closed_stack.rasa_url, closed_stack.var_dir) as url:
        yield url


@pytest.fixture
def visitor(browser, closed_gateway):
    with widget_in_new_tab(browser, closed_gateway) as widget:
        yield widget


def test_out_of_hours_says_when_the_team_is_in_and_offers_the_enquiry(visitor):
    visitor.ask("can I chat with an actual person from your admissions office?")

    notice = visitor.bot_texts.filter(has_text="isn't in right now")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(f"{DAY_NAMES[OPEN_DAY]}, 09:00 to 17:00 (UK time)")
    expect(notice).to_contain_text(f"next on {DAY_NAMES[OPEN_DAY]} at 09:00")
    expect(visitor.page.get_by_text("You're chatting with our admissions team")).to_be_hidden()
    visitor.page.screenshot(path=screenshot_path("handoff-out-of-hours.png"))

    visitor.ask("ok yes, I'll leave an enquiry then")
    expect(visitor.bot_texts.filter(has_text="Before I take any details")).to_have_count(1)
