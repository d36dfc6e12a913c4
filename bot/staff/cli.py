"""``python -m bot staff|tokens|purge|person|notifications ...``: running the console's back office.

``register(subparsers)`` adds the commands; each handler takes ``(settings,
args)`` and returns an exit code: 0 done, 1 a database could not be reached,
2 bad input (one line on stderr, no traceback; ``bot.cli_output``).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli_output import (
    EXIT_OK,
    BadInput,
    check_new_file,
    cli_actor,
    json_text,
    print_table,
    run_reporting,
    when,
    write_output,
)
from bot.leads.submission import LeadRejected
from bot.settings import Settings
from bot.staff.accounts import AccountError, normalise_email
from bot.staff.api_tokens import DEFAULT_LIFETIME_DAYS, SCOPES, TokenError
from bot.staff.back_office import BackOffice
from bot.staff.conversations import ConversationStoreUnavailable
from bot.staff.models import ROLES
from bot.staff.notifications import deliver_due
from bot.staff.personal_data import erase_person, purge_expired, subject_access
from bot.storage.transactions import DatabaseUnavailable

RETENTION = re.compile(r"([0-9]{1,6})\s*d?", re.IGNORECASE)
RETENTION_MAX_DAYS = 36_500  # a hundred years; far larger periods overflow the date arithmetic


Command = Callable[[BackOffice, argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``staff``, ``tokens``, ``purge``, ``person`` and ``notifications`` commands."""
    staff = subparsers.add_parser("staff", help="staff accounts for the console")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True, metavar="{add,list,disable,password}")
    add = _add(staff_commands, "add", "create an account (password from a prompt, or stdin)", add_staff, "email")
    add.add_argument("--role", default="staff", help=f"one of {', '.join(ROLES)} (default staff)")
    _add(staff_commands, "list", "every account", list_staff)
    _add(staff_commands, "disable", "stop an account signing in (ends its sessions)", disable_staff, "email")
    _add(staff_commands, "password", "set a new password (enables the account again)", reset_password, "email")

    tokens = subparsers.add_parser("tokens", help="bearer tokens for the leads API")
    token_commands = tokens.add_subparsers(dest="tokens_command", required=True, metavar="{create,list,revoke}")
    create = _add(token_commands, "create", "a new token, printed once", create_token, "name")
    create.add_argument(
        "--scope",
        action="append",
        dest="scopes",
        help=f"what it may do, repeatable: {', '.join(SCOPES)} (default leads:read)",
    )
    create.add_argument("--days", default=str(DEFAULT_LIFETIME_DAYS), help="days until it expires (default 90)")
    _add(token_commands, "list", "every token (never the secret)", list_tokens)
    _add(token_commands, "revoke", "stop a token working", revoke_token, "name")

    purge_help = "delete leads and conversations older than the retention period"
    purge = _add(subparsers, "purge", purge_help, purge_old_data)
    purge.add_argument("--older-than", help="e.g. 730d (default: LEAD_RETENTION_DAYS)")

    person = subparsers.add_parser("person", help="a person's data: export everything held, or erase it")
    person_commands = person.add_subparsers(dest="person_command", required=True, metavar="{export,erase}")
    export = _add(person_commands, "export", "everything held about an email address, as JSON", export_person, "email")
    export.add_argument("--output", help="write to this file instead of standard output")
    erase_help = "delete the leads and conversations of an email address"
    erase = _add(person_commands, "erase", erase_help, erase_person_command, "email")
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    notifications = subparsers.add_parser("notifications", help="new-lead notifications")
    notification_commands = notifications.add_subparsers(
        dest="notifications_command", required=True, metavar="{deliver}"
    )
    _add(notification_commands, "deliver", "send the notifications that are due now", deliver_notifications)


def _add(
    commands: argparse._SubParsersAction, name: str, help_text: str, run: Command, *arguments: str
) -> argparse.ArgumentParser:
    """One command: its parser, its positional ``arguments``, and ``run`` given its services."""
    parser = commands.add_parser(name, help=help_text)
    for argument in arguments:
        parser.add_argument(argument)
    parser.set_defaults(handler=_command(run))
    return parser


def _command(run: Command) -> Callable[[Settings, argparse.Namespace], int]:
    """Give ``run`` its services, and turn known failures into one line on stderr and an exit code."""

    def handler(settings: Settings, args: argparse.Namespace) -> int:
        office = BackOffice.from_settings(settings)
        try:
            return run_reporting(
                lambda: run(office, args),
                (BadInput, AccountError, TokenError, LeadRejected),
                (DatabaseUnavailable, ConversationStoreUnavailable),
            )
        finally:
            office.close()

    handler.__name__ = handler.__qualname__ = run.__name__
    handler.__doc__ = run.__doc__
    return handler


def print_listing(header: tuple[str, ...], rows: list[tuple[str, ...]], when_empty: str) -> int:
    """A table of ``rows``, or the sentence that says there are none (and how to make one)."""
    if rows:
        print_table(header, rows)
    else:
        print(when_empty)
    return EXIT_OK


