"""Whether a played conversation made exactly the lead it should, as the export shows it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tests.e2e.typed_enquiries.generator import Conversation, ExpectedLead
from tests.e2e.typed_enquiries.player import PlayResult


def leads_by_conversation(exported: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for lead in exported:
        found.setdefault(str(lead.get("conversation_id")), []).append(lead)
    return found


def lead_differences(expected: ExpectedLead, lead: dict[str, Any]) -> list[str]:
    """Field by field, how the stored lead differs from the expected one."""
    problems = []

    def check(label: str, want: Any, got: Any) -> None:
        if want != got:
            problems.append(f"lead {label}: expected {want!r}, stored {got!r}")

    check("name", expected.name, lead.get("name"))
    check("email", expected.email, lead.get("email"))
    check("phone", expected.phone, lead.get("phone"))
    check("courses", sorted(expected.courses), sorted(c.get("code") for c in lead.get("courses") or ()))
    check("message", expected.message, lead.get("message"))
    check("location", (expected.location or "").lower() or None, (lead.get("location") or "").lower() or None)
    if expected.interest is not None:
        check("interest", expected.interest, (lead.get("interest") or "").lower() or None)
    return problems


def judge(conversation: Conversation, result: PlayResult, leads: list[dict[str, Any]]) -> list[str]:
    """Every problem with one conversation: the player's own, then the stored leads'."""
    problems = list(result.problems)
    if conversation.expected is None:
        if leads:
            problems.append(f"no lead may be made, found {len(leads)}: {[lead.get('reference') for lead in leads]}")
        return problems
    if len(leads) != 1:
        problems.append(f"expected exactly one lead, found {len(leads)}")
        return problems
    lead = leads[0]
    if result.reference != lead.get("reference"):
        problems.append(f"reference shown {result.reference!r}, stored {lead.get('reference')!r}")
    return problems + lead_differences(conversation.expected, lead)
