"""The leads list page and its CSV export, as staff use them."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.leads.lead_builders import BILLING, LEADERSHIP, add_lead
from tests.staff.fixtures import NOW

ROW = re.compile(r'<td class="nowrap"><a href="/console/leads/(\d+)">')


def listed(page: str) -> list[int]:
    return [int(number) for number in ROW.findall(page)]


@pytest.fixture
def many(leads, clock):
    """120 leads, one an hour back from now; every third about billing in London."""
    ids = []
    for number in range(120):
        billing = number % 3 == 0
        ids.append(
            add_lead(
                leads,
                clock,
                NOW - timedelta(hours=number),
                f"lead-{number}",
                email=f"person{number}@example.org",
                location="London" if billing else "Manchester",
                courses=[BILLING if billing else LEADERSHIP],
            )
        )
    return ids  # newest first


def test_newest_first_fifty_a_page(admin, many):
    first = admin.get("/console/leads")
    assert first.status == 200
    assert listed(first.text) == many[:50]
    assert "120 leads, newest first" in first.text
    assert "Page 1 of 3" in first.text
    assert listed(admin.get("/console/leads?page=2").text) == many[50:100]
    assert listed(admin.get("/console/leads?page=3").text) == many[100:]
    assert listed(admin.get("/console/leads?page=99").text) == many[100:]  # past the end: the last page
    assert listed(admin.get("/console/leads?page=abc").text) == many[:50]


def test_pagination_links_keep_the_filter(admin, many):
    page = admin.get("/console/leads?place=Manchester").text
    assert "80 leads" in page
    assert 'href="/console/leads?place=Manchester&amp;page=2"' in page


def test_counts_per_status(admin, many, leads):
    for lead_id in many[:3]:
        leads.change_status(lead_id, "contacted", "sam@example.org")
    page = admin.get("/console/leads?course=MA-201").text
    counts = dict(re.findall(r'>(\w+) <span class="count">(\d+)</span>', page))
    assert counts == {"All": "40", "New": "39", "Contacted": "1", "Qualified": "0", "Enrolled": "0", "Closed": "0"}
    assert listed(admin.get("/console/leads?status=contacted").text) == many[:3]


def test_yesterday_means_yesterday_in_london(admin, leads, clock):
    # NOW is 18 Nov 10:00 UTC (GMT). In summer, London is an hour ahead; test both sides of midnight.
    just_before = add_lead(leads, clock, datetime(2026, 11, 16, 23, 59, tzinfo=timezone.utc), "before")
    first_minute = add_lead(leads, clock, datetime(2026, 11, 17, 0, 0, tzinfo=timezone.utc), "first")
    last_minute = add_lead(leads, clock, datetime(2026, 11, 17, 23, 59, tzinfo=timezone.utc), "last")
    today = add_lead(leads, clock, datetime(2026, 11, 18, 0, 0, tzinfo=timezone.utc), "today")
    assert listed(admin.get("/console/leads?received=yesterday").text) == [last_minute, first_minute]
    assert listed(admin.get("/console/leads?received=today").text) == [today]
    assert listed(admin.get("/console/leads?from=2026-11-16&to=2026-11-16").text) == [just_before]
    assert listed(admin.get("/console/leads?from=2026-11-17&to=2026-11-16").text) == [
        last_minute,
        first_minute,
        just_before,
    ]


def test_yesterday_in_british_summer_time(admin, leads, clock):
    clock.now = datetime(2026, 7, 15, 12, 0, tzinfo=timezone.utc)
    admin.login("admin@example.org", "admin password 123")  # a fresh session at the new time
    late_on_the_13th = add_lead(
        leads, clock, datetime(2026, 7, 13, 23, 30, tzinfo=timezone.utc), "bst"
    )  # 00:30 BST 14th
    assert listed(admin.get("/console/leads?received=yesterday").text) == [late_on_the_13th]


def test_london_billing_yesterday_in_two_choices(admin, many):
    page = admin.get("/console/leads?received=yesterday&course=MA-201&place=London").text
    expected = [lead_id for number, lead_id in enumerate(many) if number % 3 == 0 and 10 <= number < 34]
    assert listed(page) == expected
    assert 'href="/console/leads.csv?course=MA-201&amp;place=London&amp;received=yesterday"' in page


def test_search_by_name_email_organisation_or_reference(admin, leads, clock):
    lead_id = add_lead(
        leads, clock, NOW, "find-me", name="Zofia Nowak", email="z.nowak@example.pl", organisation="Kraków Clinic"
    )
    reference = leads.get(lead_id).reference
    for term in ("zofia", "NOWAK@", "kraków", reference.lower()):
        assert listed(admin.get(f"/console/leads?q={term}").text) == [lead_id], term


def test_unusable_filters_are_named_not_fatal(admin, many):
    page = admin.get("/console/leads?status=won&from=2026-02-31&received=fortnight")
    assert page.status == 200
    assert "Ignored:" in page.text and "status &#39;won&#39;" in page.text and "2026-02-31" in page.text
    assert listed(page.text) == many[:50]


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01&to=0001-01-02", "page=%C2%B2"])
def test_far_off_dates_and_odd_page_numbers_are_ignored_not_a_500(admin, many, query):
    page = admin.get(f"/console/leads?{query}")
    assert page.status == 200
    assert listed(page.text) == many[:50]
    assert admin.get(f"/console/leads.csv?{query}").status == 200


def test_no_leads_is_said_plainly(admin):
    assert "No leads match" in admin.get("/console/leads").text


# --- CSV -----------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    body = response.body.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_csv_exports_exactly_the_current_filter(admin, many, app):
    response = admin.get("/console/leads.csv?course=MA-201&place=London&received=yesterday")
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="leads-2026-11-18-1000.csv"'
    assert response.headers["cache-control"] == "no-store"
    rows = read_csv(response)
    expected = [lead_id for number, lead_id in enumerate(many) if number % 3 == 0 and 10 <= number < 34]
    assert [int(row["id"]) for row in rows] == expected[::-1]  # oldest first, like the CLI export
    assert {row["courses"] for row in rows} == {"MA-201 Medical Billing and Coding"}
    entry = app.ctx.console.audit().recent(action="lead.export")[0]
    assert entry.actor == "admin@example.org"
    assert entry.detail.startswith(f"{len(rows)} lead(s) as CSV;") and "course: MA-201" in entry.detail


def test_csv_of_everything_and_of_nothing(admin, many):
    assert len(read_csv(admin.get("/console/leads.csv"))) == 120
    assert read_csv(admin.get("/console/leads.csv?q=nobody-matches-this")) == []


def test_csv_audit_masks_a_searched_email(admin, many, app):
    admin.get("/console/leads.csv?q=person7@example.org")
    detail = app.ctx.console.audit().recent(action="lead.export")[0].detail
    assert "person7@example.org" not in detail and "p***@e***.org" in detail
