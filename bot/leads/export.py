"""Leads as CSV (for Excel), .xlsx (typed cells) or JSON (for other systems).

All take the rows of ``LeadRepository.export_rows`` (``bot.leads.serializer.export_row``). The CSV starts with a
byte-order mark so Excel reads it as UTF-8, and any cell that a spreadsheet
could treat as a formula is prefixed with a quote: a visitor can type
``=HYPERLINK(...)`` into the chat, and staff open these files. A cell that is
only a signed number or phone number (``+44 20 7946 0000``, ``-5``) is left as
it is: digits and spaces after a sign cannot call a function, reference a cell
or reach DDE, and phones must not show a stray apostrophe. The .xlsx export
stores every cell as text, so nothing in it is ever a formula and phones keep
their leading ``+`` and ``0``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bot.leads.transcript_turns import turn_speaker, turn_text

FORMATS = ("csv", "json")
BOM = "\ufeff"
CSV_COLUMNS = (
    "id",
    "reference",
    "created_at",
    "status",
    "name",
    "email",
    "phone",
    "organisation",
    "team_size",
    "interest",
    "courses",
    "location",
    "delivery",
    "message",
    "consent_given_at",
    "consent_notice_version",
    "linked_reference",
    "assignee",
    "conversation_id",
    "transcript",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ]*")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(value: str) -> str:
    """``=1+2`` -> ``'=1+2``: shown as text by Excel, LibreOffice and Google Sheets.

    A signed plain number or phone (``+447911123456``) stays as it is: it holds no formula.
    """
    if not value.startswith(_FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return neutralise_formula(str(value))


def _flatten(row: Mapping[str, Any]) -> dict[str, str]:
    return {column: _cell(value) for column, value in _plain(row).items()}


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    """One lead as the export's columns, courses and transcript written out."""
    consent = row.get("consent") or {}
    courses = "; ".join(
        f"{course['code']} {course['title']}".strip() if course.get("title") else course["code"]
        for course in row.get("courses") or ()
    )
    transcript = "\n".join(
        f"[{turn.get('at', '')}] {turn_speaker(turn)}: {turn_text(turn)}" for turn in row.get("transcript") or ()
    )
    flat = {
        **{column: row.get(column) for column in CSV_COLUMNS},
        "courses": courses,
        "consent_given_at": consent.get("given_at"),
        "consent_notice_version": consent.get("notice_version"),
        "transcript": transcript,
    }
    return {column: flat[column] for column in CSV_COLUMNS}


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The whole file as text, BOM first; write it with ``encoding="utf-8"`` and ``newline=""``."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_flatten(row))
    return buffer.getvalue()


def to_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """An .xlsx workbook, one row per lead, every cell typed as text (so no formula, and phones
    keep their leading + and 0); characters the format cannot hold (control characters) dropped."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Leads"
    sheet.append(list(CSV_COLUMNS))
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(_plain(row).values(), start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
            cell.data_type = "s"  # openpyxl would make a formula of a text starting with "="
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows: Iterable[Mapping[str, Any]]) -> str:
    """A JSON list with one object per lead, exactly as ``export_rows`` made it."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def render(rows: Iterable[Mapping[str, Any]], fmt: str) -> str:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown export format {fmt!r}; use csv or json")
