"""CSV that Excel opens safely, and JSON with one object per lead."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.leads.export import BOM, CSV_COLUMNS, neutralise_formula, render, to_csv, to_json, to_xlsx
from tests.leads.builders import submission


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+447911123456", "+447911123456"),  # a phone: no formula in it, and no stray apostrophe
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("-5", "-5"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Priya Shah", "Priya Shah"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise_formula(value) == expected


def test_csv_has_a_bom_and_no_live_formulas(repository):
    repository.submit(
        submission(
            name="=cmd|' /C calc'!A0",
            organisation="@SUM(1+1)",
            message="-1+1\nsecond line",
            location="+Hospital Road",  # not a catalogue place: kept as typed, so neutralised
        )
    )
    text = to_csv(repository.export_rows())

    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM) :])))
    assert list(rows[0]) == list(CSV_COLUMNS)
    row = rows[0]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["organisation"] == "'@SUM(1+1)"
    assert row["message"] == "'-1+1\nsecond line"
    assert row["location"] == "'+Hospital Road"
    assert row["phone"] == "+447911123456"  # as given: a phone holds no formula
    assert row["email"] == "priya.shah@example.nhs.uk"
    assert row["courses"] == "HM-101 Healthcare Management Fundamentals"
    assert row["consent_notice_version"] == "2026-11"
    assert "Visitor: I'd like to enrol" in row["transcript"]
    for column, value in row.items():
        if column != "phone":
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_round_trips_non_ascii(repository):
    repository.submit(submission(name="Siân Ó Súilleabháin", location="Zürich"))
    row = next(csv.DictReader(io.StringIO(to_csv(repository.export_rows()).lstrip(BOM))))
    assert (row["name"], row["location"]) == ("Siân Ó Súilleabháin", "Zürich")


def test_json_is_a_list_of_lead_objects(repository):
    repository.submit(submission(name="Siân"))
    data = json.loads(to_json(repository.export_rows()))
    assert isinstance(data, list) and len(data) == 1
    lead = data[0]
    assert lead["name"] == "Siân"
    assert lead["consent"]["notice_version"] == "2026-11"
    assert lead["courses"][0]["code"] == "HM-101"
    assert lead["transcript"][0]["sender"] == "visitor"


def test_empty_exports():
    assert to_csv([]) == BOM + ",".join(CSV_COLUMNS) + "\r\n"
    assert json.loads(to_json([])) == []


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format"):
        render([], "xlsx")


def test_xlsx_drops_characters_the_format_cannot_hold():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(to_xlsx([{"name": "bell\x07 here", "phone": "020 7946 0000"}]))).active
    assert sheet["E2"].value == "bell here"
    assert sheet["G2"].value == "020 7946 0000"  # the leading 0 stays


def test_xlsx_cells_are_text_so_phones_keep_their_plus_and_nothing_is_a_formula(repository):
    from openpyxl import load_workbook

    repository.submit(submission(name='=HYPERLINK("http://evil")', phone="+447911123456"))
    sheet = load_workbook(io.BytesIO(to_xlsx(repository.export_rows()))).active
    header = [cell.value for cell in sheet[1]]
    assert header == list(CSV_COLUMNS)
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["phone"].value == "+447911123456" and row["phone"].data_type == "s"
    assert row["name"].value == '=HYPERLINK("http://evil")' and row["name"].data_type == "s"
    assert all(cell.data_type == "s" and cell.number_format == "@" for cell in sheet[2] if cell.value)
