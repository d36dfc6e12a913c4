"""The leads list's views (issue 16): email and phone columns, sorting, "new since my last
visit", locations normalised to the catalogue's places, and the .xlsx export."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from bot.places import catalogue_location, normalise_location
from bot.staff.list_visits import ListVisits
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW

ROW = re.compile(r'<td class="nowrap"><a href="/console/leads/(\d+)">')


def listed(page: str) -> list[int]:
    return [int(number) for number in ROW.findall(page)]


@pytest.fixture
def three(leads, clock):
    """Three leads an hour apart (newest last added), different names, statuses and places."""
    ids = {}
    for hours, key, name, location, phone in (
        (3, "c", "Carla Diaz", "london, UK", "+44 20 7946 0000"),
        (2, "a", "Aoife Byrne", "Lisboa", "020 7946 0001"),
        (1, "b", "Bram de Vries", "Utrecht", None),
    ):
        ids[key] = add_lead(
            leads, clock, NOW - timedelta(hours=hours), key, name=name, email=f"{key}@example.org",
            location=location, phone=phone,
        )  # fmt: skip
    leads.change_status(ids["b"], "contacted", "admin@example.org")
    return ids


def test_locations_are_stored_as_the_catalogue_names_them(leads, three):
    assert leads.get(three["c"]).location == "London"
    assert leads.get(three["a"]).location == "Lisbon"
    assert leads.get(three["b"]).location == "Utrecht"  # not a catalogue place: kept as typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("london", "London"), ("London, UK", "London"), ("central London", "London"), ("ONLINE", "Online"),
     ("Paris (France)", "Paris"), ("  Little   Snoring ", "Little Snoring"), ("", "")],
)  # fmt: skip
def test_normalise_location(typed, stored):
    names = {"london": "London", "online": "Online", "paris": "Paris", "france": "France"}
    assert catalogue_location(typed, names) == stored


def test_the_place_filter_is_normalised_too(admin, three):
    page = admin.get("/console/leads", params={"place": "London, UK"}).text
    assert listed(page) == [three["c"]]
    assert normalise_location("london") == "London"


def test_email_and_phone_columns(admin, three):
    page = admin.get("/console/leads").text
    assert '<th scope="col">Email</th>' in page and '<th scope="col">Phone</th>' in page
    assert 'href="mailto:c@example.org"' in page
    assert 'href="tel:+442079460000"' in page  # stored in E.164


@pytest.mark.parametrize(
    ("sort", "order"),
    [("newest", "bac"), ("oldest", "cab"), ("name", "abc"), ("status", "acb"), ("location", "acb")],
)
def test_sorting(admin, three, sort, order):
    page = admin.get("/console/leads", params={"sort": sort}).text
    assert listed(page) == [three[key] for key in order]
    assert f'<option value="{sort}" selected>' in page


def test_an_unknown_sort_is_named_and_ignored(admin, three):
    page = admin.get("/console/leads", params={"sort": "shoe size"}).text
    assert "Ignored: sort &#39;shoe size&#39;" in page
    assert listed(page) == [three["b"], three["a"], three["c"]]


def test_new_since_my_last_visit(admin, leads, clock, three):
    first = admin.get("/console/leads", params={"view": "new"}).text
    assert "Your first visit: every lead is new" in first
    assert len(listed(first)) == 3

    clock.now = NOW + timedelta(minutes=45)  # a later visit: the leads received in between are new
    fresh = add_lead(leads, clock, NOW + timedelta(minutes=20), "fresh", email="fresh@example.org")
    later = admin.get("/console/leads", params={"view": "new"}).text
    assert listed(later) == [fresh]
    assert "Received after" in later
    assert re.search(r"New since my last visit <span class=\"count\">1</span>", later)
    # Paging and filtering within the same visit keeps the same "since".
    clock.now += timedelta(minutes=10)
    assert listed(admin.get("/console/leads", params={"view": "new"}).text) == [fresh]


def test_each_member_of_staff_has_their_own_last_visit(sessions, accounts, clock):
    visits = ListVisits(sessions, clock)
    assert visits.record("admin@example.org") is None  # never here before
    clock.now = NOW + timedelta(minutes=10)
    assert visits.record("admin@example.org") is None  # the same visit
    clock.now = NOW + timedelta(hours=2)
    assert visits.record("admin@example.org") == NOW + timedelta(minutes=10)  # a new visit: since the last view
    assert visits.previous("admin@example.org") == NOW + timedelta(minutes=10)
    assert visits.record("sam@example.org") is None
    assert visits.record("nobody@example.org") is None


def test_xlsx_export_has_the_lists_leads_with_text_cells(admin, three):
    response = admin.get("/console/leads.xlsx", params={"sort": "name"})
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="leads-' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.body)).active
    header = [cell.value for cell in sheet[1]]
    phones = {row[header.index("email")].value: row[header.index("phone")] for row in sheet.iter_rows(min_row=2)}
    assert set(phones) == {"a@example.org", "b@example.org", "c@example.org"}
    assert phones["a@example.org"].value == "+442079460001" and phones["a@example.org"].data_type == "s"


def test_csv_phones_have_no_apostrophe(admin, three):
    text = admin.get("/console/leads.csv").text.lstrip("\ufeff")
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["c@example.org"]["phone"] == "+442079460000"
    assert rows["b@example.org"]["phone"] == ""
