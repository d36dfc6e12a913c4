"""Tokens that prove a form was served by the console to this browser (cross-site request forgery defence)."""

from __future__ import annotations

import hmac
import secrets


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing token on either side never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