def read_new_password(prompt_for: str) -> str:
    """Twice from a prompt on a terminal; one line from stdin otherwise (for scripts)."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {prompt_for}: ")
        if getpass.getpass("Same password again: ") != first:
            raise BadInput("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise BadInput("no password given on standard input")
    return line.rstrip("\r\n")


# --- staff -------------------------------------------------------------------------


def add_staff(office: BackOffice, args: argparse.Namespace) -> int:
    if args.role not in ROLES:
        raise BadInput(f"unknown role {args.role!r}; use one of {', '.join(ROLES)}")
    address = normalise_email(args.email)  # before asking for a password
    if office.accounts().find(address) is not None:
        raise BadInput(f"there is already an account for {address}")
    member = office.accounts().add(address, read_new_password(address), args.role)
    office.audit().record(cli_actor(), "staff.add", f"staff:{member.email}", f"role {member.role}")
    print(f"Added {member.email} ({member.role}).")
    return EXIT_OK


def list_staff(office: BackOffice, _args: argparse.Namespace) -> int:
    rows = [
        (m.email, m.role, "active" if m.active else "disabled", when(m.created_at), when(m.last_login_at))
        for m in office.accounts().all()
    ]
    header = ("EMAIL", "ROLE", "STATE", "CREATED (UTC)", "LAST SIGN-IN (UTC)")
    hint = "No staff accounts yet: add one with `python -m bot staff add EMAIL --role admin`."
    return print_listing(header, rows, hint)


def disable_staff(office: BackOffice, args: argparse.Namespace) -> int:
    member = office.accounts().disable(args.email)
    office.audit().record(cli_actor(), "staff.disable", f"staff:{member.email}")
    print(f"Disabled {member.email}; their sessions have ended.")
    return EXIT_OK


def reset_password(office: BackOffice, args: argparse.Namespace) -> int:
    address = normalise_email(args.email)
    if office.accounts().find(address) is None:
        raise BadInput(f"there is no account for {address}")
    member = office.accounts().set_password(address, read_new_password(address))
    office.audit().record(cli_actor(), "staff.password", f"staff:{member.email}")
    print(f"New password set for {member.email}; their other sessions have ended.")
    return EXIT_OK


# --- API tokens --------------------------------------------------------------------


def create_token(office: BackOffice, args: argparse.Namespace) -> int:
    days_text = str(getattr(args, "days", None) or DEFAULT_LIFETIME_DAYS).strip()
    if not days_text.isdigit():
        raise BadInput(f"--days must be a whole number of days, got {days_text[:20]!r}")
    token, info = office.tokens().create(args.name, getattr(args, "scopes", None), int(days_text))
    scopes = " ".join(info.scopes)
    office.audit().record(
        cli_actor(), "token.create", f"token:{info.name}", f"scopes {scopes}; expires {when(info.expires_at)}"
    )
    print(token)
    print(
        f"Token {info.name!r} created ({scopes}; expires {when(info.expires_at)} UTC). "
        "Copy it now: it is not stored and cannot be shown again.",
        file=sys.stderr,
    )
    return EXIT_OK


def list_tokens(office: BackOffice, _args: argparse.Namespace) -> int:
    tokens = office.tokens().all()
    now = office.tokens().now()
    rows = [
        (
            t.name,
            t.prefix + "...",
            t.state(now),
            " ".join(t.scopes),
            when(t.created_at),
            when(t.expires_at),
            when(t.last_used_at),
        )
        for t in tokens
    ]
    header = ("NAME", "STARTS WITH", "STATE", "SCOPES", "CREATED (UTC)", "EXPIRES (UTC)", "LAST USED (UTC)")
    return print_listing(header, rows, "No API tokens yet: create one with `python -m bot tokens create NAME`.")


def revoke_token(office: BackOffice, args: argparse.Namespace) -> int:
    info = office.tokens().revoke(args.name)
    office.audit().record(cli_actor(), "token.revoke", f"token:{info.name}")
    print(f"Token {info.name!r} revoked.")
    return EXIT_OK


# --- personal data -----------------------------------------------------------------


def retention_days(text: str | None, default: int) -> int:
    """``730d`` or ``730`` -> 730; the default when not given."""
    if text is None or not text.strip():
        return default
    match = RETENTION.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(1)) <= RETENTION_MAX_DAYS:
        raise BadInput(f"--older-than must be a number of days such as 730d, got {text.strip()[:20]!r}")
    return int(match.group(1))


def purge_old_data(office: BackOffice, args: argparse.Namespace) -> int:
    days = retention_days(args.older_than, office.settings.lead_retention_days)
    report = purge_expired(office.leads(), office.conversations, office.audit(), days, cli_actor())
    print(
        f"Purged {report.leads} lead(s) and {report.conversations} conversation(s) "
        f"({report.events} event(s)) older than {days} days."
    )
    return EXIT_OK


def export_person(office: BackOffice, args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    if output is not None:
        check_new_file(output)
    document = subject_access(office.leads(), office.conversations, office.audit(), args.email, cli_actor())
    summary = f"Wrote {len(document['leads'])} lead(s) and their conversations to {output}"
    write_output(json_text(document), output, summary)
    return EXIT_OK


def erase_person_command(office: BackOffice, args: argparse.Namespace) -> int:
    if not args.yes:
        raise BadInput("erasing cannot be undone: add --yes to confirm")
    report = erase_person(office.leads(), office.conversations, office.audit(), args.email, cli_actor())
    print(
        f"Erased {report.leads} lead(s) and {report.conversations} conversation(s) "
        f"({report.events} event(s)) for {report.masked_email}."
    )
    return EXIT_OK


# --- notifications -----------------------------------------------------------------


def deliver_notifications(office: BackOffice, _args: argparse.Namespace) -> int:
    if not office.settings.notification_channels():
        print("No notification channel is configured (ADMISSIONS_NOTIFY_EMAIL + SMTP_HOST, or NOTIFY_WEBHOOK_URL).")
        return EXIT_OK
    report = deliver_due(office)
    print(f"Sent {report.sent}; {report.retrying} will be retried; {report.given_up} given up.")
    return EXIT_OK
