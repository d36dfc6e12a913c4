"""What every ``python -m bot`` command shares: exit codes, one-line errors, tables, output files, the actor.

Exit codes: 0 done, 1 a service (the database) could not be reached, 2 bad input.
An error is one line on stderr starting ``error:``, never a traceback.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.private_files import write_new_private_file

EXIT_OK, EXIT_UNAVAILABLE, EXIT_BAD_INPUT = 0, 1, 2
DATABASE_HINT = "(is the database there, and has `python -m bot db upgrade` run?)"


class BadInput(ValueError):
    """A command-line value the command cannot use."""


def report_error(message: str, code: int) -> int:
    """``error: message`` on stderr; returns ``code`` for the caller to exit with."""
    print(f"error: {message}", file=sys.stderr)
    return code


def run_reporting(
    run: Callable[[], int],
    bad_input: tuple[type[Exception], ...],
    unavailable: tuple[type[Exception], ...],
) -> int:
    """``run()``, with the known failures turned into one line on stderr and exit code 2 or 1."""
    try:
        return run()
    except bad_input as error:
        return report_error(str(error), EXIT_BAD_INPUT)
    except unavailable as error:
        return report_error(f"{error} {DATABASE_HINT}", EXIT_UNAVAILABLE)


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell, two spaces apart, no trailing blanks."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def when(moment: datetime | None) -> str:
    """``2026-11-01 09:30`` in UTC; ``-`` for no time."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if moment else "-"


def json_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def check_new_file(path: Path) -> None:
    """Fail before reading the database, not after, when ``path`` cannot be written as a new file."""
    if path.is_dir():
        raise BadInput(f"cannot write {path}: it is a directory")
    if path.exists() or path.is_symlink():
        raise BadInput(f"cannot write {path}: it already exists; choose a new file name")
    if not path.parent.is_dir():
        raise BadInput(f"cannot write {path}: the folder {path.parent} does not exist")


def write_output(text: str, output: Path | None, summary: str) -> None:
    """``text`` to stdout, or to a new 0600 file ``output`` with ``summary`` on stderr (never over a file)."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_new_private_file(output, text)
    except FileExistsError:
        raise BadInput(f"cannot write {output}: it already exists; choose a new file name") from None
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror or error}") from None
    print(summary, file=sys.stderr)


def cli_actor() -> str:
    """Who the audit log names for a command: ``cli:`` and the operating-system user running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
