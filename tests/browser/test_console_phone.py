"""The staff console on a phone (390x844) in Chromium: the leads list as cards with no
sideways scrolling, email and phone at hand, sorting, the "new since my last visit"
view, the .xlsx export, and a transcript that shows what the visitor saw (issue 16)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from bot.leads.repository import LeadRepository
from bot.storage.engine import create_engine_for, session_factory
from tests.browser.console_site import ADMIN_EMAIL, ADMIN_PASSWORD, _lead, start_console_site
from tests.browser.gateway_process import stop_gateway
from tests.browser.host_site import screenshot_path

WIDTH, HEIGHT = 390, 844


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):  # noqa: ARG001 - chromium: skip early without a browser
    console_site, process = start_console_site(tmp_path_factory.mktemp("console-phone-var"))
    engine = create_engine_for(console_site.settings.database_url)
    at = datetime.now(timezone.utc) - timedelta(hours=1)
    lead = _lead(
        "zofia",
        at,
        name="Zofia Nowak",
        phone="+48 512 345 678",
        location="london, UK",
        transcript=[
            {"sender": "bot", "text": "Which course?", "at": at.isoformat()},
            {"sender": "visitor", "text": '/choose_course{"course":"MA-208"}', "at": at.isoformat()},
            {"sender": "bot", "text": "Hello, Sam here from admissions.", "at": at.isoformat(), "staff": "Sam"},
        ],
    )
    lead_id = LeadRepository(session_factory(engine), clock=lambda: at).submit(lead).lead_id
    engine.dispose()
    console_site.ids["zofia"] = lead_id
    yield console_site
    stop_gateway(process)


@pytest.fixture
def phone(browser, site) -> Page:
    context = browser.new_context(base_url=site.url, accept_downloads=True, viewport={"width": WIDTH, "height": HEIGHT})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page) -> None:
    page.goto("/console/leads")
    page.get_by_label("Email address").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Leads")).to_be_visible()


def no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_leads_list_works_on_a_phone(phone, site):
    sign_in(phone)
    no_sideways_scrolling(phone)
    card = phone.locator("table.leads tbody tr").filter(has_text="Zofia Nowak")
    expect(card.locator("td[data-label=Email] a")).to_have_attribute("href", "mailto:zofia@example.org")
    expect(card.locator("td[data-label=Phone] a")).to_have_text("+48512345678")
    expect(card.locator("td[data-label=Location]")).to_have_text("London")  # typed "london, UK"
    assert card.bounding_box()["width"] <= WIDTH
    expect(phone.get_by_role("button", name="Sign out")).to_be_in_viewport()
    phone.screenshot(path=screenshot_path("console-leads-390x844.png"), full_page=True)

    phone.get_by_label("Sort by").select_option("name")  # submits itself
    expect(phone).to_have_url(re.compile(r"sort=name"))
    names = phone.locator("table.leads tbody tr td.lead-name a").all_inner_texts()
    assert names == sorted(names) and "Zofia Nowak" in names

    phone.get_by_role("link", name="New since my last visit").click()
    expect(phone.get_by_text("Your first visit: every lead is new")).to_be_visible()
    no_sideways_scrolling(phone)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Export Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    phones = [row[header.index("phone")].value for row in sheet.iter_rows(min_row=2)]
    assert "+48512345678" in phones


def test_a_transcript_on_a_phone_shows_titles_and_staff_names(phone, site):
    sign_in(phone)
    phone.goto(f"/console/leads/{site.ids['zofia']}")
    transcript = phone.locator("ol.transcript")
    expect(transcript.locator(".turn-visitor .pre")).to_have_text("Choose course: MA-208")
    expect(transcript.locator(".turn-staff .speaker")).to_have_text("Sam (admissions)")
    expect(transcript).not_to_contain_text("choose_course")
    no_sideways_scrolling(phone)
    phone.screenshot(path=screenshot_path("console-lead-390x844.png"), full_page=True)
