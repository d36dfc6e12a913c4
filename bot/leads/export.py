"""Leads as CSV (for Excel) or JSON (for other systems).

Both take the rows of ``LeadRepository.export_rows``. The CSV starts with a
byte-order mark so Excel reads it as UTF-8, and any cell that a spreadsheet
would treat as a formula is prefixed with a quote: a visitor can type
``=HYPERLINK(...)`` into the chat, and staff open these files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

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


def neutralise_formula(value: str) -> str:
    """``=1+2`` -> ``'=1+2``: shown as text by Excel, LibreOffice and Google Sheets."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return neutralise_formula(str(value))


def _flatten(row: Mapping[str, Any]) -> dict[str, str]:
    consent = row.get("consent") or {}
    courses = "; ".join(
        f"{course['code']} {course['title']}".strip() if course.get("title") else course["code"]
        for course in row.get("courses") or ()
    )
    transcript = "\n".join(
        f"[{turn.get('at', '')}] {turn['sender']}: {turn['text']}" for turn in row.get("transcript") or ()
    )
    flat = {
        **{column: row.get(column) for column in CSV_COLUMNS},
        "courses": courses,
        "consent_given_at": consent.get("given_at"),
        "consent_notice_version": consent.get("notice_version"),
        "transcript": transcript,
    }
    return {column: _cell(flat[column]) for column in CSV_COLUMNS}


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The whole file as text, BOM first; write it with ``encoding="utf-8"`` and ``newline=""``."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_flatten(row))
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
