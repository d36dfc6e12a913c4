"""``python -m bot leads ...`` and ``python -m bot db upgrade``: leads from the command line.

``register(subparsers)`` adds the commands to the project's parser; each
handler takes ``(settings, args)`` and returns an exit code: 0 done, 1 the
database could not be reached, 2 bad input (one line on stderr, no traceback;
``bot.cli_output``). ``show`` and ``export`` read personal data, and write an
entry to the audit log as the console does (``lead.read``, ``lead.export``).
It lives in the staff package because it writes that audit log; ``list`` and
``export`` find leads with the same ``LeadFilter`` as the console and the API.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.cli_output import (
    EXIT_OK,
    EXIT_UNAVAILABLE,
    BadInput,
    check_new_file,
    cli_actor,
    report_error,
    run_reporting,
    when,
    write_output,
)
from bot.leads.export import FORMATS, render
from bot.leads.lead_query import InvalidFilter, LeadFilter, start_of_day
from bot.leads.models import STATUSES
from bot.leads.repository import LeadRepository
from bot.leads.transcript_turns import turn_text
from bot.leads.views import LeadDetail
from bot.private_files import PRIVATE_UMASK, private_directory, tighten
from bot.settings import Settings
from bot.staff.audit import AuditLog, describe_filter, lead_subject
from bot.staff.back_office import BackOffice
from bot.staff.cli import print_listing
from bot.storage.migrate import current_revision, upgrade
from bot.storage.transactions import DatabaseUnavailable

LIST_LIMIT_MAX = 10_000
Handler = Callable[[Settings, argparse.Namespace], int]
LeadsCommand = Callable[[LeadRepository, AuditLog, argparse.Namespace], int]
SEARCH_HELP = "words that must all appear in the reference, name, email, organisation, interest, message, place, course"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``leads`` and ``db`` command groups to the ``python -m bot`` parser."""
    leads = subparsers.add_parser("leads", help="list, show and export enquiry leads")
    leads_commands = leads.add_subparsers(dest="leads_command", required=True, metavar="{list,show,export}")

    listing = leads_commands.add_parser("list", help="leads, newest first")
    listing.add_argument("--status", help=f"only leads with this status ({', '.join(STATUSES)})")
    listing.add_argument("--since", help="only leads received on or after this date (YYYY-MM-DD, UTC)")
    listing.add_argument("--limit", default="50", help="at most this many leads (default 50)")
    listing.add_argument("--search", help=SEARCH_HELP)
    listing.set_defaults(handler=list_leads)

    show = leads_commands.add_parser("show", help="one lead in full, with its conversation")
    show.add_argument("lead", metavar="ID_OR_REFERENCE", help="a lead id (12) or reference (BA-7K3Q9X)")
    show.set_defaults(handler=show_lead)

    export = leads_commands.add_parser("export", help="all leads as CSV (opens in Excel) or JSON")
    export.add_argument("--format", dest="format", required=True, help="csv or json")
    export.add_argument("--since", help="only leads received on or after this date (YYYY-MM-DD, UTC)")
    export.add_argument("--status", help=f"only leads with this status ({', '.join(STATUSES)})")
    export.add_argument("--search", help=SEARCH_HELP)
    export.add_argument("--output", help="write to this file instead of standard output")
    export.set_defaults(handler=export_leads)

    database = subparsers.add_parser("db", help="the application database")
    database_commands = database.add_subparsers(dest="db_command", required=True, metavar="{upgrade}")
    database_commands.add_parser("upgrade", help="create or update the schema (alembic upgrade head)").set_defaults(
        handler=upgrade_database
    )


# --- handlers -------------------------------------------------------------------


def _leads_command(run: LeadsCommand) -> Handler:
    """Give ``run`` a repository and the audit log on one engine, and report known failures (exit 2 or 1)."""

    def handler(settings: Settings, args: argparse.Namespace) -> int:
        office = BackOffice.from_settings(settings)
        try:
            return run_reporting(
                lambda: run(office.leads(), office.audit(), args), (BadInput, InvalidFilter), (DatabaseUnavailable,)
            )
        finally:
            office.close()

    handler.__name__ = handler.__qualname__ = run.__name__
    handler.__doc__ = run.__doc__
    return handler


@_leads_command
def list_leads(repository: LeadRepository, _audit: AuditLog, args: argparse.Namespace) -> int:
    limit = _limit(getattr(args, "limit", None))
    leads = repository.list_leads(lead_filter(args), limit=limit)
    header = ("ID", "REFERENCE", "RECEIVED (UTC)", "STATUS", "NAME", "EMAIL", "INTEREST")
    rows = [
        (
            str(lead.id),
            lead.reference,
            when(lead.created_at),
            lead.status,
            _one_line(lead.name, 30),
            _one_line(lead.email, 40),
            _one_line(", ".join(course.code for course in lead.courses) or lead.interest_field or "", 40),
        )
        for lead in leads
    ]
    return print_listing(header, rows, "No leads match.")


@_leads_command
def show_lead(repository: LeadRepository, audit: AuditLog, args: argparse.Namespace) -> int:
    wanted = (getattr(args, "lead", None) or "").strip()
    if not wanted:
        raise BadInput("give a lead id (12) or reference (BA-7K3Q9X)")
    lead = repository.find(wanted)
    if lead is None:
        raise BadInput(f"no lead with id or reference {_one_line(wanted, 40)!r}")
    audit.record(cli_actor(), "lead.read", lead_subject(lead.id), "from the command line")
    print(format_lead(lead))
    return EXIT_OK


