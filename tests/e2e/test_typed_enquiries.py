"""The generated corpus of typed enquiries, played through the REST channel (issue 12, item 7).

Every conversation is typed by a reactive player against the real Rasa and
action servers; then the CLI export must hold exactly one correct lead for
each conversation that should make one, and none for the others.

    TYPED_ENQUIRY_LIMIT=20 .venv/bin/python -m pytest tests/e2e -k typed   # a quick subset
"""

from __future__ import annotations

import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.lead_export import export_leads
from tests.e2e.rest_channel import rest_sender
from tests.e2e.typed_enquiries.generator import DEFAULT_COUNT, DEFAULT_SEED, Conversation, generate
from tests.e2e.typed_enquiries.player import PlayResult, play
from tests.e2e.typed_enquiries.verdict import judge, leads_by_conversation

pytestmark = pytest.mark.e2e

WORKERS = 4
SHOWN_FAILURES = 10


def corpus() -> list[Conversation]:
    """The whole corpus, or its first TYPED_ENQUIRY_LIMIT conversations (a smoke test)."""
    conversations = generate(int(os.environ.get("TYPED_ENQUIRY_SEED", DEFAULT_SEED)), DEFAULT_COUNT)
    limit = os.environ.get("TYPED_ENQUIRY_LIMIT")
    return conversations[: int(limit)] if limit else conversations


@pytest.mark.timeout(1500)  # 330 conversations through one Rasa server: about 6 minutes on a quiet machine
def test_typed_enquiries_make_exactly_the_expected_leads(rasa_stack, stack_settings, capsys, record_property):
    conversations = corpus()
    run = uuid.uuid4().hex[:8]

    def play_one(conversation: Conversation) -> PlayResult:
        sender = f"typed-{run}-{conversation.id}"
        send = rest_sender(stack_settings.rasa_url, sender)
        return play(conversation, send, sender, stack_settings.admissions_email)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(play_one, conversations))
    leads = leads_by_conversation(export_leads(stack_settings))

    failures = []
    for conversation, result in zip(conversations, results, strict=True):
        problems = judge(conversation, result, leads.get(result.sender, []))
        if problems:
            failures.append((conversation, result, problems))
    passed = len(conversations) - len(failures)
    line = (
        f"typed enquiries: {len(conversations)} conversations, {passed} passed "
        f"({100 * passed / max(len(conversations), 1):.1f}%)"
    )
    report = stack_settings.var_dir / "typed_enquiries_report.json"
    report.write_text(
        json.dumps(
            [{"conversation": c.to_dict(), "result": r.to_dict(), "problems": p} for c, r, p in failures],
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    record_property("figure", line)  # printed at the end of the run (tests/conftest.py), also under xdist
    with capsys.disabled():
        print(f"\n{line} (failures in {report})")

    details = []
    for conversation, result, problems in failures[:SHOWN_FAILURES]:
        details.append(
            f"--- {conversation.id} {'+'.join(conversation.kinds)} (sender {result.sender})\n"
            + "".join(f"  problem: {problem}\n" for problem in problems)
            + result.transcript_text()
        )
    assert not failures, f"{line}\n" + "\n".join(details)
