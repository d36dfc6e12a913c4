"""Files that may hold personal data (databases, exports, logs, secrets): 0600 in 0700 directories.

Processes that write such files run with ``PRIVATE_UMASK``, so whatever they
create (SQLite's database, WAL and journal files, Rasa's tracker) is private
from the start; ``tighten`` corrects what an earlier version left readable.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_directory(path: Path) -> Path:
    """The directory, created 0700 if missing, and tightened to 0700 if it is ours and looser."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten_one(path, DIRECTORY_MODE)
    return path


def tighten(directory: Path) -> None:
    """Make ``directory`` 0700 and everything under it 0600 (files) or 0700 (folders), where we own it."""
    if not directory.is_dir():
        return
    _tighten_one(directory, DIRECTORY_MODE)
    for root, folders, files in os.walk(directory):
        for name in folders:
            _tighten_one(Path(root) / name, DIRECTORY_MODE)
        for name in files:
            _tighten_one(Path(root) / name, FILE_MODE)


def open_private_append(path: Path):
    """A binary file opened for appending, created 0600 (an existing one is tightened first)."""
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return os.fdopen(descriptor, "ab")


def write_new_private_file(path: Path, text: str) -> None:
    """Write ``text`` to a file this call creates (0600); FileExistsError if anything is already there.

    Never follows or replaces an existing file or link: an export cannot be
    redirected into a file someone else made, or overwrite one by mistake.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    except OSError:
        path.unlink(missing_ok=True)  # no half-written export left behind
        raise


def _tighten_one(path: Path, mode: int) -> None:
    try:
        status = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(status.st_mode) or status.st_uid != os.geteuid():
        return
    if stat.S_IMODE(status.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(status.st_mode) & mode)