@_leads_command
def export_leads(repository: LeadRepository, audit: AuditLog, args: argparse.Namespace) -> int:
    fmt = (getattr(args, "format", None) or "").strip().lower()
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {_one_line(fmt, 20)!r}; use csv or json")
    chosen = lead_filter(args)
    output = Path(args.output) if getattr(args, "output", None) else None
    if output is not None:
        check_new_file(output)
    rows = repository.export_rows(chosen)
    scope = describe_filter(chosen)
    where = f"to {output.name}" if output else "to standard output"
    detail = f"{len(rows)} lead(s) as {fmt.upper()}; {scope}; from the command line, {where}"
    audit.record(cli_actor(), "lead.export", "leads", detail)  # before any of it is written out
    write_output(render(rows, fmt), output, f"Wrote {len(rows)} lead(s) to {output}")
    return EXIT_OK


def upgrade_database(settings: Settings, _args: argparse.Namespace) -> int:
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    url = make_url(settings.database_url)
    database_file = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if database_file is not None and str(database_file) != ":memory:":
        private_directory(database_file.parent)
    previous_umask = os.umask(PRIVATE_UMASK)  # the database (and its journal) is created 0600
    try:
        upgrade(settings.database_url)
        revision = current_revision(settings.database_url)
    except Exception as error:  # noqa: BLE001 - one clear line instead of a traceback
        first_line = (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]
        return report_error(f"could not upgrade {shown}: {first_line}", EXIT_UNAVAILABLE)
    finally:
        os.umask(previous_umask)
    if database_file is not None and database_file.parent.is_dir():
        tighten(database_file.parent)  # files an earlier version created 0644
    print(f"{shown} is at revision {revision}")
    return EXIT_OK


# --- formatting -------------------------------------------------------------------


def format_lead(lead: LeadDetail) -> str:
    """A lead as plain text for the terminal; visitor-typed text cannot emit control characters."""

    def line(label: str, value: Any) -> str:
        text = _one_line("" if value is None else str(value)) or "-"
        return f"{label + ':':<16}{text}"

    courses = "; ".join(f"{course.code} {course.title}".strip() for course in lead.courses)
    consent = lead.consent
    lines = [
        f"{lead.reference}  (id {lead.id})  status: {lead.status}",
        line("Received", f"{when(lead.created_at)} UTC"),
        line("Name", lead.name),
        line("Email", lead.email),
        line("Phone", lead.phone),
        line("Organisation", lead.organisation),
        line("Team size", lead.team_size),
        line("Interest", lead.interest_field),
        line("Courses", courses),
        line("Location", lead.location),
        line("Delivery", lead.delivery),
        line("Assignee", lead.assignee),
        line("Conversation", lead.conversation_id),
    ]
    if lead.linked_reference:
        lines.append(line("Earlier lead", f"{lead.linked_reference} (same email, within the link period)"))
    if lead.follow_up_references:
        lines.append(line("Later leads", ", ".join(lead.follow_up_references)))
    if consent:
        lines.append(
            line(
                "Consent",
                f"given {when(consent.given_at)} UTC, notice {consent.notice_version} ({consent.notice_url})",
            )
        )
    else:
        lines.append(line("Consent", "NONE RECORDED"))
    lines += ["", "Message:", _indented(lead.message or "-")]
    if lead.status_changes:
        lines += ["", "Status history:"]
        for change in lead.status_changes:
            moved = f"{change.from_status} -> {change.to_status}"
            lines.append(f"  {when(change.changed_at)}  {moved}  by {_one_line(change.changed_by)}")
    if lead.notes:
        lines += ["", "Notes:"]
        for note in lead.notes:
            lines += [f"  {when(note.created_at)}  {_one_line(note.author)}:", _indented(note.body, "    ")]
    lines += ["", "Conversation:"]
    for turn in lead.transcript or ({"sender": "-", "text": "(no transcript)", "at": ""},):
        at = str(turn.get("at") or "")[11:16]
        text = _indented(turn_text(turn), " " * 18).lstrip()  # a click as its button's title, in words
        sender = f"{turn['staff']} (admissions)" if turn.get("staff") else turn.get("sender", "?")
        lines.append(f"  [{at or '--:--'}] {sender:<7} {text}")
    return "\n".join(lines)


def _printable(text: str) -> str:
    return "".join(character if character.isprintable() or character == "\n" else "\ufffd" for character in text)


def _one_line(text: str, width: int | None = None) -> str:
    flat = " ".join(_printable(text or "").split())
    if width is not None and len(flat) > width:
        return flat[: width - 1] + "\u2026"
    return flat


def _indented(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in _printable(text).splitlines() or [""])


# --- input checks ----------------------------------------------------------------


def lead_filter(args: argparse.Namespace) -> LeadFilter:
    """``--status``, ``--since`` and ``--search`` as the one ``LeadFilter``; BadInput names what is wrong."""
    search = " ".join((getattr(args, "search", None) or "").split()) or None
    return LeadFilter(
        status=_status(getattr(args, "status", None)),
        received_from=_since(getattr(args, "since", None)),
        search=search,
    )


def _since(text: str | None) -> datetime | None:
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if len(value) == 10:
            return start_of_day(date.fromisoformat(value))
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise BadInput(f"--since must be a date like 2026-11-01, got {_one_line(value, 40)!r}") from None


def _status(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    status = text.strip().lower()
    if status not in STATUSES:
        raise BadInput(f"unknown status {_one_line(text, 20)!r}; use one of {', '.join(STATUSES)}")
    return status


def _limit(text: Any) -> int:
    if text is None or str(text).strip() == "":
        return 50
    try:
        limit = int(str(text).strip())
    except ValueError:
        raise BadInput(f"--limit must be a whole number, got {_one_line(str(text), 20)!r}") from None
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise BadInput(f"--limit must be between 1 and {LIST_LIMIT_MAX}, got {limit}")
    return limit
