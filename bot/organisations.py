"""Reads what an organisation says about its team ("train our team of 20
at our clinic") so an in-house enquiry keeps it."""

from __future__ import annotations

import re
from dataclasses import dataclass

ORGANISATION_TYPES = (
    "hospital", "clinic", "practice", "surgery", "trust", "health board", "care home", "hospice",
    "pharmacy", "laboratory", "health system", "ministry", "agency", "charity", "company",
)  # fmt: skip
_SIZE = re.compile(
    r"\b(?:team|group|staff|department|cohort) of (?:about |around |roughly |some |up to )?(?P<a>\d{1,5})\b"
    r"|\b(?P<b>\d{1,5}) (?:of (?:our|my) )?(?:staff|people|employees|colleagues|nurses|administrators|managers|"
    r"receptionists|team members|members of staff|participants|learners|delegates|admins)\b",
    re.IGNORECASE,
)
_TYPE = re.compile(r"\b(?:our|my|the) (?P<kind>" + "|".join(ORGANISATION_TYPES) + r")s?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Team:
    size: int | None
    organisation_type: str | None


def read_team(text: str) -> Team:
    size = None
    match = _SIZE.search(text or "")
    if match:
        number = int(match["a"] or match["b"])
        size = number if 1 <= number <= 10000 else None
    kind = _TYPE.search(text or "")
    return Team(size, kind["kind"].lower() if kind else None)


def describe_team(size: int | None, kind: str | None) -> str:
    if size and kind:
        return f"For a team of {size} at your {kind}, we can run the training on your premises. "
    if size:
        return f"For a team of {size}, we can run the training at your workplace. "
    if kind:
        return f"We can run the training at your {kind}. "
    return ""
