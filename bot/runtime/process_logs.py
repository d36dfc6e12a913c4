"""The logs of the processes ``make run`` starts: masked, rotated, private.

Each child's output is read line by line, every email address and phone
number is masked (``mask_personal_data``), and the line goes to
``var/log/<process>.log``, which is rotated by size and kept 0600.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import BinaryIO

from bot.privacy import PersonalDataFilter
from bot.private_files import FILE_MODE, private_directory


def _private_opener(path: str, flags: int) -> int:
    descriptor = os.open(path, flags | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # a file an earlier version created 0644
    return descriptor


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A size-rotated log whose every file, current and old, is 0600."""

    def _open(self):
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=_private_opener)


def open_process_log(path: Path, max_bytes: int, backups: int) -> logging.Handler:
    """A handler that masks personal data in every line and rotates at ``max_bytes``."""
    private_directory(path.parent)
    handler = PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(PersonalDataFilter())
    return handler


def copy_output(stream: BinaryIO, handler: logging.Handler) -> None:
    """Every line of a child's output into its log, until the child closes it; then closes the log."""
    try:
        for line in iter(stream.readline, b""):
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            # A LogRecord made directly: a record factory (install_personal_data_filter) would mark the
            # record as masked before its message is set, and the handler's filter would then skip it.
            handler.handle(logging.LogRecord("process", logging.INFO, "", 0, text, None, None))
    finally:
        stream.close()
        handler.close()
