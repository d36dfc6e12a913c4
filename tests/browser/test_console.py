"""The staff console in a real browser (Chromium): sign in, find leads, work one, export, erase.

Runs against ``python -m bot serve`` on a seeded database (tests/browser/console_site.py).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_site import ADMIN_EMAIL, ADMIN_PASSWORD, start_console_site
from tests.browser.gateway_process import stop_gateway
from tests.staff.tracker_events import TrackerEvents


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):  # noqa: ARG001 - chromium: skip early without a browser
    console_site, process = start_console_site(tmp_path_factory.mktemp("console-var"))
    yield console_site
    stop_gateway(process)


@pytest.fixture
def console(browser, site) -> Page:
    context = browser.new_context(base_url=site.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = []  # console errors (a CSP violation would land here) and any dialog we did not expect
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    yield page
    context.close()


def sign_in(page: Page, next_path: str = "/console/leads") -> None:
    page.goto(next_path)
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    page.get_by_label("Email address").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def listed_names(page: Page) -> list[str]:
    return page.locator("table.leads tbody tr td:nth-child(3) a").all_inner_texts()


def test_sign_in_and_out(console, site):
    sign_in(console)
    expect(console.get_by_role("heading", name="Leads")).to_be_visible()
    expect(console.locator(".who")).to_have_text(f"{ADMIN_EMAIL} (admin)")
    console.get_by_role("button", name="Sign out").click()
    expect(console.get_by_text("You have signed out.")).to_be_visible()
    console.goto("/console/leads")
    expect(console).to_have_url(re.compile(r"/console/login"))
    assert console.problems == []


def test_a_wrong_password_is_refused(console):
    console.goto("/console/login")
    console.get_by_label("Email address").fill(ADMIN_EMAIL)
    console.get_by_label("Password").fill("not my password")
    console.get_by_role("button", name="Sign in").click()
    expect(console.get_by_role("alert")).to_have_text("Wrong email or password.")


def test_the_list_is_newest_first_with_counts(console, site):
    sign_in(console)
    assert listed_names(console) == ["Chloe Martin", "Ben Okoro", "Amira Haddad", "Dev Patel"]
    expect(console.locator(".status-tabs a", has_text="New")).to_contain_text("4")


def test_yesterdays_london_billing_leads_in_two_clicks(console, site):
    sign_in(console)
    # Click 1: pick the course (the menu applies itself). Click 2: "Yesterday".
    console.get_by_label("Course").select_option("MA-201")
    expect(console).to_have_url(re.compile(r"course=MA-201"))
    console.get_by_role("link", name="Yesterday").click()
    expect(console).to_have_url(re.compile(r"received=yesterday"))
    assert sorted(listed_names(console)) == ["Amira Haddad", "Ben Okoro"]
    # London narrows it to the one lead; so does typing it instead.
    console.get_by_label("Location or delivery").select_option("London")
    expect(console.locator("table.leads tbody tr")).to_have_count(1)
    assert listed_names(console) == ["Amira Haddad"]
    console.goto("/console/leads")
    console.get_by_label("Search").fill("london billing")
    console.get_by_label("Search").press("Enter")
    console.get_by_role("link", name="Yesterday").click()
    expect(console.locator("table.leads tbody tr")).to_have_count(1)
    assert listed_names(console) == ["Amira Haddad"]
    assert console.problems == []


def test_read_the_conversation_mark_contacted_and_add_a_note(console, site):
    sign_in(console)
    console.get_by_role("link", name="Amira Haddad").click()
    expect(console.get_by_role("heading", level=1)).to_contain_text(site.references["amira"])
    transcript = console.locator("ol.transcript")
    expect(transcript).to_contain_text("Do you run medical billing courses in London?")
    expect(transcript).to_contain_text("Yes: Medical Billing and Coding runs in London.")
    expect(console.locator("dl.fields").first).to_contain_text("St Thomas' Billing Office")
    expect(console.get_by_text("version 2026-11 (/privacy)")).to_be_visible()

    console.get_by_label("New status").select_option("contacted")
    console.get_by_role("button", name="Update status").click()
    expect(console.get_by_role("status")).to_have_text("Status updated.")
    expect(console.locator("#current-status")).to_have_text("Contacted")
    expect(console.locator("ol.history")).to_contain_text(f"New → Contacted by {ADMIN_EMAIL}")

    console.get_by_label("Add a note").fill("Called Amira: wants the December London dates.")
    console.get_by_role("button", name="Add note").click()
    expect(console.locator("ol.notes")).to_contain_text("Called Amira: wants the December London dates.")
    expect(console.locator("ol.notes")).to_contain_text(ADMIN_EMAIL)
    expect(console.locator("ol.audit")).to_contain_text("lead.note")
    assert console.problems == []


def test_status_tabs_filter_the_list(console, site):
    sign_in(console)
    console.goto(f"/console/leads/{site.ids['ben']}")
    console.get_by_label("New status").select_option("qualified")
    console.get_by_role("button", name="Update status").click()
    expect(console.locator("#current-status")).to_have_text("Qualified")
    console.get_by_role("link", name="All leads").click()
    console.locator(".status-tabs a", has_text="Qualified").click()
    expect(console.locator("table.leads tbody tr")).to_have_count(1)
    assert listed_names(console) == ["Ben Okoro"]


def test_export_the_list_to_a_spreadsheet(console, site):
    sign_in(console, "/console/leads?course=MA-201")
    with console.expect_download() as download_info:
        console.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert re.fullmatch(r"leads-\d{4}-\d{2}-\d{2}-\d{4}\.csv", download.suggested_filename)
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["Amira Haddad", "Ben Okoro", "Dev Patel"]
    amira = next(row for row in rows if row["name"] == "Amira Haddad")
    assert amira["message"].startswith("'=HYPERLINK(")  # shown as text, never run as a formula


def test_erase_a_person(console, site):
    sign_in(console)
    console.goto(f"/console/leads/{site.ids['chloe']}")
    console.get_by_role("link", name="Export or erase everything held about this person").click()
    expect(console.get_by_label("Email address")).to_have_value("chloe@example.org")
    console.get_by_label("I understand this cannot be undone").check()
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Erase everything").click()
    expect(console.get_by_role("status")).to_have_text(
        "Erased 1 lead(s) and 1 conversation(s). The audit log records it."
    )
    response = console.goto(f"/console/leads/{site.ids['chloe']}")
    assert response.status == 404
    tracker = TrackerEvents(site.settings.tracker_store_url)
    try:
        assert "web-chloe" not in tracker.senders() and "web-amira" in tracker.senders()
    finally:
        tracker.close()
    console.goto("/console/audit")
    expect(console.locator("table.audit-table")).to_contain_text("c***@e***.org")


def test_dismissing_the_confirmation_erases_nothing(console, site):
    sign_in(console)
    console.goto(f"/console/people?lead={site.ids['ben']}")
    console.get_by_label("I understand this cannot be undone").check()
    console.once("dialog", lambda dialog: dialog.dismiss())
    console.get_by_role("button", name="Erase everything").click()
    console.goto(f"/console/leads/{site.ids['ben']}")
    expect(console.get_by_role("heading", level=1)).to_contain_text("Ben Okoro")


def test_an_anonymous_visitor_reaches_none_of_it(console, site):
    for path in ("/console/leads", f"/console/leads/{site.ids['amira']}", "/console/people", "/console/leads.csv"):
        console.goto(path)
        expect(console).to_have_url(re.compile(r"/console/login\?next="))
        expect(console.get_by_text("Amira")).to_have_count(0)
    response = console.request.get("/api/leads")
    assert response.status == 401
